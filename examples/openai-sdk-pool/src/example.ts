import type { KeyHealth, KeyManager } from '@kit/keymanager';
import { formatMetricsTable, type MetricsCollector } from '@kit/metrics';
import type OpenAI from 'openai';

export interface ExampleOptions {
  /** The official client, built with `fetch: credentialFetch(keys, …)`. */
  openai: OpenAI;
  keys: KeyManager;
  /** The collector given to `credentialFetch` as `metrics`. */
  metrics: MetricsCollector;
  model: string;
  write: (text: string) => void;
  /** How many plain calls go through the pool after the streaming one. */
  calls?: number;
  /** How many calls run at once in the concurrent round (0: none). */
  concurrent?: number;
  /** Keeps real-API runs cheap. */
  maxTokens?: number;
}

/**
 * Streams one answer, sends a few calls one after another and a round of concurrent ones through the key pool — all
 * with the official `openai` client, which never sees the failing keys — and prints what each key went through and
 * the per-credential metrics. Resolves with how many calls succeeded out of how many were made.
 */
export async function runExample(options: ExampleOptions): Promise<{ succeeded: number; calls: number }> {
  const { openai, keys, metrics, model, write, calls = 4, concurrent = 5, maxTokens = 200 } = options;
  let succeeded = 0;
  let made = 0;
  const attempt = async (label: string, call: () => Promise<string>) => {
    made += 1;
    try {
      const result = await call();
      write(`${label}: ${result}\n`);
      succeeded += 1;
    } catch (error) {
      // What the SDK would have thrown without the pool: its own error class, the provider's status.
      write(`${label}: FAILED (${(error as Error).name}: ${(error as Error).message})\n`);
    }
  };

  await attempt('stream', async () => {
    const stream = await openai.chat.completions.create({
      model,
      max_completion_tokens: maxTokens,
      messages: [{ role: 'user', content: 'Tell a two-sentence story about API keys.' }],
      stream: true,
    });
    write('stream: ');
    let chunks = 0;
    for await (const chunk of stream) {
      chunks += 1;
      write(chunk.choices[0]?.delta?.content ?? '');
    }
    write('\n');
    return `${chunks} chunks, handed to the SDK once a key answered`;
  });

  const pong = async (call: number) => {
    const completion = await openai.chat.completions.create({
      model,
      max_completion_tokens: 50,
      messages: [{ role: 'user', content: `Say "pong ${call}" and nothing else.` }],
    });
    return JSON.stringify((completion.choices[0]?.message.content ?? '').trim().slice(0, 60));
  };
  for (let call = 1; call <= calls; call += 1) await attempt(`call ${call}`, () => pong(call));
  if (concurrent > 0) {
    await Promise.all(Array.from({ length: concurrent }, (_, index) => attempt(`concurrent ${index + 1}`, () => pong(100 + index))));
  }

  write('\nkeys (KeyManager.getKeyHealth()):\n');
  for (const key of keys.getKeyHealth()) {
    write(
      `  ${key.id.padEnd(14)} ${key.healthy && !refusedByProvider(key) ? 'healthy  ' : 'unhealthy'} requests=${key.requests} successes=${key.successes} failures=${key.failures}${key.lastErrorCode ? ` last error=${key.lastErrorCode}` : ''}\n`,
    );
  }
  write('\nper-credential metrics (@kit/metrics, fed by credentialFetch):\n');
  write(`${formatMetricsTable(metrics.snapshot(), 'credential')}\n`);
  write(`\n${succeeded}/${made} calls succeeded.\n`);
  return { succeeded, calls: made };
}

/** The provider refused the key (revoked, no permission) since its last success: not healthy, whatever the count. */
function refusedByProvider(key: KeyHealth): boolean {
  return key.consecutiveFailures > 0 && (key.lastErrorCode === 'authentication' || key.lastErrorCode === 'permission');
}
