// A pool of Azure OpenAI deployments across regions, each reached with its own Entra ID service principal: tokens come
// from the (mock) Entra ID token endpoint with the client-credentials grant and are checked by the (mock) resource.
// One principal has a wrong secret: every call still succeeds on the others.
import { azureEntraCredential, azureEntraRefresh, createAzure } from '@kit/azure';
import { OAuthManager } from '@kit/oauthmanager';
import { createMockEntraServer, replies, type MockEntraServer, type MockUpstream } from '@kit/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { eventLog, expectNoSecrets, upstreams } from '../engine/helpers';

const servers = upstreams();
const entraServers: MockEntraServer[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await servers.closeAll();
  await Promise.all(entraServers.splice(0).map((server) => server.close()));
});

/** Three regions, three app registrations in two tenants, and a fourth principal whose configured secret is wrong. */
const regions = [
  { region: 'eastus', tenantId: 'tenant-contoso', clientId: 'app-eastus', clientSecret: 'test-client-secret-eastus-0123456789' },
  { region: 'westeurope', tenantId: 'tenant-contoso', clientId: 'app-westeurope', clientSecret: 'test-client-secret-westeurope-0123456789' },
  { region: 'swedencentral', tenantId: 'tenant-fabrikam', clientId: 'app-swedencentral', clientSecret: 'test-client-secret-swedencentral-0123456789' },
  { region: 'japaneast', tenantId: 'tenant-fabrikam', clientId: 'app-japaneast', clientSecret: 'test-client-secret-japaneast-0123456789' },
] as const;
const WRONG_SECRET = 'test-client-secret-japaneast-expired-value';

interface Pool {
  entra: MockEntraServer;
  upstreamOf: Record<string, MockUpstream>;
  manager: OAuthManager;
  azure: ReturnType<typeof createAzure>;
  providerLog: ReturnType<typeof eventLog>;
  managerLog: ReturnType<typeof eventLog>;
  clock: { time: number };
}

async function startPool(options: { responseDelayMs?: number } = {}): Promise<Pool> {
  const clock = { time: 1_800_000_000_000 };
  const entra = await createMockEntraServer({ apps: regions, now: () => clock.time, responseDelayMs: options.responseDelayMs ?? 0 });
  entraServers.push(entra);
  const upstreamOf: Record<string, MockUpstream> = {};
  for (const { region } of regions) upstreamOf[region] = await servers.start({ dialect: 'azure', defaultScript: replies.text(`answered in ${region}`) });
  const credentials = regions.map(({ region, tenantId, clientId, clientSecret }) =>
    azureEntraCredential({
      id: region,
      tenantId,
      clientId,
      clientSecret: region === 'japaneast' ? WRONG_SECRET : clientSecret,
      authorityHost: entra.url,
      baseURL: upstreamOf[region]?.url,
    }),
  );
  const managerLog = eventLog();
  const manager = new OAuthManager('azure', credentials, azureEntraRefresh, { now: () => clock.time, onEvent: managerLog.onEvent });
  const providerLog = eventLog();
  // The resource side: a Bearer token must be an active Entra token for https://cognitiveservices.azure.com.
  const azure = createAzure({ credentials: manager, defaultModel: 'gpt-4o-deployment', fetch: entra.protect(), onEvent: providerLog.onEvent, maxRetries: 0 });
  return { entra, upstreamOf, manager, azure, providerLog, managerLog, clock };
}

const good = regions.filter(({ region }) => region !== 'japaneast');

