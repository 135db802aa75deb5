// Runs on the edge project too: every upstream is an injected `fetch`; ky's backoff runs on fake timers.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KitError } from './kit-error';
import { requestJson, sendRequest } from './request-json';
import type { RequestJsonOptions } from './request-json-options';

const URL_ = 'https://api.test.example/v1/models';
const KEY = 'test-key-credential-1';

interface Call {
  url: string;
  method: string | undefined;
  headers: Record<string, string>;
  body: string | undefined;
}

type Answer = Response | Error | 'hang';

/** An upstream answering from a script (the last answer repeats); records every call. */
function scripted(...answers: (() => Answer)[]) {
  const calls: Call[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(input), method: init?.method, headers: { ...(init?.headers as Record<string, string>) }, body: init?.body as string | undefined });
    const answer = (answers[Math.min(calls.length, answers.length) - 1] as () => Answer)();
    if (answer instanceof Error) throw answer;
    if (answer !== 'hang') return answer;
    return new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason), { once: true }));
  }) as typeof globalThis.fetch;
  const options = (more: Partial<RequestJsonOptions> = {}): RequestJsonOptions => ({ provider: 'p', fetch, ...more });
  return { calls, fetch, options };
}

const json =
  (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
/** undici's failure to connect / a connection lost mid-request, as `fetch` throws them. */
const systemFailure = (code: string) => () => new TypeError('fetch failed', { cause: Object.assign(new Error(`${code} 127.0.0.1:443`), { code }) });

const failureOf = async (promise: Promise<unknown>): Promise<KitError> => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!KitError.is(error)) throw new Error(`expected a KitError, got ${String(error)}`);
  return error;
};

function expectNoSecrets(error: KitError, secrets: string[]): void {
  for (const view of [error.message, error.stack, JSON.stringify(error), String(error.cause)]) {
    for (const secret of secrets) expect(view).not.toContain(secret);
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('requestJson', () => {
  it('GETs with accept: application/json and the caller headers merged case-insensitively; returns the parsed body', async () => {
    const { calls, options } = scripted(json({ data: [{ id: 'm1' }] }));
    const body = await requestJson(URL_, options({ headers: { Accept: 'application/vnd.test+json', Authorization: `Bearer ${KEY}` } }));
    expect(body).toEqual({ data: [{ id: 'm1' }] });
    expect(calls).toEqual([{ url: URL_, method: 'GET', headers: { accept: 'application/vnd.test+json', authorization: `Bearer ${KEY}` }, body: undefined }]);
  });

  it('POSTs a json body with its content-type; an empty 2xx answer is undefined; a 2xx that is not JSON is invalid_response', async () => {
    const { calls, options } = scripted(
      () => new Response(null, { status: 204 }),
      () => new Response('<html>ok</html>'),
    );
    expect(await requestJson(URL_, options({ json: { a: 1 } }))).toBeUndefined();
    expect(calls[0]).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(await failureOf(requestJson(URL_, options()))).toMatchObject({ code: 'invalid_response', status: 200 });
  });

  it('a non-2xx answer is classified (status, then body, then `refine`) with the credential masked even when echoed', async () => {
    const { options } = scripted(json({ error: { message: `Invalid key ${KEY}`, type: 'invalid_request_error' } }, 401, { 'x-request-id': 'req-9' }));
    const error = await failureOf(requestJson(URL_, options({ headers: { authorization: `Bearer ${KEY}` }, credentialId: 'key-1', what: 'model list' })));
    expect(error).toMatchObject({ code: 'authentication', status: 401, provider: 'p', credentialId: 'key-1', requestId: 'req-9' });
    expectNoSecrets(error, [KEY]);

    const refined = scripted(json({ error: 'odd' }, 400));
    const refinedError = await failureOf(requestJson(URL_, refined.options({ refine: () => ({ code: 'not_found', message: 'no such thing' }) })));
    expect(refinedError).toMatchObject({ code: 'not_found', message: 'p: no such thing (HTTP 400)' });
  });

  it('bad options are invalid_request before any request', async () => {
    const { calls, options } = scripted(json({}));
    expect(await failureOf(requestJson(URL_, options({ retry: 9 })))).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('retry') });
    expect(await failureOf(requestJson(URL_, options({ retry: { limit: 1.5 } })))).toMatchObject({ code: 'invalid_request' });
    expect(await failureOf(requestJson(URL_, options({ retry: { limit: 1, when: 'always' as 'transient' } })))).toMatchObject({
      code: 'invalid_request',
      message: expect.stringContaining('retry.when'),
    });
    expect(await failureOf(requestJson(URL_, options({ timeoutMs: 0 })))).toMatchObject({
      code: 'invalid_request',
      message: expect.stringContaining('timeoutMs'),
    });
    expect(calls).toHaveLength(0);
  });
});

