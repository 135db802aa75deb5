import { kitLanguageModel } from '@kit/ai-sdk';
import type { Provider } from '@kit/core';
import type { KeyHealth, KeyManager } from '@kit/keymanager';
import { isStepCount, streamText, tool } from 'ai';
import * as z from 'zod';

export interface ExampleOptions {
  /** A @kit provider over the key pool. */
  anthropic: Provider;
  keys: KeyManager;
  /** The model id passed to the provider. */
  modelId: string;
  write: (text: string) => void;
  /** Keeps real-API runs cheap. */
  maxOutputTokens?: number;
}

const getWeather = tool({
  description: 'The current weather of a city',
  inputSchema: z.object({ city: z.string().describe('The city name') }),
  // A real app would call a weather API here.
  execute: async ({ city }) => ({ city, temperature: 18, sky: 'sunny' }),
});

/**
 * The Vercel AI SDK's `streamText` with a tool, over a @kit key pool: the AI SDK runs the tool loop, @kit picks the
 * key, fails over and keeps the health of each key. Prints the stream, the tool call, what answered and each key's
 * health. Resolves `true` when the answer came through.
 */
export async function runExample({ anthropic, keys, modelId, write, maxOutputTokens = 300 }: ExampleOptions): Promise<boolean> {
  const result = streamText({
    model: kitLanguageModel(anthropic, modelId),
    prompt: 'What is the weather in Paris? Use the tool.',
    tools: { get_weather: getWeather },
    stopWhen: isStepCount(3),
    maxOutputTokens,
    // @kit's engine already retried and failed over before an error reaches the AI SDK.
    maxRetries: 0,
  });

  let failed = false;
  for await (const part of result.fullStream) {
    if (part.type === 'text-delta') write(part.text);
    else if (part.type === 'tool-call') write(`[tool] ${part.toolName}(${JSON.stringify(part.input)})\n`);
    else if (part.type === 'tool-result') write(`[tool] → ${JSON.stringify(part.output)}\n`);
    else if (part.type === 'finish-step') write(`\n[step] finished: ${part.finishReason}, answered by ${String(part.providerMetadata?.kit?.credentialId)}\n`);
    else if (part.type === 'error') {
      failed = true;
      write(`\nFAILED (${(part.error as Error).message})\n`);
    }
  }
  const usage = await result.totalUsage;
  write(`\n${(await result.steps).length} steps, ${usage.inputTokens} in / ${usage.outputTokens} out tokens.\n`);

  write('\nkeys:\n');
  for (const key of keys.getKeyHealth()) {
    write(
      `  ${key.id.padEnd(14)} ${key.healthy && !refusedByProvider(key) ? 'healthy  ' : 'unhealthy'} requests=${key.requests} failures=${key.failures}${key.lastErrorCode ? ` last error=${key.lastErrorCode}` : ''}\n`,
    );
  }
  return !failed && (await result.text).length > 0;
}

/** The provider refused the key (revoked, no permission) since its last success: not healthy, whatever the count. */
function refusedByProvider(key: KeyHealth): boolean {
  return key.consecutiveFailures > 0 && (key.lastErrorCode === 'authentication' || key.lastErrorCode === 'permission');
}