describe('Azure OpenAI with a pool of Entra ID principals across regions', () => {
  it('one principal with a wrong secret: every call succeeds on the others, none reaches its region', async () => {
    const { entra, upstreamOf, manager, azure, managerLog } = await startPool();
    const answered: string[] = [];
    for (let call = 0; call < 12; call += 1) {
      const completion = await azure.complete({ prompt: `call ${call}`, stream: call % 2 === 0 });
      answered.push(`${completion.credentialId}: ${completion.text}`);
    }
    expect(answered.every((line) => /^(eastus|westeurope|swedencentral): answered in \1$/.test(line))).toBe(true);
    expect(new Set(answered).size).toBe(3);
    expect(upstreamOf.japaneast?.requests).toHaveLength(0);
    // The wrong secret was refused by Entra (401 invalid_client) and counted as that principal's refresh failure.
    const failed = managerLog.ofType('token-refresh').filter((event) => !event.success);
    expect(failed.map((event) => [event.credentialId, event.error?.code])).toEqual([['japaneast', 'authentication']]);
    expect(failed[0]?.error?.message).toContain('AADSTS7000215');
    expect(entra.requests.filter((request) => request.error === 'invalid_client').map((request) => request.form.client_id)).toEqual(['app-japaneast']);
    expect(manager.getCredentialHealth('japaneast')).toMatchObject({ consecutiveRefreshFailures: 1 });
    // Every request carried exactly one credential header: the Bearer token, never an api-key.
    for (const { region } of good) {
      const requests = upstreamOf[region]?.requests ?? [];
      expect(requests.length).toBeGreaterThan(0);
      for (const request of requests) {
        expect(request.headers.authorization).toBe('***');
        expect(request.headers).not.toHaveProperty('api-key');
        expect(request.path).toBe('/openai/v1/chat/completions');
      }
    }
    expect(entra.rejectedCount()).toBe(0);
  });

  it('200 concurrent calls, twice across a token expiry: one token request per principal per expiry', async () => {
    const { entra, upstreamOf, azure, clock } = await startPool({ responseDelayMs: 20 });
    const wave = (label: string) =>
      Promise.all(Array.from({ length: 200 }, (_, n) => azure.complete({ prompt: `${label} ${n}`, stream: n % 2 === 1, timeoutMs: 30_000 })));
    const first = await wave('first');
    expect(first.every((completion) => completion.text === `answered in ${completion.credentialId}`)).toBe(true);
    for (const { clientId } of good) expect(entra.tokenRequestCount(clientId)).toBe(1);
    // The wrong secret was tried once (single-flight too), then its principal was left out.
    expect(entra.tokenRequestCount('app-japaneast')).toBe(1);

    clock.time += 3_600_000; // every token issued in the first wave (lifetime 3599 s) has expired
    const second = await wave('second');
    expect(second.every((completion) => completion.text === `answered in ${completion.credentialId}`)).toBe(true);
    for (const { clientId } of good) expect(entra.tokenRequestCount(clientId)).toBe(2);
    for (const { clientId } of good) expect(entra.issuedAccessTokens(clientId)).toHaveLength(2);
    expect(upstreamOf.japaneast?.requests).toHaveLength(0);
    const served = good.reduce((sum, { region }) => sum + (upstreamOf[region]?.requests.length ?? 0), 0);
    expect(served).toBe(400);
    // No call reached a resource with an expired token: each expiry was refreshed before use.
    expect(entra.rejectedCount()).toBe(0);
  }, 60_000);

  it('a token revoked early: Azure answers 401, the principal gets one new token and the call is retried on it', async () => {
    const { entra, azure, manager } = await startPool();
    const firstCall = await azure.complete({ prompt: 'warm up' });
    const region = firstCall.credentialId as string;
    const clientId = `app-${region}`;
    entra.revokeAccessTokens(clientId);
    const answers = [];
    for (let call = 0; call < 3; call += 1) answers.push(await azure.complete({ prompt: `after revocation ${call}` }));
    expect(answers.every((answer) => answer.text === `answered in ${answer.credentialId}`)).toBe(true);
    expect(entra.rejectedCount()).toBe(1);
    expect(entra.tokenRequestCount(clientId)).toBe(2);
    expect(manager.getCredentialHealth(region)).toMatchObject({ consecutiveFailures: 0 });
  });

  it('client secrets and tokens are in no error, event, export, health report, alert or log', async () => {
    const logged: string[] = [];
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logged.push(args.map(String).join(' '));
      });
    }
    const { entra, azure, manager, providerLog, managerLog } = await startPool();
    const errors: unknown[] = [];
    for (let call = 0; call < 6; call += 1) await azure.complete({ prompt: `call ${call}` });
    // Every principal's secret then fails: the calls fail, with errors worth scanning.
    for (const { clientId } of good) entra.setClientSecret(clientId, 'test-client-secret-rotated-elsewhere');
    entra.revokeAccessTokens();
    for (let call = 0; call < 3; call += 1)
      errors.push(await azure.complete({ prompt: `doomed ${call}`, stream: call === 1 }).catch((error: unknown) => error));
    expect(errors.every((error) => error instanceof Error)).toBe(true);

    const secrets = [...regions.map((region) => region.clientSecret), WRONG_SECRET, ...regions.flatMap((region) => entra.issuedAccessTokens(region.clientId))];
    expect(secrets.length).toBeGreaterThan(5);
    const observable: unknown[] = [
      ...errors,
      ...errors.map((error) => (error as Error).stack),
      ...providerLog.events,
      ...managerLog.events,
      manager.export(),
      manager.getHealthSummary(),
      ...regions.map((region) => manager.getCredentialHealth(region.region)),
      manager.checkAlerts(),
      azure.getConfig?.(),
      azure.getMetrics(),
      entra.requests,
      ...logged,
    ];
    expectNoSecrets(observable, secrets);
    expect(JSON.stringify(manager.export())).not.toContain('clientSecret');
  });

  it('monitoring: healthy Entra principals raise no "token cannot be refreshed" alert (a client secret renews them); the one whose refreshes fail does', async () => {
    const { azure, manager, clock } = await startPool();
    for (let call = 0; call < 4; call += 1) await azure.complete({ prompt: `call ${call}` });
    clock.time += 3_000_000; // 50 min later: every token expires within the 24 h warning window
    const raised = manager.checkAlerts();
    expect(raised.filter((alert) => alert.kind === 'token-expiring').map((alert) => alert.credentialId)).toEqual(['japaneast']);
  });
});
