import { KitError } from '@kit/core';
import { describe, expect, it } from 'vitest';
import { azureEntraCredential, type AzureEntraCredentialOptions } from './azure-entra-credential';
import { azureEntraRefresh } from './azure-entra-refresh';

const app = { tenantId: '00000000-0000-0000-0000-00000000aaaa', clientId: '11111111-2222-3333-4444-555555555555', clientSecret: 'test-client-secret-value-1' };

function configError(options: AzureEntraCredentialOptions): KitError {
  try {
    azureEntraCredential(options);
  } catch (error) {
    return error as KitError;
  }
  throw new Error('expected an error');
}

describe('azureEntraCredential', () => {
  it("an OAuthManager credential with no token yet: the tenant's v2.0 token endpoint, the Cognitive Services scope, expiresAt 0", () => {
    expect(azureEntraCredential(app)).toEqual({
      id: app.clientId,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      accessToken: 'entra:not-issued-yet',
      expiresAt: 0,
      scopes: ['https://cognitiveservices.azure.com/.default'],
      tokenUrl: 'https://login.microsoftonline.com/00000000-0000-0000-0000-00000000aaaa/oauth2/v2.0/token',
    });
  });

  it('carries its resource (a region of the pool) as resourceUrl, and names itself after it', () => {
    expect(azureEntraCredential({ ...app, resourceName: 'contoso-swedencentral' })).toMatchObject({
      id: `contoso-swedencentral/${app.clientId}`,
      resourceUrl: 'https://contoso-swedencentral.openai.azure.com/openai',
    });
    expect(azureEntraCredential({ ...app, id: 'gw', baseURL: 'https://gw.example.com/openai' })).toMatchObject({
      id: 'gw',
      resourceUrl: 'https://gw.example.com/openai',
    });
  });

  it('another cloud: authorityHost (trailing slash dropped) and a domain as tenant', () => {
    expect(azureEntraCredential({ ...app, tenantId: 'contoso.onmicrosoft.us', authorityHost: 'https://login.microsoftonline.us/' }).tokenUrl).toBe(
      'https://login.microsoftonline.us/contoso.onmicrosoft.us/oauth2/v2.0/token',
    );
  });

  it('bad options: invalid_config naming the field, never quoting the secret', () => {
    const errors = [
      configError({ ...app, tenantId: 'common' }),
      configError({ ...app, tenantId: 'a/b' }),
      configError({ ...app, clientSecret: '' }),
      configError({ ...app, authorityHost: 'http://login.microsoftonline.com' }),
      configError({ ...app, resourceName: 'https://x.openai.azure.com' }),
      configError({ ...app, resourceName: 'x', baseURL: 'https://x.example.com/openai' }),
      configError({ ...app, scope: 'https://cognitiveservices.azure.com/user_impersonation' }),
      configError({ ...app, id: `sp-${app.clientSecret}` }),
      configError({ ...app, client_secret: 'x' } as never),
    ];
    expect(errors.map((error) => error.code)).toEqual(Array(errors.length).fill('invalid_config'));
    expect(errors.map((error) => /: (\w+):/.exec(error.message)?.[1])).toEqual([
      'tenantId',
      'tenantId',
      'clientSecret',
      'authorityHost',
      'resourceName',
      'resourceName',
      'scope',
      'id',
      'client_secret',
    ]);
    for (const error of errors) expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(app.clientSecret);
  });

  it('accepts http:// authority hosts on loopback only (a local test server)', () => {
    expect(azureEntraCredential({ ...app, authorityHost: 'http://127.0.0.1:4000' }).tokenUrl).toBe(`http://127.0.0.1:4000/${app.tenantId}/oauth2/v2.0/token`);
  });
});

describe('azureEntraRefresh', () => {
  it('client-credentials grant: one form POST to the tenant endpoint with client_id, client_secret and the .default scope', async () => {
    const sent: { url: string; contentType: string | null; form: Record<string, string> }[] = [];
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const request = new Request(input, init);
      sent.push({ url: request.url, contentType: request.headers.get('content-type'), form: Object.fromEntries(new URLSearchParams(await request.text())) });
      // Entra's success answer (Microsoft identity platform, client-credentials flow reference).
      return Response.json({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: 'test-entra-access-token-1' });
    };
    const result = await azureEntraRefresh(azureEntraCredential(app), { fetch });
    expect(result).toEqual({ accessToken: 'test-entra-access-token-1', expiresInMs: 3_599_000 });
    expect(sent).toEqual([
      {
        url: `https://login.microsoftonline.com/${app.tenantId}/oauth2/v2.0/token`,
        contentType: expect.stringContaining('application/x-www-form-urlencoded'),
        form: {
          grant_type: 'client_credentials',
          client_id: app.clientId,
          client_secret: app.clientSecret,
          scope: 'https://cognitiveservices.azure.com/.default',
        },
      },
    ]);
  });

  it("a wrong secret (Entra's 401 invalid_client, AADSTS7000215) is `authentication`, with Entra's reason and without the secret", async () => {
    // Body as Entra sends it, from github.com/Azure/sap-automation issue #418 (ids replaced).
    const fetch: typeof globalThis.fetch = async () =>
      Response.json(
        {
          error: 'invalid_client',
          error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.\r\nTrace ID: 6bad8289-db4a-49da-8609-0848d8d71700\r\nCorrelation ID: 63b8bb61-5ca6-4ae3-8224-15a4de11cd87\r\nTimestamp: 2023-02-20 07:21:29Z`,
          error_codes: [7000215],
          timestamp: '2023-02-20 07:21:29Z',
          trace_id: '6bad8289-db4a-49da-8609-0848d8d71700',
          correlation_id: '63b8bb61-5ca6-4ae3-8224-15a4de11cd87',
          error_uri: 'https://login.microsoftonline.com/error?code=7000215',
        },
        { status: 401 },
      );
    const error = await azureEntraRefresh(azureEntraCredential(app), { fetch }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(KitError);
    expect(error).toMatchObject({ code: 'authentication', status: 401, credentialId: app.clientId });
    expect((error as KitError).message).toContain('invalid_client: AADSTS7000215');
    expect(`${(error as KitError).message} ${JSON.stringify(error)} ${(error as KitError).stack}`).not.toContain(app.clientSecret);
  });

  it('an answer without access_token is invalid_response; a credential not made by azureEntraCredential is refused before any request', async () => {
    let requests = 0;
    const fetch: typeof globalThis.fetch = async () => {
      requests += 1;
      return Response.json({ token_type: 'Bearer', expires_in: 3599 });
    };
    await expect(azureEntraRefresh(azureEntraCredential(app), { fetch })).rejects.toMatchObject({ code: 'invalid_response' });
    await expect(azureEntraRefresh({ id: 'plain', accessToken: 'test-access-token-1', clientId: 'c', clientSecret: 's' }, { fetch })).rejects.toMatchObject({
      code: 'invalid_request',
      message: expect.stringContaining('credential.tokenUrl'),
    });
    expect(requests).toBe(1);
  });
});
