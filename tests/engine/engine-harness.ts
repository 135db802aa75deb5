import type { CredentialSource, GenerateOptions, KitEvent } from '@kit/core';
import { resolveGenerateOptions, singleKeySource } from '@kit/core/provider-utils';
import { defineOpenAICompatibleProvider } from '@kit/openai-compatible';
import { RequestEngine } from '../../packages/core/src/request-engine';

/**
 * The engine on its own, over the OpenAI dialect, with a recording sleep: retry schedules are checked
 * without waiting (real sockets, no real backoff time).
 */
export function createEngineHarness(options: {
  baseURL: string;
  credentials?: CredentialSource;
  maxRetries?: number;
  timeoutMs?: number;
  random?: () => number;
}) {
  const sleeps: number[] = [];
  const events: KitEvent[] = [];
  const definition = defineOpenAICompatibleProvider({ type: 'openai', defaultBaseURL: options.baseURL, defaultModel: 'gpt-4o-mini' });
  const engine = new RequestEngine({
    provider: 'openai',
    definition,
    credentials: options.credentials ?? singleKeySource(() => 'test-key-single-abcdefghij'),
    baseURL: options.baseURL,
    headers: {},
    timeoutMs: options.timeoutMs ?? 5_000,
    maxRetries: options.maxRetries ?? 2,
    fetch: (input, init) => fetch(input, init),
    emit: (event) => events.push(event),
    random: options.random ?? (() => 0.5),
    sleep: async (ms, signal) => {
      sleeps.push(ms);
      if (signal?.aborted) throw signal.reason;
    },
  });
  const generate = (callOptions: GenerateOptions) =>
    engine.generate(resolveGenerateOptions(callOptions, { provider: 'openai', defaultModel: 'gpt-4o-mini', defaultStream: true }));
  return { engine, generate, sleeps, events };
}
