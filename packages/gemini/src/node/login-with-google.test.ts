import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loginWithGoogle, startGoogleLogin } from './login-with-google';

/** A token endpoint stand-in that records the form it got and answers like Google. */
function tokenEndpoint(
  answer: () => Response = () =>
    Response.json({ access_token: 'test-access-token-1', refresh_token: 'test-refresh-token-1', expires_in: 3599, scope: 'openid email' }),
) {
  const forms: URLSearchParams[] = [];
  const fetchToken: typeof fetch = async (input, init) => {
    expect(String(input)).toBe('https://oauth2.googleapis.com/token');
    forms.push(new URLSearchParams(String(init?.body)));
    return answer();
  };
  return { forms, fetchToken };
}

const base64Url = (bytes: Buffer) => bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

describe('startGoogleLogin (loopback PKCE)', () => {
  it('builds the authorization URL, waits on 127.0.0.1, checks state, exchanges the code with the verifier', async () => {
    const { forms, fetchToken } = tokenEndpoint();
    const session = await startGoogleLogin({ clientId: 'test-client-id', clientSecret: 'test-client-secret-1', id: 'alice', fetch: fetchToken });
    const url = new URL(session.authorizationUrl);
    expect(url.origin + url.pathname).toBe('https://accounts.google.com/o/oauth2/v2/auth');
    const params = Object.fromEntries(url.searchParams);
    expect(params).toMatchObject({
      client_id: 'test-client-id',
      response_type: 'code',
      code_challenge_method: 'S256',
      access_type: 'offline',
      prompt: 'consent',
      redirect_uri: session.redirectUri,
    });
    expect(params.scope).toContain('https://www.googleapis.com/auth/cloud-platform');
    expect(session.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2callback$/);
    expect(params.state).toMatch(/^[A-Za-z0-9_-]{32}$/);

    const callback = await fetch(`${session.redirectUri}?state=${params.state}&code=test-auth-code-1&scope=openid`);
    expect(callback.status).toBe(200);
    expect(await callback.text()).toContain('Signed in');
    const credential = await session.credential;
    expect(credential).toMatchObject({
      id: 'alice',
      clientId: 'test-client-id',
      clientSecret: 'test-client-secret-1',
      accessToken: 'test-access-token-1',
      refreshToken: 'test-refresh-token-1',
      scopes: ['openid', 'email'],
    });
    expect(credential.expiresAt).toBeGreaterThan(Date.now() + 3_500_000);
    const form = Object.fromEntries(forms[0] ?? []);
    expect(form).toMatchObject({
      grant_type: 'authorization_code',
      code: 'test-auth-code-1',
      redirect_uri: session.redirectUri,
      client_id: 'test-client-id',
      client_secret: 'test-client-secret-1',
    });
    // The verifier sent with the code is the one whose S256 challenge went to the authorization endpoint.
    expect(form.code_verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(
      base64Url(
        createHash('sha256')
          .update(form.code_verifier as string)
          .digest(),
      ),
    ).toBe(params.code_challenge);
    // The loopback server is gone.
    await expect(fetch(session.redirectUri)).rejects.toThrow();
  });

  it('a callback with a wrong or missing state gets a 400, exchanges no code and does not end the login', async () => {
    const { forms, fetchToken } = tokenEndpoint();
    const session = await startGoogleLogin({ clientId: 'test-client-id', fetch: fetchToken });
    let settled = false;
    session.credential.then(
      () => (settled = true),
      () => (settled = true),
    );
    // A forged code, a forged error (anyone on the machine can hit the loopback port), or no state at all.
    for (const query of ['state=forged&code=test-auth-code-1', 'state=forged&error=access_denied', 'error=access_denied', 'code=test-auth-code-1']) {
      const answer = await fetch(`${session.redirectUri}?${query}`);
      expect([query, answer.status]).toEqual([query, 400]);
      expect(await answer.text()).toContain('state');
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(settled).toBe(false);
    expect(forms).toHaveLength(0);
    // The real redirect still completes the login.
    const state = new URL(session.authorizationUrl).searchParams.get('state');
    expect((await fetch(`${session.redirectUri}?state=${state}&code=test-auth-code-2`)).status).toBe(200);
    expect((await session.credential).accessToken).toBe('test-access-token-1');
    expect(forms.map((form) => form.get('code'))).toEqual(['test-auth-code-2']);
  });

  it('a denied consent (?error=access_denied with the right state) fails the login; other paths are 404 and do not end it', async () => {
    const session = await startGoogleLogin({ clientId: 'test-client-id', fetch: tokenEndpoint().fetchToken });
    const origin = new URL(session.redirectUri).origin;
    expect((await fetch(`${origin}/favicon.ico`)).status).toBe(404);
    const state = new URL(session.authorizationUrl).searchParams.get('state');
    expect((await fetch(`${session.redirectUri}?error=access_denied&state=${state}`)).status).toBe(400);
    await expect(session.credential).rejects.toMatchObject({ code: 'authentication', message: expect.stringContaining('access_denied') });
  });

  it("a failed code exchange fails the login with the token endpoint's reason, without secrets", async () => {
    const { fetchToken } = tokenEndpoint(() => Response.json({ error: 'invalid_grant', error_description: 'Bad Request' }, { status: 400 }));
    const session = await startGoogleLogin({ clientId: 'test-client-id', clientSecret: 'test-client-secret-1', fetch: fetchToken });
    const state = new URL(session.authorizationUrl).searchParams.get('state');
    expect((await fetch(`${session.redirectUri}?state=${state}&code=test-auth-code-1`)).status).toBe(502);
    const error = await session.credential.catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'authentication', message: expect.stringContaining('invalid_grant') });
    expect(JSON.stringify(error)).not.toMatch(/test-client-secret-1|test-auth-code-1/);
  });

  it('cancel() and an aborted signal end the wait; a missing clientId is an invalid_config', async () => {
    const session = await startGoogleLogin({ clientId: 'test-client-id' });
    session.cancel();
    await expect(session.credential).rejects.toMatchObject({ code: 'aborted' });
    const controller = new AbortController();
    const login = loginWithGoogle({ clientId: 'test-client-id', signal: controller.signal, onAuthorizationUrl: () => controller.abort() });
    await expect(login).rejects.toMatchObject({ code: 'aborted' });
    await expect(startGoogleLogin({ clientId: '' })).rejects.toMatchObject({ code: 'invalid_config', message: expect.stringContaining('clientId') });
  });

  it('loginWithGoogle shows the URL and hands it to openBrowser; it opens nothing itself', async () => {
    const { fetchToken } = tokenEndpoint();
    const shown: string[] = [];
    const credential = await loginWithGoogle({
      clientId: 'test-client-id',
      fetch: fetchToken,
      onAuthorizationUrl: (url) => shown.push(url),
      // The "browser": follows the URL's redirect_uri with the state, as Google would after consent.
      openBrowser: async (url) => {
        const params = new URL(url).searchParams;
        await fetch(`${params.get('redirect_uri')}?state=${params.get('state')}&code=test-auth-code-2`);
      },
    });
    expect(shown).toHaveLength(1);
    expect(credential.accessToken).toBe('test-access-token-1');
  });
});

describe("startGoogleLogin: the code exchange goes through core's HTTP client", () => {
  it('hooks see the token request', async () => {
    const { fetchToken } = tokenEndpoint();
    const traced: string[] = [];
    const hooks = {
      beforeRequest: [({ request }: { request: Request }) => void traced.push(`${request.method} ${request.url} ${request.headers.get('content-type')}`)],
    };
    const session = await startGoogleLogin({ clientId: 'test-client-id', fetch: fetchToken, hooks });
    const state = new URL(session.authorizationUrl).searchParams.get('state');
    expect((await fetch(`${session.redirectUri}?state=${state}&code=test-auth-code-1`)).status).toBe(200);
    await session.credential;
    expect(traced).toEqual(['POST https://oauth2.googleapis.com/token application/x-www-form-urlencoded']);
  });
});
