import type { ChatMessage, Provider, ToolDefinition } from '@kit/core';
import type { KeyHealth, KeyManager } from '@kit/keymanager';

export interface ExampleOptions {
  /** A provider over the key pool. */
  anthropic: Provider;
  keys: KeyManager;
  write: (text: string) => void;
  /** How many plain calls go through the pool after the streaming one. */
  calls?: number;
  /** Keeps real-API runs cheap. */
  maxTokens?: number;
}

const weatherTool: ToolDefinition = {
  name: 'get_weather',
  description: 'The current weather of a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

/**
 * Streams one answer, sends a few calls through the key pool, runs one tool call round trip, and prints what each
 * key went through. Resolves with how many calls succeeded out of how many were made.
 */
export async function runExample({ anthropic, keys, write, calls = 4, maxTokens = 300 }: ExampleOptions): Promise<{ succeeded: number; calls: number }> {
  let succeeded = 0;
  let made = 0;
  const attempt = async (label: string, call: () => Promise<string>) => {
    made += 1;
    try {
      write(`${label}: ${await call()}\n`);
      succeeded += 1;
    } catch (error) {
      write(`${label}: FAILED (${(error as Error).message})\n`);
    }
  };

  await attempt('stream', async () => {
    const stream = await anthropic.generateChatCompletion({ prompt: 'Tell a two-sentence story about API keys.', maxTokens });
    write('stream: ');
    for await (const event of stream) if (event.type === 'text-delta') write(event.text);
    write('\n');
    const { credentialId, usage } = await stream.final();
    return `answered by ${credentialId} (${usage.inputTokens} in / ${usage.outputTokens} out tokens)`;
  });

  for (let call = 1; call <= calls; call += 1) {
    await attempt(`call ${call}`, async () => {
      const completion = await anthropic.complete({ prompt: `Say "pong ${call}" and nothing else.`, maxTokens: 50 });
      return `${JSON.stringify(completion.text.trim().slice(0, 60))} from ${completion.credentialId}`;
    });
  }

  await attempt('tools', async () => {
    const messages: ChatMessage[] = [{ role: 'user', content: 'What is the weather in Paris? Use the tool.' }];
    const first = await anthropic.complete({ messages, tools: [weatherTool], maxTokens });
    const call = first.toolCalls[0];
    if (!call) return `no tool call; answer: ${first.text}`;
    write(`tools: model calls ${call.name}(${call.arguments})\n`);
    messages.push(first.message, { role: 'tool', toolCallId: call.id, content: JSON.stringify({ temperature: 18, sky: 'sunny' }) });
    const second = await anthropic.complete({ messages, tools: [weatherTool], maxTokens });
    return `model answers: ${second.text.trim()}`;
  });

  write('\nkeys:\n');
  for (const key of keys.getKeyHealth()) {
    write(
      `  ${key.id.padEnd(14)} ${key.healthy && !refusedByProvider(key) ? 'healthy  ' : 'unhealthy'} requests=${key.requests} failures=${key.failures}${key.lastErrorCode ? ` last error=${key.lastErrorCode}` : ''}\n`,
    );
  }
  write(`\n${succeeded}/${made} calls succeeded.\n`);
  return { succeeded, calls: made };
}

/** The provider refused the key (revoked, no permission) since its last success: not healthy, whatever the count. */
function refusedByProvider(key: KeyHealth): boolean {
  return key.consecutiveFailures > 0 && (key.lastErrorCode === 'authentication' || key.lastErrorCode === 'permission');
}
