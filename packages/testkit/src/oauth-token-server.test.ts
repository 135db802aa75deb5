import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createMockOAuthServer, oauthFaults, oauthReplies, pkceChallengeS256, type MockOAuthServer, type MockOAuthServerOptions } from './oauth-token-server';

const started: MockOAuthServer[] = [];
async function start(options: MockOAuthServerOptions = {}): Promise<MockOAuthServer> {
  const server = await createMockOAuthServer(options);
  started.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.close()));
});

const account = (id: string, extra = {}) => ({ id, refreshToken: `test-refresh-token-${id}`, ...extra });

async function post(url: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

const refresh = (server: MockOAuthServer, refreshToken: string, extra: Record<string, string> = {}) =>
  post(server.tokenUrl, { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra });

describe('refresh grant', () => {
  it('issues tokens and rotates single-use refresh tokens: reusing one fails with invalid_grant', async () => {
    const server = await start({ accounts: [account('a')], accessTokenLifetimeSeconds: 120 });
    const first = await refresh(server, 'test-refresh-token-a');
    expect(first).toMatchObject({
      status: 200,
      body: { access_token: 'test-access-token-a-1', refresh_token: 'test-refresh-token-a-1', token_type: 'Bearer', expires_in: 120 },
    });
    expect(first.headers.get('cache-control')).toBe('no-store');
    const reused = await refresh(server, 'test-refresh-token-a');
    expect(reused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect((await refresh(server, 'test-refresh-token-a-1')).body.refresh_token).toBe('test-refresh-token-a-2');
    expect(server.currentRefreshToken('a')).toBe('test-refresh-token-a-2');
    expect(server.refreshCount('a')).toBe(3);
    expect(server.refreshCount()).toBe(3);
    expect(server.issuedAccessTokens('a')).toEqual(['test-access-token-a-1', 'test-access-token-a-2']);
    expect((await refresh(server, 'test-refresh-token-unknown')).body).toMatchObject({ error: 'invalid_grant', error_description: 'unknown refresh token' });
  });

  it('retires a refresh token when it accepts the request, before a scripted delay: of two concurrent refreshes one wins', async () => {
    const server = await start({ accounts: [account('a')], defaultScript: oauthFaults.slow(50, oauthReplies.tokens()) });
    const answers = await Promise.all([refresh(server, 'test-refresh-token-a'), refresh(server, 'test-refresh-token-a')]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400]);
    expect(answers.find((answer) => answer.status === 400)?.body.error).toBe('invalid_grant');
    expect(server.issuedAccessTokens('a')).toEqual(['test-access-token-a-1']);
    expect(server.currentRefreshToken('a')).toBe('test-refresh-token-a-1');
    // A delayed failure does not consume the token (as an immediate one does not).
    server.setScript('a', [oauthFaults.slow(10, oauthFaults.serverError(503)), oauthReplies.tokens()]);
    expect((await refresh(server, 'test-refresh-token-a-1')).status).toBe(503);
    expect((await refresh(server, 'test-refresh-token-a-1')).status).toBe(200);
  });

  it('rotateRefreshTokens: false (Google) answers no refresh_token and the old one stays valid', async () => {
    const server = await start({ preset: 'google', accounts: [account('a')], rotateRefreshTokens: false });
    for (let n = 1; n <= 2; n++) {
      const answer = await refresh(server, 'test-refresh-token-a');
      expect(answer.status).toBe(200);
      expect(answer.body.refresh_token).toBeUndefined();
    }
  });

  it('revokeOnReuse: presenting a used token also kills its successor', async () => {
    const server = await start({ accounts: [account('a')], revokeOnReuse: true });
    await refresh(server, 'test-refresh-token-a');
    await refresh(server, 'test-refresh-token-a');
    expect((await refresh(server, 'test-refresh-token-a-1')).body.error).toBe('invalid_grant');
    expect(server.currentRefreshToken('a')).toBeUndefined();
  });

  it('scripts per account: fail N times then succeed; a failure does not consume the refresh token', async () => {
    const server = await start({
      accounts: [
        account('a', { script: [oauthFaults.serverError(503), oauthFaults.temporarilyUnavailable(), oauthReplies.tokens({ expiresInSeconds: 60 })] }),
        account('b'),
      ],
      defaultScript: oauthFaults.invalidGrant(),
    });
    expect((await refresh(server, 'test-refresh-token-a')).status).toBe(503);
    expect((await refresh(server, 'test-refresh-token-a')).body.error).toBe('temporarily_unavailable');
    expect((await refresh(server, 'test-refresh-token-a')).body).toMatchObject({ access_token: 'test-access-token-a-1', expires_in: 60 });
    expect((await refresh(server, 'test-refresh-token-b')).body.error).toBe('invalid_grant');
    server.setScript('b', oauthReplies.tokens());
    expect((await refresh(server, 'test-refresh-token-b')).status).toBe(200);
    const limited = await start({ accounts: [account('c', { script: oauthFaults.rateLimited(7) })] });
    const answer = await refresh(limited, 'test-refresh-token-c');
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('7');
  });

  it('reads form-encoded bodies only, checks clients (form or Basic) and client binding', async () => {
    const server = await start({
      clients: [{ clientId: 'client-1', clientSecret: 'test-client-secret-1' }, { clientId: 'client-2' }],
      accounts: [account('a', { clientId: 'client-1' })],
    });
    const json = await fetch(server.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'refresh_token' }),
    });
    expect(json.status).toBe(400);
    expect((await refresh(server, 'test-refresh-token-a', { client_id: 'nobody' })).body.error).toBe('invalid_client');
    expect((await refresh(server, 'test-refresh-token-a', { client_id: 'client-1', client_secret: 'wrong' })).status).toBe(401);
    expect((await refresh(server, 'test-refresh-token-a', { client_id: 'client-2' })).body.error).toBe('invalid_grant');
    const basic = `Basic ${Buffer.from('client-1:test-client-secret-1').toString('base64')}`;
    expect((await post(server.tokenUrl, { grant_type: 'refresh_token', refresh_token: 'test-refresh-token-a' }, { authorization: basic })).status).toBe(200);
    expect((await post(server.tokenUrl, { grant_type: 'password', client_id: 'client-2' })).body.error).toBe('unsupported_grant_type');
  });

  it('answers resource_url (Qwen) on the qwen preset paths', async () => {
    const server = await start({ preset: 'qwen', resourceUrl: 'portal.qwen.ai', accounts: [account('a')] });
    expect(server.tokenUrl).toMatch(/\/api\/v1\/oauth2\/token$/);
    expect(server.deviceCodeUrl).toMatch(/\/api\/v1\/oauth2\/device\/code$/);
    expect((await refresh(server, 'test-refresh-token-a')).body.resource_url).toBe('portal.qwen.ai');
  });

  it('records requests with every secret masked', async () => {
    const server = await start({ accounts: [account('a')] });
    await refresh(server, 'test-refresh-token-a', { client_id: 'client-1', client_secret: 'test-client-secret-1' });
    expect(server.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        endpoint: 'token',
        grantType: 'refresh_token',
        clientId: 'client-1',
        accountId: 'a',
        status: 200,
        form: { grant_type: 'refresh_token', refresh_token: '***', client_id: 'client-1', client_secret: '***' },
      }),
    ]);
    expect(JSON.stringify(server.requests)).not.toMatch(/test-refresh-token|test-client-secret|test-access-token/);
  });

  it('close() ends a hanging answer', async () => {
    const server = await start({ accounts: [account('a', { script: oauthFaults.hang() })] });
    const pending = refresh(server, 'test-refresh-token-a').catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await server.close();
    expect(await pending).toBeInstanceOf(Error);
  });
});

