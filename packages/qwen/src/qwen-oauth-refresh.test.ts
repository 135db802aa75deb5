import { KitError } from '@kit/core';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { QwenOAuthCredential } from './qwen-oauth-credential';
import { createQwenOAuthRefresh, qwenOAuthRefresh } from './qwen-oauth-refresh';
import { QWEN_OAUTH_CLIENT_ID, QWEN_OAUTH_TOKEN_URL } from './qwen-oauth-request';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

interface SeenForm {
  raw: string;
  contentType: string | null;
  fields: Record<string, string>;
}

/** Records every form posted to `url` and answers with `answer`. */
function tokenEndpoint(answer: (fields: Record<string, string>) => Response, url = QWEN_OAUTH_TOKEN_URL): SeenForm[] {
  const seen: SeenForm[] = [];
  server.use(
    http.post(url, async ({ request }) => {
      const raw = await request.text();
      const fields = Object.fromEntries(new URLSearchParams(raw));
      seen.push({ raw, contentType: request.headers.get('content-type'), fields });
      return answer(fields);
    }),
  );
  return seen;
}

const account: QwenOAuthCredential = {
  id: 'account-1',
  accessToken: 'test-access-token-1',
  refreshToken: 'test-refresh-token-1',
  resourceUrl: 'portal.qwen.ai',
};

const failureOf = async (promise: Promise<unknown>): Promise<KitError> => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!KitError.is(error)) throw new Error(`expected a KitError, got ${String(error)}`);
  return error;
};

