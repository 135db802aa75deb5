// Runs on the edge project too: every upstream is an injected `fetch`; timeouts run on fake timers.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KitError } from './kit-error';
import { requestJsonOnce, sendRequestOnce } from './request-json-once';
import type { RequestJsonOptions } from './request-json-options';

const URL_ = 'https://cloudcode.test.example/v1internal:loadCodeAssist';
const TOKEN = 'test-access-token-1';

interface Call {
  url: string;
  init: RequestInit | undefined;
}

/** An upstream as a `fetch`; `'hang'` never answers (until aborted); a thrown error is a transport failure. */
function upstream(answer: () => Response | Error | 'hang') {
  const calls: Call[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(input), init });
    const reply = answer();
    if (reply instanceof Error) throw reply;
    if (reply !== 'hang') return reply;
    return new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason), { once: true }));
  }) as typeof globalThis.fetch;
  const options = (more: Partial<RequestJsonOptions> = {}): RequestJsonOptions => ({ provider: 'gemini', fetch, ...more });
  return { calls, options };
}

const failureOf = async (promise: Promise<unknown>): Promise<KitError> => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!KitError.is(error)) throw new Error(`expected a KitError, got ${String(error)}`);
  return error;
};

afterEach(() => {
  vi.useRealTimers();
});

describe('requestJsonOnce', () => {
  it('POSTs JSON with merged headers once and returns the parsed answer', async () => {
    const { calls, options } = upstream(() => Response.json({ currentTier: { id: 'free-tier' } }));
    const body = await requestJsonOnce(URL_, options({ json: { metadata: {} }, headers: { Authorization: `Bearer ${TOKEN}`, 'X-Goog-User-Project': 'p1' } }));
    expect(body).toEqual({ currentTier: { id: 'free-tier' } });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.init).toMatchObject({
      method: 'POST',
      body: '{"metadata":{}}',
      headers: { accept: 'application/json', 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, 'x-goog-user-project': 'p1' },
    });
  });

  it('never retries: a 503 is classified after one call, with the token masked though the body echoes it', async () => {
    // Google APIs' error body (google.rpc.Status, https://cloud.google.com/apis/design/errors).
    const { calls, options } = upstream(() =>
      Response.json({ error: { code: 503, message: `backend busy for ${TOKEN}`, status: 'UNAVAILABLE' } }, { status: 503 }),
    );
    const error = await failureOf(requestJsonOnce(URL_, options({ headers: { authorization: `Bearer ${TOKEN}` }, credentialId: 'alice', retry: 3 })));
    expect(error).toMatchObject({ code: 'server_error', status: 503, credentialId: 'alice' });
    for (const view of [error.message, error.stack, JSON.stringify(error)]) expect(view).not.toContain(TOKEN);
    expect(calls).toHaveLength(1);
  });

  it('timeoutMs bounds the whole request, the answer body included, and leaves no timer', async () => {
    vi.useFakeTimers();
    const silent = upstream(() => 'hang');
    const waiting = failureOf(sendRequestOnce(URL_, silent.options({ timeoutMs: 2_000, what: 'Code Assist :loadCodeAssist' })));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await waiting).toMatchObject({ code: 'timeout', message: 'gemini: Code Assist :loadCodeAssist: no answer within 2000 ms' });

    // Headers at once, then a body that never ends.
    const trickle = upstream(() => new Response(new ReadableStream({ start: (controller) => controller.enqueue(new TextEncoder().encode('{"a":')) })));
    const stalled = failureOf(sendRequestOnce(URL_, trickle.options({ timeoutMs: 1_000 })));
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await stalled).code).toBe('timeout');
    expect(vi.getTimerCount()).toBe(0);
  });

  it("the caller's abort → aborted; an aborted signal sends nothing", async () => {
    const silent = upstream(() => 'hang');
    const controller = new AbortController();
    const pending = failureOf(sendRequestOnce(URL_, silent.options({ signal: controller.signal })));
    await Promise.resolve();
    controller.abort();
    expect((await pending).code).toBe('aborted');
    const none = upstream(() => Response.json({}));
    expect((await failureOf(sendRequestOnce(URL_, none.options({ signal: AbortSignal.abort() })))).code).toBe('aborted');
    expect(none.calls).toHaveLength(0);
  });

  it('a transport failure → network with the system code, masked', async () => {
    const down = upstream(
      () => new TypeError(`fetch failed for ${TOKEN}`, { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }),
    );
    const error = await failureOf(sendRequestOnce(URL_, down.options({ headers: { authorization: `Bearer ${TOKEN}` } })));
    expect(error.code).toBe('network');
    expect(error.message).toContain('(ECONNREFUSED)');
    expect(error.message).not.toContain(TOKEN);
  });

  it('hooks see the request; bad options are invalid_request before any request', async () => {
    const { calls, options } = upstream(() => Response.json({}));
    const traced: string[] = [];
    await sendRequestOnce(URL_, options({ hooks: { beforeRequest: [({ request }) => void traced.push(`${request.method} ${request.url}`)] } }));
    expect(traced).toEqual([`GET ${URL_}`]);
    expect(await failureOf(sendRequestOnce(URL_, options({ timeoutMs: -1 })))).toMatchObject({ code: 'invalid_request' });
    expect(calls).toHaveLength(1);
  });
});
