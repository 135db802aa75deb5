// Runs on the edge project too: a recording `fetch` is injected instead of msw's Node interceptor.
import { describe, expect, it } from 'vitest';
import { KitError } from './kit-error';
import { postOAuthForm, type OAuthFormOptions } from './post-oauth-form';

const TOKEN_URL = 'https://oauth.test.example/token';

interface Seen {
  url: string;
  method: string | undefined;
  contentType: string | null;
  accept: string | null;
  raw: string;
}

/** A token endpoint as an injected `fetch`: records every request and answers with `answer` (`'hang'` never answers; a thrown error is a transport failure). */
function tokenEndpoint(answer: () => Response | 'hang' | Error): { seen: Seen[]; options: (more?: Partial<OAuthFormOptions>) => OAuthFormOptions } {
  const seen: Seen[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    seen.push({ url: String(input), method: init?.method, contentType: headers.get('content-type'), accept: headers.get('accept'), raw: String(init?.body) });
    const reply = answer();
    if (reply instanceof Error) throw reply;
    if (reply !== 'hang') return reply;
    return new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
  }) as typeof globalThis.fetch;
  return { seen, options: (more = {}) => ({ provider: 'p', fetch, ...more }) };
}

const refreshForm = { grant_type: 'refresh_token', refresh_token: 'test-refresh-token-1', client_id: 'test-client-id', client_secret: 'test-client-secret-1' };

const failureOf = async (promise: Promise<unknown>): Promise<KitError> => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!KitError.is(error)) throw new Error(`expected a KitError, got ${String(error)}`);
  return error;
};

function expectNoSecrets(error: KitError): void {
  for (const view of [error.message, error.stack, JSON.stringify(error), String(error.cause)]) {
    for (const secret of ['test-refresh-token-1', 'test-client-secret-1', 'test-auth-code-1', 'test-verifier-1', 'test-access-token-1']) {
      expect(view).not.toContain(secret);
    }
  }
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('postOAuthForm', () => {
  it('posts URL-encoded fields (unset ones left out) and returns the JSON answer', async () => {
    const { seen, options } = tokenEndpoint(() => json({ access_token: 'test-access-token-2', expires_in: 60 }));
    const answer = await postOAuthForm(TOKEN_URL, { ...refreshForm, refresh_token: 'test/refresh+token=&x', client_secret: undefined }, options());
    expect(answer).toEqual({ access_token: 'test-access-token-2', expires_in: 60 });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ url: TOKEN_URL, method: 'POST', contentType: 'application/x-www-form-urlencoded', accept: 'application/json' });
    expect(Object.fromEntries(new URLSearchParams(seen[0]?.raw))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'test/refresh+token=&x',
      client_id: 'test-client-id',
    });
  });

  it('a rejected grant or client is authentication, without any form secret in it', async () => {
    const revoked = tokenEndpoint(() =>
      json({ error: 'invalid_grant', error_description: 'refresh token test-refresh-token-1 of test-client-secret-1 revoked' }, 400, {
        'x-request-id': 'req-1',
      }),
    );
    const error = await failureOf(postOAuthForm(TOKEN_URL, refreshForm, revoked.options({ credentialId: 'a-1', what: 'token refresh' })));
    expect(error).toMatchObject({ code: 'authentication', status: 400, provider: 'p', credentialId: 'a-1', requestId: 'req-1' });
    expect(error.message).toBe('p: token refresh: invalid_grant: refresh token *** of *** revoked (HTTP 400)');
    expectNoSecrets(error);

    const wrongClient = tokenEndpoint(() => json({ error: 'invalid_client' }, 401));
    expect(await failureOf(postOAuthForm(TOKEN_URL, refreshForm, wrongClient.options()))).toMatchObject({ code: 'authentication', status: 401 });
  });

  it('masks codes, verifiers and the extra secrets it is given', async () => {
    const { options } = tokenEndpoint(() => json({ error: 'server_error', error_description: 'test-auth-code-1 test-verifier-1 test-access-token-1' }, 500));
    const form = { grant_type: 'authorization_code', code: 'test-auth-code-1', code_verifier: 'test-verifier-1', client_id: 'test-client-id' };
    const error = await failureOf(postOAuthForm(TOKEN_URL, form, options({ secrets: ['test-access-token-1'] })));
    expect(error.code).toBe('server_error');
    expectNoSecrets(error);
  });

  it('classifies other refusals by status, an error inside a 2xx as a 400, and a 2xx that is not a JSON object as invalid_response', async () => {
    const cases: [() => Response, string][] = [
      [() => new Response('oops', { status: 503 }), 'server_error'],
      [() => json({ error: 'rate_limited' }, 429, { 'retry-after': '3' }), 'rate_limit'],
      [() => new Response('<html>Unauthorized</html>', { status: 401 }), 'authentication'],
      [() => json({ error: 'invalid_token', error_description: 'bad token' }), 'authentication'],
      [() => json({ error: 'invalid_request' }), 'invalid_request'],
      [() => new Response('not json at all'), 'invalid_response'],
      [() => json(['not', 'an', 'object']), 'invalid_response'],
    ];
    for (const [answer, code] of cases) {
      const { options } = tokenEndpoint(answer);
      expect([code, (await failureOf(postOAuthForm(TOKEN_URL, refreshForm, options()))).code]).toEqual([code, code]);
    }
    const limited = tokenEndpoint(() => json({ error: 'rate_limited' }, 429, { 'retry-after': '3' }));
    expect((await failureOf(postOAuthForm(TOKEN_URL, refreshForm, limited.options()))).retryAfterMs).toBe(3000);
  });

  it('returns the bodies of the OAuth errors it is told to pass (device-code polling)', async () => {
    const passErrors = ['authorization_pending', 'slow_down'];
    const pending = tokenEndpoint(() => json({ error: 'authorization_pending' }, 400));
    expect(await postOAuthForm(TOKEN_URL, { device_code: 'test-device-code-1' }, pending.options({ passErrors }))).toEqual({ error: 'authorization_pending' });
    const expired = tokenEndpoint(() => json({ error: 'expired_token' }, 400));
    expect((await failureOf(postOAuthForm(TOKEN_URL, { device_code: 'test-device-code-1' }, expired.options({ passErrors })))).code).toBe('authentication');
  });

  it('turns transport failures, timeouts and aborts into KitErrors', async () => {
    const down = tokenEndpoint(() => new TypeError('fetch failed for test-refresh-token-1'));
    const network = await failureOf(postOAuthForm(TOKEN_URL, refreshForm, down.options()));
    expect(network).toMatchObject({ code: 'network', provider: 'p' });
    expectNoSecrets(network);

    const silent = tokenEndpoint(() => 'hang');
    expect(await failureOf(postOAuthForm(TOKEN_URL, refreshForm, silent.options({ timeoutMs: 20 })))).toMatchObject({
      code: 'timeout',
      message: 'p: token request: no answer within 20 ms',
    });

    const controller = new AbortController();
    const pending = postOAuthForm(TOKEN_URL, refreshForm, silent.options({ signal: controller.signal }));
    controller.abort();
    expect((await failureOf(pending)).code).toBe('aborted');
    const before = silent.seen.length;
    expect((await failureOf(postOAuthForm(TOKEN_URL, refreshForm, silent.options({ signal: controller.signal })))).code).toBe('aborted');
    expect(silent.seen).toHaveLength(before);
  });
});
