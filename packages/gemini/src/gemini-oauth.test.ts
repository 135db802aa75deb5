import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGeminiOAuthRefresh, geminiOAuthRefresh } from './gemini-oauth';

// Google's token endpoint (developers.google.com/identity/protocols/oauth2/native-app#offline): a form-encoded
// refresh_token grant; the answer is `{ access_token, expires_in, scope, token_type }`, a refresh token only if rotated.
const TOKEN_URL = 'https://oauth2.googleapis.com/token';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const credential = {
  id: 'alice',
  clientId: 'test-client-id.apps.example',
  clientSecret: 'test-client-secret-1',
  accessToken: 'test-access-token-1',
  refreshToken: 'test-refresh-token-1',
};

function onToken(respond: () => Response): { contentType: string | null; form: URLSearchParams }[] {
  const seen: { contentType: string | null; form: URLSearchParams }[] = [];
  server.use(
    http.post(TOKEN_URL, async ({ request }) => {
      seen.push({ contentType: request.headers.get('content-type'), form: new URLSearchParams(await request.text()) });
      return respond();
    }),
  );
  return seen;
}

describe('geminiOAuthRefresh', () => {
  it("POSTs a form-encoded refresh_token grant to Google's token endpoint with the credential's client", async () => {
    const seen = onToken(() =>
      HttpResponse.json({
        access_token: 'test-access-token-2',
        expires_in: 3599,
        scope: 'https://www.googleapis.com/auth/cloud-platform',
        token_type: 'Bearer',
      }),
    );
    expect(await geminiOAuthRefresh(credential, { signal: new AbortController().signal })).toEqual({
      accessToken: 'test-access-token-2',
      expiresInMs: 3_599_000,
    });
    expect(seen[0]?.contentType).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(seen[0]?.form ?? [])).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'test-refresh-token-1',
      client_id: 'test-client-id.apps.example',
      client_secret: 'test-client-secret-1',
    });
  });

  it('returns a rotated refresh token; form values are URL-encoded', async () => {
    const seen = onToken(() => HttpResponse.json({ access_token: 'test-access-token-3', refresh_token: 'test-refresh-token-2', expires_in: 3600 }));
    const refreshed = await geminiOAuthRefresh({ ...credential, refreshToken: 'test/refresh+token=&x' });
    expect(refreshed).toEqual({ accessToken: 'test-access-token-3', refreshToken: 'test-refresh-token-2', expiresInMs: 3_600_000 });
    expect(seen[0]?.form.get('refresh_token')).toBe('test/refresh+token=&x');
  });

  it('a revoked refresh token (invalid_grant) is an authentication error without any secret in it', async () => {
    onToken(() => HttpResponse.json({ error: 'invalid_grant', error_description: 'Token has been expired or revoked.' }, { status: 400 }));
    const error = await geminiOAuthRefresh(credential).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'authentication', status: 400, message: expect.stringContaining('invalid_grant: Token has been expired or revoked.') });
    const text = JSON.stringify(error) + String((error as Error).stack);
    for (const secret of ['test-refresh-token-1', 'test-client-secret-1', 'test-access-token-1']) expect(text).not.toContain(secret);
  });

  it('server trouble keeps its class (5xx → server_error, 429 → rate_limit); an answer without a token is invalid_response', async () => {
    onToken(() => new HttpResponse('oops', { status: 503 }));
    await expect(geminiOAuthRefresh(credential)).rejects.toMatchObject({ code: 'server_error' });
    onToken(() => HttpResponse.json({ error: 'rate_limited' }, { status: 429 }));
    await expect(geminiOAuthRefresh(credential)).rejects.toMatchObject({ code: 'rate_limit' });
    onToken(() => HttpResponse.json({ token_type: 'Bearer' }));
    await expect(geminiOAuthRefresh(credential)).rejects.toMatchObject({ code: 'invalid_response' });
  });

  it('a credential without a refresh token or client cannot be refreshed (no request is sent)', async () => {
    const seen = onToken(() => HttpResponse.json({ access_token: 'x' }));
    await expect(geminiOAuthRefresh({ id: 'bob', clientId: 'c' })).rejects.toMatchObject({
      code: 'invalid_request',
      credentialId: 'bob',
      message: expect.stringContaining('credential.refreshToken'),
    });
    await expect(geminiOAuthRefresh({ id: 'bob', refreshToken: 'test-refresh-token-1' })).rejects.toMatchObject({
      message: expect.stringContaining('clientId'),
    });
    expect(seen).toHaveLength(0);
  });

  it('createGeminiOAuthRefresh: another endpoint, a default client, a fetch of its own', async () => {
    const requests: string[] = [];
    const refresh = createGeminiOAuthRefresh({
      tokenEndpoint: 'http://127.0.0.1:1/token',
      clientId: 'default-client',
      fetch: async (input, init) => {
        requests.push(`${String(input)} ${String(init?.body)}`);
        return Response.json({ access_token: 'test-access-token-9', expires_in: 60 });
      },
    });
    expect(await refresh({ id: 'carol', refreshToken: 'test-refresh-token-3' })).toEqual({ accessToken: 'test-access-token-9', expiresInMs: 60_000 });
    expect(requests).toEqual(['http://127.0.0.1:1/token grant_type=refresh_token&refresh_token=test-refresh-token-3&client_id=default-client']);
  });
});
