// loginWithGoogle end to end against the testkit OAuth server (Google preset): the browser is played by fetch.
import { createGemini, createGeminiOAuthRefresh } from '@kit/gemini';
import { OAuthManager } from '@kit/oauthmanager';
import { createMockOAuthServer, replies, type MockOAuthServer } from '@kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
// `@kit/gemini/node` (the tests' tsconfig maps package main entries only).
import { loginWithGoogle, startGoogleLogin } from '../../packages/gemini/src/node/index';
import { upstreams } from './helpers';

const servers = upstreams();
let oauth: MockOAuthServer | undefined;
afterEach(async () => {
  await servers.closeAll();
  await oauth?.close();
  oauth = undefined;
});

const client = { clientId: 'test-client-id.apps.example', clientSecret: 'test-client-secret-1' };

describe('loginWithGoogle (loopback PKCE) against the mock OAuth server', () => {
  it('consent → redirect to 127.0.0.1 with code and state → code exchanged with the PKCE verifier → a working OAuthCredential', async () => {
    oauth = await createMockOAuthServer({ preset: 'google', clients: [client], authorize: { accountId: 'alice' } });
    const server = oauth;
    const credential = await loginWithGoogle({
      ...client,
      id: 'alice',
      authorizationEndpoint: server.authorizeUrl,
      tokenEndpoint: server.tokenUrl,
      onAuthorizationUrl: () => {},
      // The browser: Google's consent page redirects to the loopback callback, which fetch follows.
      openBrowser: async (url) => {
        await fetch(url);
      },
    });
    expect(credential).toMatchObject({ id: 'alice', ...client, accessToken: 'test-access-token-alice-1', refreshToken: 'test-refresh-token-alice-1' });
    expect(credential.expiresAt).toBeGreaterThan(Date.now());
    // The server checked client, redirect_uri and the S256 verifier; the code and verifier never show in its records.
    const exchange = server.requests.find((request) => request.grantType === 'authorization_code');
    expect(exchange).toMatchObject({ status: 200, clientId: client.clientId, form: { code: '***', code_verifier: '***', client_secret: '***' } });
    expect(exchange?.form.redirect_uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2callback$/);
    expect(server.introspect(credential.accessToken)).toMatchObject({ active: true, accountId: 'alice' });

    // The credential works as it is in an OAuthManager with the Gemini refresh against the same server.
    const upstream = await servers.start({ dialect: 'gemini', defaultScript: replies.text('signed in') });
    const accounts = new OAuthManager('gemini', [credential], createGeminiOAuthRefresh({ tokenEndpoint: server.tokenUrl }));
    const gemini = createGemini({ credentials: accounts, oauthBackend: 'generative-language', baseURL: upstream.url, fetch: server.protect() });
    expect((await gemini.complete({ prompt: 'Hi' })).text).toBe('signed in');
    server.revokeAccessTokens('alice');
    expect((await gemini.complete({ prompt: 'Hi again' })).text).toBe('signed in'); // 401 → refresh → retry
    expect(server.refreshCount('alice')).toBe(1);
  });

  it('a denied consent fails the login; a forged state is refused without ending it; no code is exchanged', async () => {
    oauth = await createMockOAuthServer({ preset: 'google', authorize: { outcome: 'access_denied' } });
    const denied = await startGoogleLogin({ clientId: client.clientId, authorizationEndpoint: oauth.authorizeUrl, tokenEndpoint: oauth.tokenUrl });
    await fetch(denied.authorizationUrl);
    await expect(denied.credential).rejects.toMatchObject({ code: 'authentication', message: expect.stringContaining('access_denied') });

    const forged = await startGoogleLogin({ clientId: client.clientId, authorizationEndpoint: oauth.authorizeUrl, tokenEndpoint: oauth.tokenUrl });
    expect((await fetch(`${forged.redirectUri}?code=test-auth-code-9&state=not-the-state`)).status).toBe(400);
    // The login goes on waiting for the real redirect (a forged callback must not be able to end it).
    forged.cancel();
    await expect(forged.credential).rejects.toMatchObject({ code: 'aborted' });
    expect(oauth.requests.filter((request) => request.endpoint === 'token')).toHaveLength(0);
  });
});
