import { afterEach, describe, expect, it } from 'vitest';
import { createMockEntraServer, type MockEntraServer } from './entra-token-server';

const app = { tenantId: 'tenant-a', clientId: 'client-1', clientSecret: 'test-client-secret-1' };
const scope = 'https://cognitiveservices.azure.com/.default';
const servers: MockEntraServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(options: Partial<Parameters<typeof createMockEntraServer>[0]> = {}) {
  const server = await createMockEntraServer({ apps: [app], ...options });
  servers.push(server);
  return server;
}

function requestToken(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
}

const grant = (extra: Record<string, string> = {}) => ({
  grant_type: 'client_credentials',
  client_id: app.clientId,
  client_secret: app.clientSecret,
  scope,
  ...extra,
});

describe('mock Entra ID token endpoint', () => {
  it("issues a token for the client-credentials grant, in Entra's answer shape, valid for the scope's resource", async () => {
    const server = await start();
    const response = await requestToken(server.tokenUrl(app.tenantId), grant());
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: 'test-entra-access-token-client-1-1' });
    expect(server.introspect('test-entra-access-token-client-1-1')).toMatchObject({
      active: true,
      clientId: 'client-1',
      audience: 'https://cognitiveservices.azure.com',
    });
    expect(server.tokenRequestCount('client-1')).toBe(1);
    expect(server.requests[0]?.form.client_secret).toBe('***');
  });

  it('a wrong secret: 401 invalid_client with AADSTS7000215 and the error_codes/trace fields Entra sends', async () => {
    const server = await start();
    const response = await requestToken(server.tokenUrl(app.tenantId), grant({ client_secret: 'test-wrong-secret' }));
    expect(response.status).toBe(401);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      error: 'invalid_client',
      error_description: expect.stringMatching(/^AADSTS7000215: Invalid client secret provided\. .*\r\nTrace ID: .+\r\nCorrelation ID: .+\r\nTimestamp: /s),
      error_codes: [7000215],
      error_uri: 'https://login.microsoftonline.com/error?code=7000215',
    });
    expect(JSON.stringify(server.requests)).not.toContain('test-wrong-secret');
  });

  it('unknown tenant, unknown app, a scope without /.default, another grant: Entra’s errors', async () => {
    const server = await start();
    const answers = await Promise.all([
      requestToken(server.tokenUrl('tenant-z'), grant()),
      requestToken(server.tokenUrl(app.tenantId), grant({ client_id: 'client-unknown' })),
      requestToken(server.tokenUrl(app.tenantId), grant({ scope: 'https://cognitiveservices.azure.com/user_impersonation' })),
      requestToken(server.tokenUrl(app.tenantId), grant({ grant_type: 'password' })),
    ]);
    const bodies = await Promise.all(
      answers.map(async (response) => [response.status, ((await response.json()) as { error: string; error_codes: number[] }).error_codes[0]]),
    );
    expect(bodies).toEqual([
      [400, 90002],
      [400, 700016],
      [400, 1002012],
      [400, 70003],
    ]);
  });

  it('a rotated secret fails the old one; expired and revoked tokens fail protect() with Azure’s 401, api-key requests pass', async () => {
    const clock = { time: 1_800_000_000_000 };
    const server = await start({ now: () => clock.time, accessTokenLifetimeSeconds: 60 });
    const token = ((await (await requestToken(server.tokenUrl(app.tenantId), grant())).json()) as { access_token: string }).access_token;
    const inner: typeof fetch = async () => new Response('upstream');
    const guarded = server.protect(inner);
    expect(await (await guarded('http://127.0.0.1/x', { headers: { authorization: `Bearer ${token}` } })).text()).toBe('upstream');
    clock.time += 61_000;
    const expired = await guarded('http://127.0.0.1/x', { headers: { authorization: `Bearer ${token}` } });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ statusCode: 401, message: expect.stringContaining('audience is incorrect') });
    expect(await (await guarded('http://127.0.0.1/x', { headers: { 'api-key': 'test-key-1' } })).text()).toBe('upstream');
    server.setClientSecret(app.clientId, 'test-client-secret-2');
    expect((await requestToken(server.tokenUrl(app.tenantId), grant())).status).toBe(401);
    expect(server.rejectedCount()).toBe(1);
  });
});
