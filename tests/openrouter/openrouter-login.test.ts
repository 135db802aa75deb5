// "Sign in with OpenRouter" end to end over loopback: @kit/openrouter/node's login against testkit's OpenRouter auth
// server (consent redirect + PKCE-checked key exchange), then the key used for a chat call on a testkit upstream.
import { createOpenRouter } from '@kit/openrouter';
import { loginWithOpenRouter, startOpenRouterLogin } from '@kit/openrouter/node';
import { createMockOpenRouterAuthServer, replies, type MockOpenRouterAuthServer } from '@kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { upstreams } from '../engine/helpers';

const servers = upstreams();
const authServers: MockOpenRouterAuthServer[] = [];
afterEach(async () => {
  await servers.closeAll();
  await Promise.all(authServers.splice(0).map((server) => server.close()));
});

async function startAuthServer(options = {}) {
  const server = await createMockOpenRouterAuthServer(options);
  authServers.push(server);
  return server;
}

/** The user's browser: opens the sign-in URL and follows OpenRouter's redirect to the loopback callback. */
const browser = async (url: string) => {
  await fetch(url, { redirect: 'follow' });
};

describe('loginWithOpenRouter over loopback', () => {
  it('consent → callback → key exchange (verifier checked) → a working key', async () => {
    const auth = await startAuthServer();
    const shown: string[] = [];
    const { key, userId } = await loginWithOpenRouter({
      authUrl: auth.authUrl,
      keysUrl: auth.keysUrl,
      onAuthorizationUrl: (url) => shown.push(url),
      openBrowser: browser,
    });
    expect(key).toBe('test-key-openrouter-issued-1');
    expect(userId).toBe('user_test_1');
    expect(shown).toHaveLength(1);
    const consent = auth.requests[0];
    expect(consent).toMatchObject({ path: '/auth', status: 302, fields: { code_challenge_method: 'S256' } });
    expect(consent?.fields.callback_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\//);
    expect(auth.requests[1]).toMatchObject({ method: 'POST', path: '/api/v1/auth/keys', status: 200 });

    const upstream = await servers.start({ dialect: 'openai', credentials: [{ id: 'signed-in', secret: key, script: replies.text('hello') }] });
    const completion = await createOpenRouter({ apiKey: key, baseURL: upstream.url }).complete({ prompt: 'Hi' });
    expect(completion).toMatchObject({ text: 'hello', credentialId: expect.any(String) });
    expect(upstream.requests[0]?.credentialId).toBe('signed-in');
  });

  it('a denied consent never calls back (the login waits until cancelled); a replayed code is refused', async () => {
    const denied = await startAuthServer({ outcome: 'deny' });
    const session = await startOpenRouterLogin({ authUrl: denied.authUrl, keysUrl: denied.keysUrl });
    expect((await fetch(session.authorizationUrl, { redirect: 'manual' })).status).toBe(403);
    expect(denied.requests.map((request) => request.path)).toEqual(['/auth']);
    session.cancel();
    await expect(session.key).rejects.toMatchObject({ code: 'aborted' });

    // The same code twice (e.g. a reloaded callback page after the server was restarted): the second is refused.
    const auth = await startAuthServer();
    const first = await startOpenRouterLogin({ authUrl: auth.authUrl, keysUrl: auth.keysUrl });
    const redirect = await fetch(first.authorizationUrl, { redirect: 'manual' });
    const location = redirect.headers.get('location') as string;
    expect((await fetch(location)).status).toBe(200);
    await first.key;
    const code = new URL(location).searchParams.get('code') as string;
    const second = await startOpenRouterLogin({ authUrl: auth.authUrl, keysUrl: auth.keysUrl });
    expect((await fetch(`${second.callbackUrl}?code=${code}`)).status).toBe(502);
    const error = await second.key.catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'authentication', status: 403 });
    expect(JSON.stringify(error)).not.toContain(code);
    expect(auth.issuedKeys()).toEqual(['test-key-openrouter-issued-1']);
  });
});