describe('sendRequest: retries where the call is safe to repeat (ky retry, fake timers)', () => {
  it('does not retry by default: a 503 is answered after one call', async () => {
    const { calls, options } = scripted(json({ error: 'busy' }, 503));
    const answer = await sendRequest(URL_, options());
    expect(answer).toMatchObject({ status: 503, ok: false, body: { error: 'busy' } });
    expect(calls).toHaveLength(1);
  });

  it('retries transient answers with backoff, then succeeds', async () => {
    vi.useFakeTimers();
    const { calls, options } = scripted(json({ error: 'busy' }, 503), systemFailure('ECONNRESET'), json({ ok: true }));
    const pending = requestJson(URL_, options({ retry: 2 }));
    // Backoff 300 ms then 600 ms, each ± 20 %: the second call lands in [240, 360] ms, the third in [720, 1080] ms.
    await vi.advanceTimersByTimeAsync(200);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(300);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(500);
    expect(await pending).toEqual({ ok: true });
    expect(calls).toHaveLength(3);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('honours Retry-After, and answers at once when the server asks for longer than maxRetryAfterMs', async () => {
    vi.useFakeTimers();
    const limited = scripted(json({ error: 'slow down' }, 429, { 'retry-after': '2' }), json({ ok: true }));
    const pending = requestJson(URL_, limited.options({ retry: 1 }));
    await vi.advanceTimersByTimeAsync(1_999);
    expect(limited.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await pending).toEqual({ ok: true });
    expect(limited.calls).toHaveLength(2);

    const longWait = scripted(json({ error: 'slow down' }, 429, { 'retry-after': '60' }));
    const error = await failureOf(requestJson(URL_, longWait.options({ retry: { limit: 2, maxRetryAfterMs: 10_000 } })));
    expect(error).toMatchObject({ code: 'rate_limit', retryAfterMs: 60_000 });
    expect(longWait.calls).toHaveLength(1);
  });

  it('the retry count is bounded; client errors are never retried', async () => {
    vi.useFakeTimers();
    const down = scripted(json({ error: 'boom' }, 500));
    const pending = failureOf(requestJson(URL_, down.options({ retry: 2 })));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await pending).toMatchObject({ code: 'server_error', status: 500 });
    expect(down.calls).toHaveLength(3);

    const bad = scripted(json({ error: 'bad' }, 400));
    expect(await failureOf(requestJson(URL_, bad.options({ retry: 2 })))).toMatchObject({ code: 'invalid_request' });
    expect(bad.calls).toHaveLength(1);
  });

  it('a retried POST (the caller declared it safe) is sent again with the same body', async () => {
    vi.useFakeTimers();
    const { calls, options } = scripted(json({}, 502), json({ delivered: true }));
    const pending = requestJson('https://hooks.test.example/alert', options({ json: { id: 'alert-1' }, retry: 1 }));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await pending).toEqual({ delivered: true });
    expect(calls.map((call) => `${call.method} ${call.body}`)).toEqual(['POST {"id":"alert-1"}', 'POST {"id":"alert-1"}']);
  });

  it("'not-sent' retries only a connection that was never made: not a reset, not a timeout, not an HTTP answer", async () => {
    vi.useFakeTimers();
    const refused = scripted(systemFailure('ECONNREFUSED'), systemFailure('ENOTFOUND'), json({ access_token: 'x' }));
    const pending = requestJson(URL_, refused.options({ form: { grant_type: 'refresh_token' }, retry: { limit: 2, when: 'not-sent' } }));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await pending).toEqual({ access_token: 'x' });
    expect(refused.calls).toHaveLength(3);

    const reset = scripted(systemFailure('ECONNRESET'));
    const resetError = await failureOf(requestJson(URL_, reset.options({ retry: { limit: 2, when: 'not-sent' } })));
    expect(resetError).toMatchObject({ code: 'network', message: 'p: request: fetch failed (ECONNRESET)' });
    expect(reset.calls).toHaveLength(1);

    const answered = scripted(json({ error: 'temporarily_unavailable' }, 503));
    expect((await sendRequest(URL_, answered.options({ retry: { limit: 2, when: 'not-sent' } }))).status).toBe(503);
    expect(answered.calls).toHaveLength(1);

    const silent = scripted(() => 'hang');
    const timedOut = failureOf(requestJson(URL_, silent.options({ timeoutMs: 1_000, retry: { limit: 2, when: 'not-sent' } })));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await timedOut).toMatchObject({ code: 'timeout' });
    expect(silent.calls).toHaveLength(1);
  });
});

