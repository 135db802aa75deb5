import { KitError, type CredentialLease, type CredentialSource, type GenerateOptions, type KitEvent } from '@kit/core';
import { resolveGenerateOptions } from '@kit/core/provider-utils';
import { defineOpenAICompatibleProvider } from '@kit/openai-compatible';
import type { ProviderDefinition } from '../../packages/core/src/provider-definition';
import { RequestEngine } from '../../packages/core/src/request-engine';

/** One OpenAI chat-completions SSE chunk carrying a text delta (the shape OpenAI's API reference shows). */
export const textChunk = (text: string) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-1', model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })}\n\n`;
/** The closing chunks: the finish reason, then the usage chunk, then `[DONE]`. */
export const finishChunks =
  `data: ${JSON.stringify({ id: 'chatcmpl-1', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n` +
  `data: ${JSON.stringify({ id: 'chatcmpl-1', choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } })}\n\n` +
  'data: [DONE]\n\n';

/** A streaming 200 whose body is `pieces`, each enqueued after `gapMs` of (possibly fake) time; open if `keepOpen`. */
export function sseResponse(pieces: string[], options: { gapMs?: number; keepOpen?: boolean; contentType?: string } = {}): Response {
  const encoder = new TextEncoder();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let index = 0;
      const next = () => {
        if (index < pieces.length) {
          controller.enqueue(encoder.encode(pieces[index++] as string));
          if (options.gapMs) timer = setTimeout(next, options.gapMs);
          else next();
        } else if (!options.keepOpen) controller.close();
      };
      next();
    },
    cancel() {
      if (timer !== undefined) clearTimeout(timer);
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': options.contentType ?? 'text/event-stream' } });
}

/** An SSE body that sends `: ping` every `everyMs` forever (until cancelled). */
export function keepAliveOnlyResponse(everyMs: number): Response {
  const encoder = new TextEncoder();
  let timer: ReturnType<typeof setInterval> | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      timer = setInterval(() => controller.enqueue(encoder.encode(': ping\n\n')), everyMs);
    },
    cancel() {
      clearInterval(timer);
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

export const jsonResponse = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** A fixed list of keys handed out round-robin, honouring `id` and `exclude`, recording every call. */
export function recordingSource(ids: string[], options: { exhausted?: (exclude: ReadonlySet<string> | undefined) => KitError | undefined } = {}) {
  const log: string[] = [];
  let next = 0;
  let sequence = 0;
  const source: CredentialSource = {
    async acquire({ id, exclude } = {}) {
      const refusal = options.exhausted?.(exclude);
      if (refusal) {
        log.push('acquire:exhausted');
        throw refusal;
      }
      const candidates = ids.filter((candidate) => !exclude?.has(candidate));
      const chosen = id && candidates.includes(id) ? id : candidates[next++ % Math.max(1, candidates.length)];
      if (!chosen) {
        log.push('acquire:none');
        throw new KitError('credentials_exhausted', 'no key left');
      }
      log.push(`acquire:${chosen}`);
      return { id: chosen, secret: `test-secret-${chosen}-abcdefghij`, kind: 'api-key', sequence: ++sequence } satisfies CredentialLease;
    },
    reportSuccess: (id, info) => log.push(`success:${id}#${info?.sequence}`),
    reportFailure: (id, error, info) => log.push(`failure:${id}:${error.code}#${info?.sequence}`),
  };
  return { source, log };
}

/** The engine over the OpenAI dialect with a scripted `fetch` (no sockets) and a recording sleep. */
export function fakeFetchEngine(options: {
  respond: (request: { url: string; authorization: string; n: number }) => Response | Promise<Response>;
  credentials: CredentialSource;
  maxRetries?: number;
  timeoutMs?: number;
  realSleep?: boolean;
  definition?: (base: ProviderDefinition) => ProviderDefinition;
}) {
  const sleeps: number[] = [];
  const events: KitEvent[] = [];
  const requests: { url: string; authorization: string }[] = [];
  const base = defineOpenAICompatibleProvider({ type: 'openai', defaultBaseURL: 'https://api.example.test/v1', defaultModel: 'gpt-4o-mini' });
  const engine = new RequestEngine({
    provider: 'openai',
    definition: options.definition ? options.definition(base) : base,
    credentials: options.credentials,
    baseURL: undefined,
    headers: {},
    timeoutMs: options.timeoutMs ?? 5_000,
    maxRetries: options.maxRetries ?? 2,
    fetch: async (input, init) => {
      const authorization = new Headers(init?.headers).get('authorization') ?? '';
      const request = { url: String(input), authorization };
      requests.push(request);
      return options.respond({ ...request, n: requests.length - 1 });
    },
    emit: (event) => events.push(event),
    random: () => 0.5,
    ...(options.realSleep
      ? {}
      : {
          sleep: async (ms: number, signal: AbortSignal | undefined) => {
            sleeps.push(ms);
            if (signal?.aborted) throw signal.reason;
          },
        }),
  });
  const resolve = (callOptions: GenerateOptions) =>
    resolveGenerateOptions(callOptions, { provider: 'openai', defaultModel: 'gpt-4o-mini', defaultStream: true });
  return {
    generate: (callOptions: GenerateOptions) => engine.generate(resolve(callOptions)),
    complete: (callOptions: GenerateOptions) => engine.complete(resolve({ stream: false, ...callOptions })),
    sleeps,
    events,
    requests,
  };
}

/** Settles a promise into `{ value }` or `{ error }`. */
export async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: KitError }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error: error as KitError };
  }
}