describe('qwenOAuthRefresh', () => {
  it('posts a form-encoded refresh grant and returns the rotated refresh token', async () => {
    const seen = tokenEndpoint(() =>
      HttpResponse.json({
        access_token: 'test-access-token-2',
        refresh_token: 'test-refresh-token-2',
        token_type: 'Bearer',
        expires_in: 21600,
        resource_url: 'portal.qwen.ai',
      }),
    );
    const result = await qwenOAuthRefresh(account);
    expect(result).toEqual({
      accessToken: 'test-access-token-2',
      refreshToken: 'test-refresh-token-2',
      expiresInMs: 21_600_000,
      resourceUrl: 'portal.qwen.ai',
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.contentType).toBe('application/x-www-form-urlencoded');
    expect(seen[0]?.fields).toEqual({ grant_type: 'refresh_token', refresh_token: 'test-refresh-token-1', client_id: QWEN_OAUTH_CLIENT_ID });
  });

  it('keeps the refresh token the server did not rotate', async () => {
    tokenEndpoint(() => HttpResponse.json({ access_token: 'test-access-token-2', token_type: 'Bearer', expires_in: 3600 }));
    expect(await qwenOAuthRefresh(account)).toEqual({ accessToken: 'test-access-token-2', refreshToken: 'test-refresh-token-1', expiresInMs: 3_600_000 });
    // An empty refresh_token is not a rotation either.
    server.resetHandlers();
    tokenEndpoint(() => HttpResponse.json({ access_token: 'test-access-token-3', refresh_token: '', expires_in: '7200' }));
    expect(await qwenOAuthRefresh(account)).toEqual({ accessToken: 'test-access-token-3', refreshToken: 'test-refresh-token-1', expiresInMs: 7_200_000 });
  });

  it('URL-encodes every value: a token with + / = & % and spaces survives the trip', async () => {
    const awkward = 'test-refresh+token/1==&scope=admin%20x y';
    const seen = tokenEndpoint(() => HttpResponse.json({ access_token: 'test-access-token-2', expires_in: 60 }));
    await qwenOAuthRefresh({ ...account, refreshToken: awkward, clientId: 'client id&x=1' });
    expect(seen[0]?.fields).toEqual({ grant_type: 'refresh_token', refresh_token: awkward, client_id: 'client id&x=1' });
    // No raw separator or plus from the values reaches the wire: they are percent-encoded (a space as "+").
    expect(seen[0]?.raw).toBe('grant_type=refresh_token&refresh_token=test-refresh%2Btoken%2F1%3D%3D%26scope%3Dadmin%2520x+y&client_id=client+id%26x%3D1');
  });

  it('sends client_secret only when the credential has one, and the credential client id before the option', async () => {
    const seen = tokenEndpoint(() => HttpResponse.json({ access_token: 'test-access-token-2', expires_in: 60 }));
    await qwenOAuthRefresh({ ...account, clientId: 'own-client', clientSecret: 'test-client-secret-1' }, { clientId: 'option-client' });
    await qwenOAuthRefresh(account, { clientId: 'option-client' });
    expect(seen.map((form) => [form.fields.client_id, form.fields.client_secret])).toEqual([
      ['own-client', 'test-client-secret-1'],
      ['option-client', undefined],
    ]);
  });

  it('goes to another token endpoint when told (createQwenOAuthRefresh binds it)', async () => {
    const local = 'https://oauth.test.example/oauth2/token';
    const seen = tokenEndpoint(() => HttpResponse.json({ access_token: 'test-access-token-2', expires_in: 60 }), local);
    await qwenOAuthRefresh(account, { tokenURL: local });
    const refresh = createQwenOAuthRefresh({ tokenURL: local });
    await refresh(account, { signal: new AbortController().signal });
    expect(seen).toHaveLength(2);
  });

  it('a rejected refresh token is an authentication error with no token in it', async () => {
    tokenEndpoint(() =>
      HttpResponse.json(
        { error: 'invalid_grant', error_description: 'Refresh token test-refresh-token-1 expired or revoked' },
        { status: 400, headers: { 'x-request-id': 'req-9' } },
      ),
    );
    const error = await failureOf(qwenOAuthRefresh(account));
    expect(error).toMatchObject({ code: 'authentication', status: 400, provider: 'qwen', credentialId: 'account-1', requestId: 'req-9', retryable: false }); // a rejected refresh token: retrying later fails the same way
    expect(error.message).toMatch(/token refresh: invalid_grant/);
    for (const view of [error.message, error.stack, JSON.stringify(error), inspect(error)]) {
      expect(view).not.toContain('test-refresh-token-1');
      expect(view).not.toContain('test-access-token-1');
    }
  });

  it('classifies other refusals by status, and an error inside a 200 as well', async () => {
    const cases: [() => Response, string][] = [
      [() => HttpResponse.json({ error: 'server_error', error_description: 'try later' }, { status: 503 }), 'server_error'],
      [() => HttpResponse.json({ error: 'rate_limited' }, { status: 429, headers: { 'retry-after': '3' } }), 'rate_limit'],
      [() => HttpResponse.text('<html>Unauthorized</html>', { status: 401 }), 'authentication'],
      [() => HttpResponse.json({ error: 'invalid_token', error_description: 'bad token' }), 'authentication'],
      [() => HttpResponse.json({ token_type: 'Bearer', expires_in: 60 }), 'invalid_response'],
      [() => HttpResponse.text('not json at all'), 'invalid_response'],
    ];
    for (const [answer, code] of cases) {
      server.resetHandlers();
      tokenEndpoint(answer);
      expect([code, (await failureOf(qwenOAuthRefresh(account))).code]).toEqual([code, code]);
    }
  });

  it('a resource_url that is not a usable host fails the refresh (invalid_response naming resource_url); a good one is kept', async () => {
    for (const bad of ['not a host', 'https://', 'http://portal.qwen.ai', 'ftp://portal.qwen.ai']) {
      server.resetHandlers();
      tokenEndpoint(() => HttpResponse.json({ access_token: 'test-access-token-2', refresh_token: 'test-refresh-token-2', expires_in: 60, resource_url: bad }));
      const error = await failureOf(qwenOAuthRefresh(account));
      expect([bad, error.code]).toEqual([bad, 'invalid_response']);
      expect(error.message).toMatch(/resource_url/);
      expect(error).toMatchObject({ provider: 'qwen', credentialId: 'account-1' });
      for (const view of [error.message, JSON.stringify(error)]) expect(view).not.toMatch(/test-(access|refresh)-token/);
    }
    server.resetHandlers();
    tokenEndpoint(() => HttpResponse.json({ access_token: 'test-access-token-2', expires_in: 60, resource_url: ' http://127.0.0.1:4010/v1/ ' }));
    expect((await qwenOAuthRefresh(account)).resourceUrl).toBe('http://127.0.0.1:4010/v1/');
  });

  it('turns transport failures, timeouts and aborts into KitErrors', async () => {
    server.use(http.post(QWEN_OAUTH_TOKEN_URL, () => HttpResponse.error()));
    expect((await failureOf(qwenOAuthRefresh(account))).code).toBe('network');
    server.resetHandlers();
    server.use(http.post(QWEN_OAUTH_TOKEN_URL, () => new Promise<Response>(() => {})));
    expect((await failureOf(qwenOAuthRefresh(account, { timeoutMs: 20 }))).code).toBe('timeout');
    const controller = new AbortController();
    const pending = qwenOAuthRefresh(account, { signal: controller.signal });
    controller.abort();
    expect((await failureOf(pending)).code).toBe('aborted');
  });

  it('refuses a credential without a refresh token, naming the field, before any request', async () => {
    const seen = tokenEndpoint(() => HttpResponse.json({ access_token: 'x' }));
    const error = await failureOf(qwenOAuthRefresh({ id: 'account-2', accessToken: 'test-access-token-1' }));
    expect(error).toMatchObject({ code: 'invalid_request', credentialId: 'account-2' });
    expect(error.message).toMatch(/refreshToken/);
    expect((await failureOf(qwenOAuthRefresh(null as never))).code).toBe('invalid_request');
    expect(seen).toHaveLength(0);
  });
});
