import { KitError, type KitEvent } from '@kit/core';
import {
  createGemini,
  createVertexServiceAccountRefresh,
  vertexAuthorizedUserCredential,
  vertexServiceAccountCredential,
  vertexServiceAccountRefresh,
} from '@kit/gemini';
import { OAuthManager } from '@kit/oauthmanager';
import {
  createMockGoogleTokenEndpoint,
  createMockUpstream,
  createTestServiceAccount,
  replies,
  type MockGoogleTokenEndpoint,
  type MockUpstream,
} from '@kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';

const MINUTE = 60_000;
// RSA key generation and 1 000 loopback calls on a shared machine: generous bounds, not timed assertions.

describe('Vertex AI: a pool of three service accounts (one key revoked, one token expiring mid-run)', () => {
  let upstream: MockUpstream | undefined;
  let tokens: MockGoogleTokenEndpoint | undefined;
  afterEach(async () => {
    await Promise.all([upstream?.close(), tokens?.close()]);
    upstream = tokens = undefined;
  });

  it('500 concurrent calls all succeed, with exactly one token request per account per expiry, and no secret anywhere', async () => {
    const start = Date.now();
    let clock = start;
    const now = () => clock;
    const [alpha, beta, gamma] = await Promise.all([
      createTestServiceAccount({ name: 'alpha', project: 'proj-alpha' }),
      createTestServiceAccount({ name: 'beta', project: 'proj-beta' }),
      createTestServiceAccount({ name: 'gamma', project: 'proj-gamma' }),
    ]);
    if (!alpha || !beta || !gamma) throw new Error('service accounts');
    tokens = await createMockGoogleTokenEndpoint({
      now,
      serviceAccounts: [
        { clientEmail: alpha.clientEmail, publicKey: alpha.publicKey },
        // beta's token lives 10 minutes: it expires in the middle of the run.
        { clientEmail: beta.clientEmail, publicKey: beta.publicKey, accessTokenLifetimeSeconds: 600 },
        // gamma's key was deleted in the console: every assertion it signs is refused.
        { clientEmail: gamma.clientEmail, publicKey: gamma.publicKey, revoked: true },
      ],
    });
    const tokenUri = tokens.tokenUrl;
    upstream = await createMockUpstream({ dialect: 'vertex', defaultScript: (_request, n) => replies.text(`Answer ${n + 1} from Vertex.`) });
    const events: KitEvent[] = [];
    const accounts = new OAuthManager(
      'vertex',
      [
        vertexServiceAccountCredential({ ...alpha.keyFile, token_uri: tokenUri }, { location: 'us-central1' }),
        vertexServiceAccountCredential(JSON.stringify({ ...beta.keyFile, token_uri: tokenUri }), { location: 'europe-west4' }),
        vertexServiceAccountCredential({ ...gamma.keyFile, token_uri: tokenUri }),
      ],
      createVertexServiceAccountRefresh({ now }),
      { now, onEvent: (event) => events.push(event) },
    );
    const vertex = createGemini({
      backend: 'vertex',
      project: 'provider-project',
      location: 'us-east5',
      credentials: accounts,
      baseURL: upstream.url,
      fetch: tokens.protect(),
      onEvent: (event) => events.push(event),
    });

    const burst = async (size: number) => {
      const results = await Promise.allSettled(Array.from({ length: size }, (_, call) => vertex.complete({ prompt: `Call ${call}` })));
      const failures = results.filter((result) => result.status === 'rejected');
      expect(failures).toEqual([]);
      return results.map((result) => (result.status === 'fulfilled' ? result.value : undefined));
    };

    const first = await burst(500);
    expect(first.every((completion) => completion?.text.startsWith('Answer '))).toBe(true);
    // One assertion per account for the first tokens; gamma's refused one is tried once (then its refresh backoff holds).
    expect(tokens.tokenRequestCount(alpha.clientEmail)).toBe(1);
    expect(tokens.tokenRequestCount(beta.clientEmail)).toBe(1);
    expect(tokens.tokenRequestCount(gamma.clientEmail)).toBe(1);
    expect(tokens.requests.find((request) => request.accountId === gamma.clientEmail)).toMatchObject({ status: 400, error: 'invalid_grant' });

    clock += 12 * MINUTE; // beta's 10-minute token has expired; alpha's hour-long one has not.
    await burst(500);
    expect(tokens.tokenRequestCount(beta.clientEmail)).toBe(2);
    expect(tokens.tokenRequestCount(alpha.clientEmail)).toBe(1);
    expect(tokens.rejectedCount()).toBe(0); // no call ever went out with a dead token

    // Calls went to each credential's own project and location; gamma never served one.
    const paths = new Set(upstream.requests.map((request) => request.path.replace(/publishers.*$/, '')));
    expect(paths).toEqual(new Set(['/v1/projects/proj-alpha/locations/us-central1/', '/v1/projects/proj-beta/locations/europe-west4/']));
    const served = new Set(first.map((completion) => completion?.credentialId));
    expect(served).toEqual(new Set([alpha.clientEmail, beta.clientEmail]));

    // gamma is held back, its failure named; nothing observable holds a private key, an assertion or a token.
    const gammaHealth = accounts.getHealthSummary().credentials.find((health) => health.id === gamma.clientEmail);
    expect(gammaHealth?.consecutiveRefreshFailures).toBeGreaterThan(0);
    const refreshFailure = events.find((event) => event.type === 'token-refresh' && !event.success);
    expect(JSON.stringify(refreshFailure)).toContain('Invalid JWT Signature.');
    const observable = JSON.stringify([events, accounts.export(), accounts.getHealthSummary(), vertex.getMetrics(), tokens.requests, upstream.requests]);
    const secrets = [alpha, beta, gamma].map((account) => account.keyFile.private_key.split('\n')[1] as string);
    for (const account of [alpha, beta]) secrets.push(...tokens.issuedAccessTokens(account.clientEmail));
    for (const secret of secrets) expect(observable).not.toContain(secret);
    expect(observable).not.toMatch(/eyJ[\w-]+\.eyJ/); // no JWT assertion
  }, 120_000);

  it('a wrongly signed assertion is refused by the token endpoint (invalid_grant), and the error names neither key nor assertion', async () => {
    const [real, impostor] = await Promise.all([createTestServiceAccount({ name: 'real' }), createTestServiceAccount({ name: 'impostor' })]);
    if (!real || !impostor) throw new Error('service accounts');
    tokens = await createMockGoogleTokenEndpoint({ serviceAccounts: [{ clientEmail: real.clientEmail, publicKey: real.publicKey }] });
    // The key file names the real account but holds another private key.
    const forged = vertexServiceAccountCredential({ ...real.keyFile, private_key: impostor.keyFile.private_key, token_uri: tokens.tokenUrl });
    const genuine = vertexServiceAccountCredential({ ...real.keyFile, token_uri: tokens.tokenUrl });
    const refresh = createVertexServiceAccountRefresh();
    const error = await refresh(forged).catch((thrown: unknown) => thrown);
    expect(KitError.is(error) && error.code).toBe('authentication');
    expect(String((error as Error).message)).toContain('invalid_grant: Invalid JWT Signature.');
    expect(JSON.stringify(error) + String(error)).not.toContain(impostor.keyFile.private_key.split('\n')[1]);
    await expect(refresh(genuine)).resolves.toMatchObject({ accessToken: expect.stringMatching(/^test-google-token-/), expiresInMs: 3_599_000 });
    expect(tokens.requests.map((request) => [request.grantType, request.form.assertion, request.status])).toEqual([
      ['urn:ietf:params:oauth:grant-type:jwt-bearer', '***', 400],
      ['urn:ietf:params:oauth:grant-type:jwt-bearer', '***', 200],
    ]);
  }, 60_000);

  it('an ADC authorized_user credential pools with a service account: its refresh-token grant gets tokens at the same endpoint', async () => {
    const robot = await createTestServiceAccount({ name: 'robot', project: 'proj-robot' });
    tokens = await createMockGoogleTokenEndpoint({
      serviceAccounts: [{ clientEmail: robot.clientEmail, publicKey: robot.publicKey }],
      authorizedUsers: [{ id: 'dev', clientId: 'test-client-id', clientSecret: 'test-client-secret', refreshToken: 'test-refresh-token-dev' }],
    });
    upstream = await createMockUpstream({ dialect: 'vertex', defaultScript: replies.text('ok') });
    // The file `gcloud auth application-default login` writes (type authorized_user).
    const adc = { type: 'authorized_user', client_id: 'test-client-id', client_secret: 'test-client-secret', refresh_token: 'test-refresh-token-dev' } as const;
    const user = { ...vertexAuthorizedUserCredential(adc, { project: 'proj-dev' }), tokenUrl: tokens.tokenUrl };
    const accounts = new OAuthManager(
      'vertex',
      [user, vertexServiceAccountCredential({ ...robot.keyFile, token_uri: tokens.tokenUrl })],
      vertexServiceAccountRefresh,
    );
    const vertex = createGemini({ backend: 'vertex', location: 'us-central1', credentials: accounts, baseURL: upstream.url, fetch: tokens.protect() });
    const served = new Set<string | undefined>();
    for (let call = 0; call < 4; call += 1) served.add((await vertex.complete({ prompt: 'Hi' })).credentialId);
    expect(served).toEqual(new Set(['application-default', robot.clientEmail]));
    expect(tokens.requests.map((request) => [request.grantType, request.status])).toEqual([
      ['refresh_token', 200],
      ['urn:ietf:params:oauth:grant-type:jwt-bearer', 200],
    ]);
    expect(new Set(upstream.requests.map((request) => request.path.split('/publishers/')[0]))).toEqual(
      new Set(['/v1/projects/proj-dev/locations/us-central1', '/v1/projects/proj-robot/locations/us-central1']),
    );
  }, 60_000);
});
