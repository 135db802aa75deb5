import type { ChatMessage, Provider, ToolDefinition } from '@kit/core';
import { KitError } from '@kit/core';
import type { KeyHealth, KeyManager } from '@kit/keymanager';

export interface DemoContext {
  /** A provider using a single good key. */
  single: Provider;
  /** A provider over the key pool. */
  pooled: Provider;
  keys: KeyManager;
  write: (text: string) => void;
  /** How many calls to make through the pool. */
  poolCalls?: number;
}

const weatherTool: ToolDefinition = {
  name: 'get_weather',
  description: 'The current weather in a city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
    required: ['city'],
  },
};

/**
 * A key's state and the reason for it, by the rule the metrics tables and `kit_credential_healthy` follow: a key the
 * provider refused (authentication, permission) since its last success is unhealthy at once, even before the pool's
 * `unhealthyAfter` count; a key sleeping off another failure is in backoff; only a key with no failure since its
 * last success is healthy.
 */
export function describeKey(key: KeyHealth, now = Date.now()): { state: 'healthy' | 'backoff' | 'unhealthy'; why: string } {
  if (key.consecutiveFailures === 0 && key.healthy) return { state: 'healthy', why: 'answering' };
  const refused = key.lastErrorCode === 'authentication' || key.lastErrorCode === 'permission';
  const sleeps = key.backoffUntil && key.backoffUntil > now ? `, sleeps ${Math.round((key.backoffUntil - now) / 1000)} s more` : '';
  if (refused) return { state: 'unhealthy', why: `refused by the provider (${key.lastErrorCode})${sleeps}` };
  if (!key.healthy) return { state: 'unhealthy', why: `${key.consecutiveFailures} failures in a row, last ${key.lastErrorCode ?? 'error'}${sleeps}` };
  return { state: sleeps ? 'backoff' : 'healthy', why: `last error ${key.lastErrorCode ?? 'error'}${sleeps}` };
}

function getWeather(argumentsJson: string): { city: string; temperature: number } {
  const { city } = JSON.parse(argumentsJson) as { city: string };
  return { city, temperature: 18 };
}

/** Runs the four steps of the demo; returns how many pool calls succeeded. */
export async function runDemo({ single, pooled, keys, write, poolCalls = 6 }: DemoContext): Promise<{ poolSucceeded: number; poolCalls: number }> {
  const line = (text = '') => write(`${text}\n`);
  const heading = (title: string) => line(`\n=== ${title} ===`);

  heading('1. Streaming chat: tokens as they arrive');
  const stream = await single.generateChatCompletion({ prompt: 'Tell me a very short story about API keys.' });
  for await (const event of stream) {
    if (event.type === 'text-delta') write(event.text);
    if (event.type === 'finish') line(`\n[finish: ${event.finishReason}, ${event.usage.inputTokens} in / ${event.usage.outputTokens} out tokens]`);
  }

  heading('2. A tool call round-trip');
  const messages: ChatMessage[] = [{ role: 'user', content: 'What is the weather in Paris?' }];
  const first = await single.complete({ messages, tools: [weatherTool] });
  messages.push(first.message);
  for (const call of first.toolCalls) {
    line(`model calls ${call.name}(${call.arguments})`);
    const result = getWeather(call.arguments);
    line(`tool returns ${JSON.stringify(result)}`);
    messages.push({ role: 'tool', toolCallId: call.id, content: JSON.stringify(result) });
  }
  const second = await single.complete({ messages, tools: [weatherTool] });
  line(`model answers: ${second.text}`);

  heading(`3. A pool of ${keys.getKeyHealth().length} keys: every call must succeed`);
  let poolSucceeded = 0;
  // Consecutive calls with the same outcome share one line: `calls 1–6: ok via key-good — "…"`.
  let run: { first: number; last: number; outcome: string } | undefined;
  const flush = () => run && line(`${run.first === run.last ? `call ${run.first}` : `calls ${run.first}–${run.last}`}: ${run.outcome}`);
  for (let call = 1; call <= poolCalls; call += 1) {
    let outcome: string;
    try {
      const completion = await pooled.complete({ prompt: `Call ${call}: say hello.`, maxTokens: 20 });
      poolSucceeded += 1;
      outcome = `ok via ${completion.credentialId} — "${completion.text.slice(0, 48)}…"`;
    } catch (error) {
      outcome = `FAILED ${KitError.is(error) ? `[${error.code}] ${error.message}` : String(error)}`;
    }
    if (run?.outcome === outcome) run.last = call;
    else {
      flush();
      run = { first: call, last: call, outcome };
    }
  }
  flush();
  line(`${poolSucceeded}/${poolCalls} calls succeeded`);
  line('');
  line('key            state      failures  requests  why');
  for (const key of keys.getKeyHealth()) {
    const { state, why } = describeKey(key);
    line(`${key.id.padEnd(14)} ${state.padEnd(10)} ${String(key.consecutiveFailures).padStart(8)}  ${String(key.requests).padStart(8)}  ${why}`);
  }

  heading('4. Provider metrics (getMetrics(), kept by core for each provider instance)');
  for (const [label, provider] of [
    ['one key', single],
    ['key pool', pooled],
  ] as const) {
    const metrics = provider.getMetrics();
    line(
      `${`${provider.name} (${label})`.padEnd(22)} requests ${metrics.requestCount}, successes ${metrics.successCount}, errors ${metrics.errorCount}, ` +
        `avg latency ${metrics.averageLatencyMs.toFixed(1)} ms, tokens ${metrics.tokens.inputTokens} in / ${metrics.tokens.outputTokens} out` +
        (metrics.lastError ? `, last error ${metrics.lastError.code}` : ''),
    );
  }
  return { poolSucceeded, poolCalls };
}