describe('sendRequest: timeouts, aborts, failures, masking', () => {
  it('no answer within timeoutMs → timeout, leaving no timer behind', async () => {
    vi.useFakeTimers();
    const { options } = scripted(() => 'hang');
    const pending = failureOf(sendRequest(URL_, options({ timeoutMs: 2_000, what: 'model list' })));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await pending).toMatchObject({ code: 'timeout', message: 'p: model list: no answer within 2000 ms' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('with transient retries a silent server is tried again, and the whole call stays bounded', async () => {
    vi.useFakeTimers();
    const { calls, options } = scripted(() => 'hang');
    const pending = failureOf(sendRequest(URL_, options({ timeoutMs: 1_000, retry: 2 })));
    await vi.advanceTimersByTimeAsync(10_000);
    expect((await pending).code).toBe('timeout');
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls.length).toBeLessThanOrEqual(3);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("the caller's abort → aborted, during a request or a backoff; an aborted signal sends nothing", async () => {
    vi.useFakeTimers();
    const silent = scripted(() => 'hang');
    const controller = new AbortController();
    const during = failureOf(sendRequest(URL_, silent.options({ signal: controller.signal })));
    await vi.advanceTimersByTimeAsync(0);
    controller.abort();
    expect((await during).code).toBe('aborted');

    const busy = scripted(json({}, 503));
    const later = new AbortController();
    const inBackoff = failureOf(sendRequest(URL_, busy.options({ signal: later.signal, retry: 3 })));
    await vi.advanceTimersByTimeAsync(100);
    later.abort();
    expect((await inBackoff).code).toBe('aborted');
    expect(busy.calls).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);

    const none = scripted(json({}));
    expect((await failureOf(sendRequest(URL_, none.options({ signal: AbortSignal.abort() })))).code).toBe('aborted');
    expect(none.calls).toHaveLength(0);
  });

  it('transport failures are network errors with the system code; form secrets, auth headers and given secrets are masked', async () => {
    const form = { grant_type: 'refresh_token', refresh_token: 'test-refresh-token-1', client_id: 'test-client-id' };
    const { calls, options } = scripted(() => new TypeError('fetch failed for test-refresh-token-1 with test-access-token-9 and test-extra-secret-1'));
    const error = await failureOf(sendRequest(URL_, options({ form, headers: { 'x-goog-api-key': 'test-access-token-9' }, secrets: ['test-extra-secret-1'] })));
    expect(error).toMatchObject({ code: 'network', provider: 'p' });
    expectNoSecrets(error, ['test-refresh-token-1', 'test-access-token-9', 'test-extra-secret-1']);
    // Public OAuth fields are not secrets: they stay readable on the wire and in messages.
    expect(Object.fromEntries(new URLSearchParams(calls[0]?.body))).toEqual(form);
    expect(calls[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('a hook that throws fails the request with a masked KitError; hooks see the real request', async () => {
    const { calls, options } = scripted(json({}));
    const seenAuth: (string | null)[] = [];
    const error = await failureOf(
      sendRequest(
        URL_,
        options({
          headers: { authorization: `Bearer ${KEY}` },
          hooks: {
            beforeRequest: [
              ({ request }) => {
                seenAuth.push(request.headers.get('authorization'));
                throw new Error(`tracing broke on ${request.headers.get('authorization')}`);
              },
            ],
          },
        }),
      ),
    );
    expect(seenAuth).toEqual([`Bearer ${KEY}`]);
    expect(error.code).toBe('network');
    expectNoSecrets(error, [KEY]);
    expect(calls).toHaveLength(0);
  });

  it('answers every status to the caller with the parsed body, the text when not JSON', async () => {
    const { options } = scripted(
      () => new Response('<html>Bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }),
      () => new Response('{"error":"x"}', { status: 400 }),
    );
    expect(await sendRequest(URL_, options())).toMatchObject({ status: 502, ok: false, body: '<html>Bad gateway</html>' });
    expect(await sendRequest(URL_, options())).toMatchObject({ status: 400, body: { error: 'x' } });
  });
});