describe('access tokens', () => {
  it('introspect and protect follow the lifetime on the server clock, and revocation', async () => {
    let time = 1_000_000;
    const server = await start({ accounts: [account('a', { accessToken: 'test-access-token-a-0' })], accessTokenLifetimeSeconds: 60, now: () => time });
    expect(server.introspect('test-access-token-a-0')).toEqual({ active: true, accountId: 'a', expiresAt: 1_060_000 });
    const resource = server.protect(async () => new Response('ok'));
    const call = (token?: string) => resource('http://127.0.0.1:1/x', token ? { headers: { authorization: `Bearer ${token}` } } : {});
    expect((await call('test-access-token-a-0')).status).toBe(200);
    time += 60_000;
    expect(server.introspect('test-access-token-a-0').active).toBe(false);
    const rejected = await call('test-access-token-a-0');
    expect(rejected.status).toBe(401);
    expect(await rejected.json()).toMatchObject({ error: { code: 'invalid_api_key' } });
    expect((await call()).status).toBe(401);
    const fresh = String((await refresh(server, 'test-refresh-token-a')).body.access_token);
    expect((await call(fresh)).status).toBe(200);
    server.revokeAccessTokens('a');
    expect((await call(fresh)).status).toBe(401);
    expect(server.rejectedCount()).toBe(3);
    expect(server.introspect('test-access-token-nope')).toEqual({ active: false });
  });
});

