import type { ChatMessage, Provider, ToolDefinition } from '@kit/core';
import { KitError } from '@kit/core';
import type { KeyManager } from '@kit/keymanager';

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
  for (let call = 1; call <= poolCalls; call += 1) {
    try {
      const completion = await pooled.complete({ prompt: `Call ${call}: say hello.`, maxTokens: 20 });
      poolSucceeded += 1;
      line(`call ${call}: ok via ${completion.credentialId} — "${completion.text.slice(0, 48)}…"`);
    } catch (error) {
      line(`call ${call}: FAILED ${KitError.is(error) ? `[${error.code}] ${error.message}` : String(error)}`);
    }
  }
  line(`${poolSucceeded}/${poolCalls} calls succeeded`);
  line('');
  line('key            state      failures  requests  why');
  for (const key of keys.getKeyHealth()) {
    const state = key.backoffUntil && key.backoffUntil > Date.now() ? 'backoff' : key.healthy ? 'healthy' : 'unhealthy';
    const why = key.lastErrorCode
      ? `last error ${key.lastErrorCode}${key.backoffUntil ? `, sleeps ${Math.max(0, Math.round((key.backoffUntil - Date.now()) / 1000))} s more` : ''}`
      : 'answering';
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
