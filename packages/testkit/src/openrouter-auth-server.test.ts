import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createMockOpenRouterAuthServer, type MockOpenRouterAuthServer } from './openrouter-auth-server';

const started: MockOpenRouterAuthServer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.close()));
});

async function start(options = {}) {
  const server = await createMockOpenRouterAuthServer(options);
  started.push(server);
  return server;
}

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

/** The consent step: `/auth` with a callback; resolves with the code of the redirect. */
async function authorize(server: MockOpenRouterAuthServer, challenge: string) {
  const url = `${server.authUrl}?callback_url=${encodeURIComponent('http://127.0.0.1:9/cb')}&code_challenge=${challenge}&code_challenge_method=S256`;
  const response = await fetch(url, { redirect: 'manual' });
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location') as string).searchParams.get('code') as string;
}

const exchange = (server: MockOpenRouterAuthServer, body: unknown) =>
  fetch(server.keysUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('createMockOpenRouterAuthServer', () => {
  it('redirects /auth to the callback with a code, and exchanges it once for a key with the right verifier', async () => {
    const server = await start();
    const { verifier, challenge } = pkce();
    const code = await authorize(server, challenge);
    expect(code).toMatch(/^[0-9a-f]{32}$/);
    const wrong = await exchange(server, { code, code_verifier: pkce().verifier, code_challenge_method: 'S256' });
    expect([wrong.status, await wrong.json()]).toEqual([403, { error: { code: 403, message: 'Invalid code_verifier' } }]);
    const right = await exchange(server, { code, code_verifier: verifier, code_challenge_method: 'S256' });
    expect(await right.json()).toEqual({ key: 'test-key-openrouter-issued-1', user_id: 'user_test_1' });
    const again = await exchange(server, { code, code_verifier: verifier, code_challenge_method: 'S256' });
    expect(again.status).toBe(403);
    expect(server.issuedKeys()).toEqual(['test-key-openrouter-issued-1']);
    expect(JSON.stringify(server.requests)).not.toContain(verifier);
    expect(server.requests.map((request) => request.status)).toEqual([302, 403, 200, 403]);
  });

  it("'deny' answers 403 without a redirect; a missing callback_url is a 400", async () => {
    const denied = await start({ outcome: 'deny' });
    expect((await fetch(`${denied.authUrl}?callback_url=http://127.0.0.1:9/cb`, { redirect: 'manual' })).status).toBe(403);
    expect((await fetch(denied.authUrl, { redirect: 'manual' })).status).toBe(400);
  });
});
