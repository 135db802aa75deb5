// @kit/gemini with OAuth accounts (an OAuthManager), end to end on the testkit Gemini upstream and OAuth token server.
import { createGemini, createGeminiOAuthRefresh } from '@kit/gemini';
import { OAuthManager } from '@kit/oauthmanager';
import { createMockOAuthServer, oauthFaults, replies, type MockOAuthServer } from '@kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { eventLog, expectNoSecrets, upstreams } from './helpers';

const servers = upstreams();
const oauthServers: MockOAuthServer[] = [];
afterEach(async () => {
  await servers.closeAll();
  await Promise.all(oauthServers.splice(0).map((server) => server.close()));
});

async function tokenServer(options: Parameters<typeof createMockOAuthServer>[0]): Promise<MockOAuthServer> {
  const server = await createMockOAuthServer({ preset: 'google', ...options });
  oauthServers.push(server);
  return server;
}

const HOUR = 3_600_000;
const noRefresh = createGeminiOAuthRefresh({ tokenEndpoint: 'http://127.0.0.1:9/never-called' });
const count = (paths: string[], path: string) => paths.filter((candidate) => candidate === path).length;

describe('Gemini Code Assist with an OAuthManager', () => {
  it("discovers each account's project once (onboarding polled to done), keeps it on the credential, and sends { model, project, request }", async () => {
    const upstream = await servers.start({
      dialect: 'gemini',
      credentials: [
        { id: 'alice', secret: 'test-access-token-alice' },
        { id: 'bob', secret: 'test-access-token-bob' },
      ],
      codeAssist: { pendingPolls: 2 },
      defaultScript: replies.text('Hello from Code Assist'),
    });
    const accounts = new OAuthManager(
      'gemini',
      [
        {
          id: 'alice',
          clientId: 'test-client',
          accessToken: 'test-access-token-alice',
          refreshToken: 'test-refresh-token-alice',
          expiresAt: Date.now() + HOUR,
        },
        { id: 'bob', clientId: 'test-client', accessToken: 'test-access-token-bob', refreshToken: 'test-refresh-token-bob', expiresAt: Date.now() + HOUR },
      ],
      noRefresh,
    );
    const log = eventLog();
    const gemini = createGemini({ credentials: accounts, baseURL: `${upstream.origin}/v1internal`, onboardingPollIntervalMs: 0, onEvent: log.onEvent });
    const texts = await Promise.all(
      Array.from({ length: 6 }, async (_, index) => (await gemini.generateChatCompletion({ prompt: `call ${index}`, stream: index % 2 === 0 })).text()),
    );
    expect(texts).toEqual(Array(6).fill('Hello from Code Assist'));

    for (const id of ['alice', 'bob']) {
      const paths = upstream.requests.filter((request) => request.credentialId === id).map((request) => `${request.method} ${request.path}`);
      // One discovery per account: loadCodeAssist, onboardUser, then the operation polled until done.
      expect(count(paths, 'POST /v1internal:loadCodeAssist')).toBe(1);
      expect(count(paths, 'POST /v1internal:onboardUser')).toBe(1);
      expect(paths.filter((path) => path.startsWith('GET /v1internal/operations/'))).toHaveLength(2);
      const generations = upstream.requests.filter((request) => request.credentialId === id && /:(stream)?[gG]enerateContent/.test(request.path));
      for (const generation of generations) {
        expect(generation.body).toMatchObject({
          model: 'gemini-3.5-flash-lite',
          project: `mock-managed-project-${id}`,
          request: { contents: [{ role: 'user' }] },
        });
      }
    }
    // The project is now on the credentials (an OAuthManager store would persist it).
    expect(accounts.export().credentials.map((credential) => [credential.id, credential.projectId])).toEqual([
      ['alice', 'mock-managed-project-alice'],
      ['bob', 'mock-managed-project-bob'],
    ]);
    // Later calls discover nothing.
    const before = upstream.requests.length;
    await gemini.complete({ prompt: 'again' });
    await gemini.complete({ prompt: 'and again' });
    expect(upstream.requests.slice(before).map((request) => request.path)).toEqual(['/v1internal:generateContent', '/v1internal:generateContent']);
    expectNoSecrets(
      [upstream.requests, log.events, accounts.export(), accounts.getHealthSummary()],
      ['test-access-token-alice', 'test-access-token-bob', 'test-refresh-token-alice'],
    );
  });

  it('401 on a request → one refresh → the retry with the new token succeeds (rotated refresh token kept)', async () => {
    const oauth = await tokenServer({ accounts: [{ id: 'alice', refreshToken: 'test-refresh-token-alice-0', clientId: 'test-client' }] });
    // The upstream knows the token the first refresh will issue; the one the manager starts with is stale.
    const upstream = await servers.start({
      dialect: 'gemini',
      credentials: [{ id: 'alice', secret: 'test-access-token-alice-1', project: 'alice-project' }],
      defaultScript: replies.text('answered after a refresh'),
    });
    const accounts = new OAuthManager(
      'gemini',
      [
        {
          id: 'alice',
          clientId: 'test-client',
          accessToken: 'test-access-token-alice-stale',
          refreshToken: 'test-refresh-token-alice-0',
          expiresAt: Date.now() + HOUR,
          projectId: 'alice-project',
        },
      ],
      createGeminiOAuthRefresh({ tokenEndpoint: oauth.tokenUrl }),
    );
    const log = eventLog();
    const gemini = createGemini({ credentials: accounts, baseURL: `${upstream.origin}/v1internal`, onEvent: log.onEvent });
    const completion = await (await gemini.generateChatCompletion({ prompt: 'Hi' })).final();
    expect(completion).toMatchObject({ text: 'answered after a refresh', credentialId: 'alice' });
    expect(oauth.refreshCount('alice')).toBe(1);
    expect(upstream.requests.map((request) => [request.path, request.credentialId])).toEqual([
      ['/v1internal:streamGenerateContent?alt=sse', undefined],
      ['/v1internal:streamGenerateContent?alt=sse', 'alice'],
    ]);
    expect(log.ofType('request-error')).toMatchObject([{ error: { code: 'authentication', status: 401 }, willRetry: true }]);
    // The server rotated the refresh token: the manager holds the new one.
    const [stored] = accounts.export({ includeSecrets: true }).credentials;
    expect(stored).toMatchObject({ accessToken: 'test-access-token-alice-1', refreshToken: oauth.currentRefreshToken('alice') });
    expectNoSecrets(
      [upstream.requests, log.events, accounts.export()],
      ['test-access-token-alice-stale', 'test-access-token-alice-1', 'test-refresh-token-alice-0'],
    );
  });

  it('a stale token during project discovery is refreshed once and discovery retried', async () => {
    const oauth = await tokenServer({ accounts: [{ id: 'bob', refreshToken: 'test-refresh-token-bob-0', clientId: 'test-client' }] });
    const upstream = await servers.start({
      dialect: 'gemini',
      credentials: [{ id: 'bob', secret: 'test-access-token-bob-1' }],
      codeAssist: { pendingPolls: 0 },
    });
    const accounts = new OAuthManager(
      'gemini',
      [
        {
          id: 'bob',
          clientId: 'test-client',
          accessToken: 'test-access-token-bob-stale',
          refreshToken: 'test-refresh-token-bob-0',
          expiresAt: Date.now() + HOUR,
        },
      ],
      createGeminiOAuthRefresh({ tokenEndpoint: oauth.tokenUrl }),
    );
    const gemini = createGemini({ credentials: accounts, baseURL: `${upstream.origin}/v1internal`, onboardingPollIntervalMs: 0 });
    expect((await gemini.complete({ prompt: 'Hi' })).credentialId).toBe('bob');
    expect(oauth.refreshCount('bob')).toBe(1);
    expect(upstream.requests.map((request) => [request.path, request.credentialId])).toEqual([
      ['/v1internal:loadCodeAssist', undefined],
      ['/v1internal:loadCodeAssist', 'bob'],
      ['/v1internal:onboardUser', 'bob'],
      ['/v1internal:generateContent', 'bob'],
    ]);
  });

  it('an account whose refresh fails is skipped: the other account answers every call', async () => {
    let clock = Date.now();
    const now = () => clock;
    const oauth = await tokenServer({
      now,
      accounts: [
        { id: 'carol', refreshToken: 'test-refresh-token-carol-0', clientId: 'test-client', script: oauthFaults.invalidGrant() },
        { id: 'dave', refreshToken: 'test-refresh-token-dave-0', clientId: 'test-client' },
      ],
    });
    // The upstream accepts whichever token the token server says is valid now (accounts share one project).
    const upstream = await servers.start({ dialect: 'gemini', codeAssist: { pendingPolls: 0 } });
    const accounts = new OAuthManager(
      'gemini',
      [
        // Both tokens are expired: carol's refresh is refused, dave's works.
        {
          id: 'carol',
          clientId: 'test-client',
          accessToken: 'test-access-token-carol-old',
          refreshToken: 'test-refresh-token-carol-0',
          expiresAt: clock - 1000,
        },
        { id: 'dave', clientId: 'test-client', accessToken: 'test-access-token-dave-old', refreshToken: 'test-refresh-token-dave-0', expiresAt: clock - 1000 },
      ],
      createGeminiOAuthRefresh({ tokenEndpoint: oauth.tokenUrl }),
      { now },
    );
    const gemini = createGemini({ credentials: accounts, baseURL: `${upstream.origin}/v1internal`, fetch: oauth.protect(), onboardingPollIntervalMs: 0 });
    for (let call = 0; call < 4; call += 1) {
      expect((await gemini.complete({ prompt: `call ${call}` })).credentialId).toBe('dave');
      clock += 10_000;
    }
    expect(oauth.refreshCount('dave')).toBe(1);
    expect(oauth.refreshCount('carol')).toBeGreaterThanOrEqual(1);
    expect(oauth.rejectedCount()).toBe(0);
  });
});

