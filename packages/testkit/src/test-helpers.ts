// Helpers shared by this package's tests (not exported from the package).
import { afterEach } from 'vitest';
import { createMockUpstream, type MockUpstream, type MockUpstreamOptions } from './mock-upstream';

const started: MockUpstream[] = [];

/** Starts a mock upstream that is closed after the current test. */
export async function startUpstream(options: Partial<MockUpstreamOptions> = {}): Promise<MockUpstream> {
  const upstream = await createMockUpstream({ dialect: 'openai', ...options });
  started.push(upstream);
  return upstream;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((upstream) => upstream.close()));
});

/** POSTs a chat completion request. */
export function postChat(
  upstream: MockUpstream,
  body: unknown,
  init: { key?: string; signal?: AbortSignal; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...init.headers };
  if (init.key !== undefined) headers.authorization = `Bearer ${init.key}`;
  return fetch(`${upstream.url}/chat/completions`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...(init.signal ? { signal: init.signal } : {}),
  });
}

/** A minimal chat request. */
export function chatRequest(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: 'gpt-test', messages: [{ role: 'user', content: 'Say hello to the world' }], ...extra };
}

/** The `data:` payloads of an SSE text, in order. */
export function sseData(text: string): string[] {
  return text
    .split('\n\n')
    .map((event) => event.trim())
    .filter((event) => event !== '')
    .map((event) => {
      if (!event.startsWith('data: ')) throw new Error(`not a data line: ${event}`);
      return event.slice('data: '.length);
    });
}

/** A tool-call piece in the delta of an OpenAI chat chunk (`id`, `type` and the name come with the first piece only). */
export interface OpenAIToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function: { name?: string; arguments: string };
}

/** A parsed OpenAI `chat.completion.chunk`, as the mock sends it (one choice; none in the usage-only chunk). */
export interface OpenAIChunk {
  id: string;
  object: string;
  created: number;
  model: string;
  choices: {
    index: number;
    delta: { role?: string; content?: string | null; refusal?: string | null; reasoning_content?: string; tool_calls?: OpenAIToolCallDelta[] };
    finish_reason: string | null;
  }[];
  usage?: Record<string, unknown> | null;
}

/** Parsed chunks of a complete SSE body (requires the `[DONE]` terminator). */
export function sseChunks(text: string): OpenAIChunk[] {
  const data = sseData(text);
  if (data.at(-1) !== '[DONE]') throw new Error('stream did not end with [DONE]');
  return data.slice(0, -1).map((payload) => JSON.parse(payload) as OpenAIChunk);
}

/** Reads a body chunk by chunk until it ends or fails; returns what arrived and the failure. */
export async function readUntilEndOrError(response: Response): Promise<{ text: string; error?: unknown; reads: number }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let reads = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text, reads };
      reads += 1;
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    return { text, error, reads };
  }
}

/** Reads from `reader` until `predicate(text so far)` holds. */
export async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, predicate: (text: string) => boolean): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  while (!predicate(text)) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`stream ended before the expected data; got: ${text}`);
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

/** `'pending'` when `promise` has not settled within `ms` (for checks that something does NOT happen). */
export async function stateAfter(promise: Promise<unknown>, ms: number): Promise<'pending' | 'settled'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pending = new Promise<'pending'>((resolve) => {
    timer = setTimeout(() => resolve('pending'), ms);
  });
  const settled = promise.then(
    () => 'settled' as const,
    () => 'settled' as const,
  );
  const result = await Promise.race([settled, pending]);
  clearTimeout(timer);
  return result;
}
