// Runs on the edge project too: every upstream is an injected `fetch`.
import ky, { type AfterResponseHook, type BeforeRequestHook } from 'ky';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHttpClient, isHttpHooks, type HttpHooks } from './http-client';
import { KitError } from './kit-error';
import { providerSettingsSchema } from './provider-settings';

interface Seen {
  input: unknown;
  init: RequestInit | undefined;
}

/** An upstream as a `fetch` recording how it was called; `answer` may throw (a transport failure). */
function upstream(answer: (seen: Seen) => Response | Promise<Response>) {
  const seen: Seen[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const call = { input, init };
    seen.push(call);
    return answer(call);
  }) as typeof globalThis.fetch;
  return { seen, fetch };
}

/** The header record a call's `init` carried. */
const headersOf = (call: Seen | undefined): Record<string, string> => (call?.init?.headers ?? {}) as Record<string, string>;

afterEach(() => {
  vi.useRealTimers();
});

// Without hooks the client calls fetch directly; with hooks it builds a `Request` and runs them. The contract is the same.
describe.each([
  ['without hooks (direct fetch)', undefined],
  ['with hooks', { beforeRequest: [() => {}], afterResponse: [() => {}] } satisfies HttpHooks],
] as const)('createHttpClient %s', (_mode, hooks) => {
  it('calls the user fetch as fetch(url, init): a string URL, the headers, a string body, the signal', async () => {
    const { seen, fetch } = upstream(() => Response.json({ ok: true }));
    const client = createHttpClient({ fetch, hooks });
    const controller = new AbortController();
    const response = await client('https://api.test.example/v1/chat', {
      method: 'POST',
      headers: { authorization: 'Bearer test-key-credential-1', 'content-type': 'application/json' },
      body: '{"a":1}',
      signal: controller.signal,
    });
    expect(await response.json()).toEqual({ ok: true });
    expect(seen).toHaveLength(1);
    const [{ input, init }] = seen as [Seen];
    expect(input).toBe('https://api.test.example/v1/chat');
    expect(init).toMatchObject({
      method: 'POST',
      body: '{"a":1}',
      headers: { authorization: 'Bearer test-key-credential-1', 'content-type': 'application/json' },
    });
    expect(init?.signal).toBeInstanceOf(AbortSignal);
    controller.abort();
    expect(init?.signal?.aborted).toBe(true);
  });

  it('returns a non-2xx answer instead of throwing, and never retries it', async () => {
    const { seen, fetch } = upstream(() => new Response('overloaded', { status: 503, headers: { 'retry-after': '0' } }));
    const response = await createHttpClient({ fetch, hooks })('https://api.test.example/v1/models');
    expect(response.status).toBe(503);
    expect(await response.text()).toBe('overloaded');
    expect(seen).toHaveLength(1);
  });

  it('has no timer of its own: an answer after ky’s default 10 s still arrives (the engine owns the timers)', async () => {
    vi.useFakeTimers();
    const { fetch } = upstream(() => new Promise<Response>((resolve) => setTimeout(() => resolve(new Response('late')), 15_000)));
    const pending = createHttpClient({ fetch, hooks })('https://api.test.example/v1/models');
    await vi.advanceTimersByTimeAsync(15_000);
    expect(await (await pending).text()).toBe('late');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a transport failure rejects with fetch’s own error (its system code in `cause`), not retried', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const { seen, fetch } = upstream(() => {
      throw new TypeError('fetch failed', { cause: refused });
    });
    const error = await createHttpClient({ fetch, hooks })('https://api.test.example/v1/models').catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('fetch failed');
    expect(((error as TypeError).cause as { code?: string }).code).toBe('ECONNREFUSED');
    expect(seen).toHaveLength(1);
  });

  it('an abort rejects with the reason the caller gave (the engine aborts with its own KitError)', async () => {
    const { fetch } = upstream(
      ({ init }) =>
        new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject((init.signal as AbortSignal).reason), { once: true })),
    );
    const controller = new AbortController();
    const pending = createHttpClient({ fetch, hooks })('https://api.test.example/v1/models', { signal: controller.signal });
    const reason = new KitError('timeout', 'p: no data for 10 ms');
    setTimeout(() => controller.abort(reason), 0);
    await expect(pending).rejects.toBe(reason);
    // Aborted before it starts: the user's fetch is never reached.
    const notCalled = vi.fn();
    const early = createHttpClient({ fetch: notCalled as unknown as typeof globalThis.fetch, hooks })('https://api.test.example/v1/models', {
      signal: AbortSignal.abort(reason),
    });
    await expect(early).rejects.toBe(reason);
    expect(notCalled).not.toHaveBeenCalled();
  });

  it('without a user fetch, the global fetch is looked up at request time', async () => {
    const original = globalThis.fetch;
    const calls: unknown[] = [];
    const client = createHttpClient({ hooks });
    globalThis.fetch = (async (input: string | URL | Request) => {
      calls.push(input);
      return new Response('global');
    }) as typeof globalThis.fetch;
    try {
      expect(await (await client('https://api.test.example/v1/models')).text()).toBe('global');
    } finally {
      globalThis.fetch = original;
    }
    expect(calls).toEqual(['https://api.test.example/v1/models']);
  });
});