describe('Gemini generative-language backend with OAuth', () => {
  it('Bearer tokens on the standard API; a token that expires mid-run is refreshed before use and every call succeeds', async () => {
    let clock = Date.now();
    const now = () => clock;
    const oauth = await tokenServer({
      now,
      accessTokenLifetimeSeconds: 3600,
      accounts: [
        {
          id: 'erin',
          refreshToken: 'test-refresh-token-erin-0',
          clientId: 'test-client',
          accessToken: 'test-access-token-erin-0',
          accessTokenExpiresAt: clock + 20 * 60_000,
        },
      ],
    });
    const upstream = await servers.start({ dialect: 'gemini', defaultScript: replies.text('ok') });
    const accounts = new OAuthManager(
      'gemini',
      [
        {
          id: 'erin',
          clientId: 'test-client',
          accessToken: 'test-access-token-erin-0',
          refreshToken: 'test-refresh-token-erin-0',
          expiresAt: clock + 20 * 60_000,
        },
      ],
      createGeminiOAuthRefresh({ tokenEndpoint: oauth.tokenUrl }),
      { now },
    );
    const gemini = createGemini({ credentials: accounts, oauthBackend: 'generative-language', baseURL: upstream.url, fetch: oauth.protect() });
    for (let call = 0; call < 6; call += 1) {
      expect(await gemini.complete({ prompt: `call ${call}` })).toMatchObject({ text: 'ok' });
      clock += 5 * 60_000; // 5 minutes between calls: the token expires after the fourth
    }
    expect(oauth.refreshCount('erin')).toBe(1);
    expect(oauth.rejectedCount()).toBe(0);
    for (const request of upstream.requests) {
      expect(request.path).toBe('/v1beta/models/gemini-3.5-flash-lite:generateContent');
      expect(request.headers.authorization).toBe('***');
      expect(request.headers['x-goog-api-key']).toBeUndefined();
    }
  });
});