describe('device-code grant', () => {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');

  it('pending → slow_down (interval + 5) → approve with PKCE; the device code is single-use', async () => {
    const server = await start({ preset: 'qwen', device: { script: ['authorization_pending', 'slow_down', 'approve'], interval: 2 } });
    const code = await post(server.deviceCodeUrl, { client_id: 'client-1', scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256' });
    expect(code).toMatchObject({
      status: 200,
      body: { device_code: 'test-device-code-1', user_code: 'TEST-0001', interval: 2, expires_in: 600, verification_uri: `${server.url}/device` },
    });
    expect(code.body.verification_uri_complete).toBe(`${server.url}/device?user_code=TEST-0001`);
    const poll = (fields: Record<string, string> = {}) =>
      post(server.tokenUrl, {
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        client_id: 'client-1',
        device_code: 'test-device-code-1',
        code_verifier: verifier,
        ...fields,
      });
    expect((await poll()).body.error).toBe('authorization_pending');
    expect((await poll()).body.error).toBe('slow_down');
    const tokens = await poll();
    expect(tokens).toMatchObject({
      status: 200,
      body: { access_token: 'test-access-token-device-user-1-1', refresh_token: 'test-refresh-token-device-user-1-1' },
    });
    expect((await poll()).body.error).toBe('invalid_grant');
    expect(pkceChallengeS256(verifier)).toBe(challenge);
  });

  it('a wrong code_verifier fails PKCE; expired_token after expires_in; access_denied by script', async () => {
    let time = 0;
    const server = await start({ device: { script: ['approve'], expiresIn: 30 }, now: () => time });
    await post(server.deviceCodeUrl, { client_id: 'c', code_challenge: challenge, code_challenge_method: 'S256' });
    const poll = (deviceCode: string, codeVerifier: string) =>
      post(server.tokenUrl, {
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        client_id: 'c',
        device_code: deviceCode,
        code_verifier: codeVerifier,
      });
    expect((await poll('test-device-code-1', 'not-the-verifier')).body.error_description).toMatch(/PKCE/);
    time += 30_000;
    expect((await poll('test-device-code-1', verifier)).body.error).toBe('expired_token');
    server.setDeviceScript(['access_denied']);
    await post(server.deviceCodeUrl, { client_id: 'c' });
    expect((await poll('test-device-code-2', '')).body.error).toBe('access_denied');
    expect((await post(server.deviceCodeUrl, { client_id: 'c', code_challenge: 'x', code_challenge_method: 'plain' })).status).toBe(400);
  });
});

describe('authorization-code grant (loopback login)', () => {
  it('authorize redirects with code and state; the code is exchanged once with PKCE and the same redirect_uri', async () => {
    const server = await start({ preset: 'google' });
    const verifier = 'test-verifier-0123456789-0123456789-0123456789';
    const redirectUri = 'http://127.0.0.1:9/callback';
    const authorize = new URL(server.authorizeUrl);
    expect(authorize.pathname).toBe('/o/oauth2/v2/auth');
    Object.entries({
      response_type: 'code',
      client_id: 'client-1',
      redirect_uri: redirectUri,
      state: 'state-123',
      code_challenge: pkceChallengeS256(verifier),
      code_challenge_method: 'S256',
    }).forEach(([k, v]) => {
      authorize.searchParams.set(k, v);
    });
    const redirect = await fetch(authorize, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const location = new URL(redirect.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
    expect(location.searchParams.get('state')).toBe('state-123');
    const code = location.searchParams.get('code')!;
    const exchange = (fields: Record<string, string>) =>
      post(server.tokenUrl, { grant_type: 'authorization_code', client_id: 'client-1', code, redirect_uri: redirectUri, code_verifier: verifier, ...fields });
    expect((await exchange({ redirect_uri: 'http://127.0.0.1:9/other' })).body.error).toBe('invalid_grant');
    expect((await exchange({ code_verifier: 'wrong' })).body.error_description).toMatch(/PKCE/);
    expect((await exchange({})).body).toMatchObject({
      access_token: expect.stringMatching(/^test-access-token-browser-user/),
      refresh_token: expect.any(String),
    });
    expect((await exchange({})).body.error).toBe('invalid_grant');
  });

  it('outcome access_denied redirects with error=access_denied', async () => {
    const server = await start({ authorize: { outcome: 'access_denied' } });
    const url = `${server.authorizeUrl}?response_type=code&client_id=c&redirect_uri=${encodeURIComponent('http://127.0.0.1:9/cb')}&state=s`;
    const location = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('s');
  });
});
