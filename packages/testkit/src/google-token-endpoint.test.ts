import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockGoogleTokenEndpoint, type MockGoogleTokenEndpoint } from './google-token-endpoint';
import { createTestServiceAccount, type TestServiceAccount } from './test-service-account';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';
const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const json64 = (value: unknown) => b64url(new TextEncoder().encode(JSON.stringify(value)));

/** Signs claims with a key file's private key, as a client library does (RS256). */
async function assertion(account: TestServiceAccount, claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT' }) {
  const der = Buffer.from(account.keyFile.private_key.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
  const key = await crypto.subtle.importKey('pkcs8', der, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  const input = `${json64(header)}.${json64(claims)}`;
  const signature = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, new TextEncoder().encode(input));
  return `${input}.${b64url(new Uint8Array(signature))}`;
}

const post = (url: string, form: Record<string, string>) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });

describe('createMockGoogleTokenEndpoint', () => {
  const start = Date.UTC(2026, 4, 1, 10, 0, 0);
  let clock = start;
  let endpoint: MockGoogleTokenEndpoint;
  let alice: TestServiceAccount;
  let bob: TestServiceAccount;
  const claimsFor = (account: TestServiceAccount, extra: Record<string, unknown> = {}) => ({
    iss: account.clientEmail,
    scope: CLOUD_PLATFORM,
    aud: endpoint.tokenUrl,
    iat: clock / 1000,
    exp: clock / 1000 + 3600,
    ...extra,
  });
  const exchange = async (signed: string) => {
    const response = await post(endpoint.tokenUrl, { grant_type: JWT_BEARER, assertion: signed });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    [alice, bob] = await Promise.all([createTestServiceAccount({ name: 'alice' }), createTestServiceAccount({ name: 'bob' })]);
    endpoint = await createMockGoogleTokenEndpoint({
      now: () => clock,
      serviceAccounts: [
        { clientEmail: alice.clientEmail, publicKey: alice.publicKey },
        { clientEmail: bob.clientEmail, publicKey: bob.publicKey, accessTokenLifetimeSeconds: 600 },
      ],
      authorizedUsers: [{ id: 'dev', clientId: 'test-client-id', clientSecret: 'test-client-secret', refreshToken: 'test-refresh-token-dev' }],
    });
  }, 60_000);
  afterAll(() => endpoint.close());

  it('a valid assertion gets a Bearer token of the scope asked for, expiring as configured; the record masks the assertion', async () => {
    const answer = await exchange(await assertion(alice, claimsFor(alice)));
    expect(answer).toEqual({ status: 200, body: { access_token: expect.stringMatching(/^test-google-token-\d+$/), expires_in: 3599, token_type: 'Bearer' } });
    expect(endpoint.introspect(String(answer.body.access_token))).toMatchObject({ active: true, accountId: alice.clientEmail, scopes: [CLOUD_PLATFORM] });
    expect((await exchange(await assertion(bob, claimsFor(bob)))).body.expires_in).toBe(600);
    expect(endpoint.requests.at(-1)).toMatchObject({ grantType: JWT_BEARER, form: { grant_type: JWT_BEARER, assertion: '***' }, accountId: bob.clientEmail });
  });

  it('rejects, as Google does: another key, a revoked key, the wrong audience, an unknown issuer, a bad timeframe, no scope, alg none', async () => {
    const signedByBob = await assertion(bob, claimsFor(alice)); // alice's claims, bob's key
    expect(await exchange(signedByBob)).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } });
    expect((await exchange(await assertion(alice, claimsFor(alice, { aud: 'https://oauth2.googleapis.com/token' })))).body.error).toBe('invalid_grant');
    expect((await exchange(await assertion(alice, claimsFor(alice, { iss: 'nobody@test-project.iam.gserviceaccount.com' })))).body).toEqual({
      error: 'invalid_grant',
      error_description: 'Invalid grant: account not found',
    });
    const late = claimsFor(alice, { iat: clock / 1000 - 7200, exp: clock / 1000 - 3600 });
    expect((await exchange(await assertion(alice, late))).body.error_description).toMatch(/^Invalid JWT: Token must be a short-lived token/);
    const tooLong = claimsFor(alice, { exp: clock / 1000 + 7200 });
    expect((await exchange(await assertion(alice, tooLong))).body.error).toBe('invalid_grant');
    const future = claimsFor(alice, { iat: clock / 1000 + 3600, exp: clock / 1000 + 7200 });
    expect((await exchange(await assertion(alice, future))).body.error).toBe('invalid_grant');
    expect((await exchange(await assertion(alice, claimsFor(alice, { scope: '' })))).body).toEqual({
      error: 'invalid_scope',
      error_description: 'Empty or missing scope not allowed.',
    });
    expect((await exchange(await assertion(alice, claimsFor(alice), { alg: 'none' }))).body.error).toBe('invalid_grant');
    expect((await exchange('not-a-jwt')).body.error).toBe('invalid_grant');
    endpoint.revokeKey(bob.clientEmail);
    expect((await exchange(await assertion(bob, claimsFor(bob)))).body).toEqual({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
  });

  it('the refresh-token grant of an authorized_user: right client → token; wrong secret → 401 invalid_client; unknown token → invalid_grant', async () => {
    const ok = await post(endpoint.tokenUrl, {
      grant_type: 'refresh_token',
      refresh_token: 'test-refresh-token-dev',
      client_id: 'test-client-id',
      client_secret: 'test-client-secret',
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).not.toHaveProperty('refresh_token'); // Google does not rotate it
    const wrongSecret = await post(endpoint.tokenUrl, {
      grant_type: 'refresh_token',
      refresh_token: 'test-refresh-token-dev',
      client_id: 'test-client-id',
      client_secret: 'nope',
    });
    expect([wrongSecret.status, await wrongSecret.json()]).toEqual([401, { error: 'invalid_client', error_description: 'Unauthorized' }]);
    const unknown = await post(endpoint.tokenUrl, {
      grant_type: 'refresh_token',
      refresh_token: 'test-refresh-token-x',
      client_id: 'test-client-id',
      client_secret: 'test-client-secret',
    });
    expect((await unknown.json()).error).toBe('invalid_grant');
    expect(endpoint.tokenRequestCount('dev')).toBe(2);
    expect(JSON.stringify(endpoint.requests)).not.toMatch(/test-refresh-token-dev|test-client-secret/);
  });

  it('protect(): only live tokens with the cloud-platform scope reach the API; others get Google’s 401 / 403 bodies', async () => {
    const inner: typeof fetch = async () => Response.json({ ok: true });
    const api = endpoint.protect(inner);
    const token = String((await exchange(await assertion(alice, claimsFor(alice)))).body.access_token);
    expect((await api('http://api.test/x', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    const missing = await api('http://api.test/x');
    expect([missing.status, (await missing.json()).error.details[0].reason]).toEqual([401, 'CREDENTIALS_MISSING']);
    clock += 2 * 3600_000;
    const expired = await api('http://api.test/x', { headers: { authorization: `Bearer ${token}` } });
    expect([expired.status, (await expired.json()).error.status]).toEqual([401, 'UNAUTHENTICATED']);
    const narrow = String(
      (await exchange(await assertion(alice, claimsFor(alice, { scope: 'https://www.googleapis.com/auth/devstorage.read_only' })))).body.access_token,
    );
    const refused = await api('http://api.test/x', { headers: { authorization: `Bearer ${narrow}` } });
    expect([refused.status, (await refused.json()).error.details[0].reason]).toEqual([403, 'ACCESS_TOKEN_SCOPE_INSUFFICIENT']);
    expect(endpoint.rejectedCount()).toBe(3);
  });
});