describe('createHttpClient hooks', () => {
  it('beforeRequest hooks see the real request (auth header included) and may add headers; afterResponse hooks see the answer', async () => {
    const { seen, fetch } = upstream(() => new Response('{}', { status: 201, headers: { 'x-request-id': 'req-7' } }));
    const traced: string[] = [];
    const client = createHttpClient({
      fetch,
      hooks: {
        beforeRequest: [
          ({ request }) => {
            traced.push(`${request.method} ${request.url} auth=${request.headers.get('authorization')}`);
            request.headers.set('traceparent', '00-trace-01');
          },
        ],
        afterResponse: [
          ({ response }) => {
            traced.push(`${response.status} ${response.headers.get('x-request-id')}`);
          },
        ],
      },
    });
    const response = await client('https://api.test.example/v1/chat', {
      method: 'POST',
      headers: { authorization: 'Bearer test-key-credential-1' },
      body: '{}',
    });
    expect(response.status).toBe(201);
    expect(traced).toEqual(['POST https://api.test.example/v1/chat auth=Bearer test-key-credential-1', '201 req-7']);
    expect(headersOf(seen[0]).traceparent).toBe('00-trace-01');
  });

  it("takes hooks written with ky's own types (which also read ky's options)", async () => {
    const { seen, fetch } = upstream(() => new Response('ok'));
    const seenMethods: string[] = [];
    const kyBefore: BeforeRequestHook = ({ request, options }) => {
      seenMethods.push(String(options.method));
      request.headers.set('x-ky-typed', '1');
    };
    const kyAfter: AfterResponseHook = ({ response }) => new Response(`${response.status} replaced`);
    const response = await createHttpClient({ fetch, hooks: { beforeRequest: [kyBefore], afterResponse: [kyAfter] } })('https://api.test.example/v1/models');
    expect(await response.text()).toBe('200 replaced');
    expect(seenMethods).toEqual(['GET']);
    expect(headersOf(seen[0])['x-ky-typed']).toBe('1');
  });

  it('a beforeRequest hook may send another Request, or answer with a Response without sending (afterResponse hooks still run)', async () => {
    const { seen, fetch } = upstream(() => new Response('from upstream'));
    const replaced = await createHttpClient({
      fetch,
      hooks: { beforeRequest: [({ request }) => new Request('https://mirror.test.example/v1/models', { headers: request.headers })] },
    })('https://api.test.example/v1/models', { headers: { authorization: 'Bearer test-key-credential-1' } });
    expect(await replaced.text()).toBe('from upstream');
    expect(seen.map((call) => call.input)).toEqual(['https://mirror.test.example/v1/models']);
    expect(headersOf(seen[0]).authorization).toBe('Bearer test-key-credential-1');

    const after: number[] = [];
    const cached = await createHttpClient({
      fetch,
      hooks: { beforeRequest: [() => new Response('cached', { status: 203 })], afterResponse: [({ response }) => void after.push(response.status)] },
    })('https://api.test.example/v1/models');
    expect(await cached.text()).toBe('cached');
    expect(after).toEqual([203]);
    expect(seen).toHaveLength(1);
  });

  it('afterResponse hooks get a clone: a streamed body still reaches the caller whole, whether the hook reads it or not', async () => {
    const chunks = ['data: a\n\n', 'data: b\n\n', 'data: c\n\n'];
    const stream = () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
            controller.close();
          },
        }),
        { headers: { 'content-type': 'text/event-stream' } },
      );
    const { fetch } = upstream(stream);
    let peeked = '';
    const client = createHttpClient({
      fetch,
      hooks: {
        afterResponse: [
          () => {},
          async ({ response }) => {
            peeked = await response.text();
          },
        ],
      },
    });
    const response = await client('https://api.test.example/v1/chat', { method: 'POST', body: '{}' });
    expect(await response.text()).toBe(chunks.join(''));
    expect(peeked).toBe(chunks.join(''));
  });

  it('nothing a hook returns makes it retry (ky.retry() is ignored): the engine owns the only retry loop', async () => {
    const { seen, fetch } = upstream(() => new Response('busy', { status: 503 }));
    const response = await createHttpClient({ fetch, hooks: { afterResponse: [() => ky.retry()] } })('https://api.test.example/v1/models');
    expect(response.status).toBe(503);
    expect(seen).toHaveLength(1);
  });

  it('a hook that throws fails the request with its error', async () => {
    const { seen, fetch } = upstream(() => new Response('ok'));
    const broken = new Error('tracing exporter down');
    const pending = createHttpClient({
      fetch,
      hooks: {
        beforeRequest: [
          () => {
            throw broken;
          },
        ],
      },
    })('https://api.test.example/v1/models');
    await expect(pending).rejects.toBe(broken);
    expect(seen).toHaveLength(0);
  });
});

describe('the hooks provider setting', () => {
  it('is validated with the other settings: arrays of functions under beforeRequest / afterResponse', () => {
    expect(providerSettingsSchema.safeParse({ hooks: { beforeRequest: [() => {}], afterResponse: [() => {}] } }).success).toBe(true);
    const bad = providerSettingsSchema.safeParse({ hooks: { beforeRequest: () => {} } });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toContain('hooks');
  });
});

describe('isHttpHooks', () => {
  it('accepts beforeRequest / afterResponse arrays of functions, nothing else', () => {
    expect(isHttpHooks({})).toBe(true);
    expect(isHttpHooks({ beforeRequest: [() => {}], afterResponse: [] })).toBe(true);
    expect(isHttpHooks({ beforeRequest: () => {} })).toBe(false);
    expect(isHttpHooks({ beforeRequest: ['x'] })).toBe(false);
    expect(isHttpHooks({ beforeError: [() => {}] })).toBe(false);
    expect(isHttpHooks([])).toBe(false);
    expect(isHttpHooks(null)).toBe(false);
  });
});
