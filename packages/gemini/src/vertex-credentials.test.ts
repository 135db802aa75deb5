import { KitError } from '@kit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLOUD_PLATFORM_SCOPE, vertexAuthorizedUserCredential, vertexServiceAccountCredential, type ServiceAccountKey } from './vertex-credentials';
import { createVertexServiceAccountRefresh } from './vertex-refresh';

/** A key file of the shape Google issues, around a key pair generated for this run (never a committed key). */
async function keyFile(tokenUri = 'https://oauth2.googleapis.com/token'): Promise<{ file: ServiceAccountKey; publicKey: CryptoKey }> {
  const pair = await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  );
  const der = btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey))));
  const pem = `-----BEGIN PRIVATE KEY-----\n${(der.match(/.{1,64}/g) ?? []).join('\n')}\n-----END PRIVATE KEY-----\n`;
  return {
    publicKey: pair.publicKey,
    file: {
      type: 'service_account',
      project_id: 'key-project',
      private_key_id: 'test-key-id-1',
      private_key: pem,
      client_email: 'runner@key-project.iam.gserviceaccount.com',
      token_uri: tokenUri,
    },
  };
}

const fromBase64Url = (text: string) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (char) => char.charCodeAt(0));
const decode = (segment: string) => JSON.parse(new TextDecoder().decode(fromBase64Url(segment))) as Record<string, unknown>;

/** A token endpoint as a `fetch`: records each form and answers as Google does. */
function tokenFetch(answer: () => Response = () => Response.json({ access_token: 'test-access-token-9', expires_in: 3599, token_type: 'Bearer' })) {
  const forms: { url: string; form: URLSearchParams; contentType: string | null }[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    forms.push({ url: request.url, form: new URLSearchParams(await request.text()), contentType: request.headers.get('content-type') });
    return answer();
  };
  return { fetch, forms };
}

let key: { file: ServiceAccountKey; publicKey: CryptoKey };
beforeAll(async () => {
  key = await keyFile('https://token.example.test/token');
}, 60_000);

describe('vertexServiceAccountCredential', () => {
  it('maps the key file to an OAuthManager credential: email as clientId, key as the refresh secret, project, token_uri', () => {
    const credential = vertexServiceAccountCredential(JSON.stringify(key.file));
    expect(credential).toEqual({
      id: 'runner@key-project.iam.gserviceaccount.com',
      clientId: 'runner@key-project.iam.gserviceaccount.com',
      refreshToken: key.file.private_key,
      tokenUrl: 'https://token.example.test/token',
      projectId: 'key-project',
      scopes: [CLOUD_PLATFORM_SCOPE],
      accessToken: '~~~',
      expiresAt: 0,
    });
  });

  it('options: id, project and location (a resourceUrl naming its Vertex endpoint), scopes', () => {
    const credential = vertexServiceAccountCredential(key.file, { id: 'eu', project: 'other-project', location: 'europe-west4', scopes: ['a', 'b'] });
    expect(credential).toMatchObject({
      id: 'eu',
      projectId: 'other-project',
      resourceUrl: 'https://europe-west4-aiplatform.googleapis.com/v1/projects/other-project/locations/europe-west4',
      scopes: ['a', 'b'],
    });
    expect(vertexServiceAccountCredential(key.file, { location: 'global' }).resourceUrl).toBe(
      'https://aiplatform.googleapis.com/v1/projects/key-project/locations/global',
    );
  });

  it.each([
    ['{not json', /^serviceAccount: not JSON/],
    [[], /^serviceAccount: expected a key file object/],
    [{ type: 'authorized_user' }, /^serviceAccount\.type: expected "service_account"/],
    [{ type: 'service_account', private_key: 'x' }, /^serviceAccount\.client_email: missing/],
    [{ type: 'service_account', client_email: 'a@b', private_key: 'test-key-not-a-pem' }, /^serviceAccount\.private_key: expected a PKCS#8 PEM key/],
    [{ type: 'service_account', client_email: 7, private_key: 'x' }, /^serviceAccount\.client_email: expected a string/],
  ])('bad key file %# → invalid_config naming the field, never a value', (input, message) => {
    let thrown: unknown;
    try {
      vertexServiceAccountCredential(input as never);
    } catch (error) {
      thrown = error;
    }
    expect(KitError.is(thrown) && thrown.code).toBe('invalid_config');
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).not.toContain('test-key-not-a-pem');
  });

  it('a bad token_uri or location is refused; a location without any project too', () => {
    expect(() => vertexServiceAccountCredential({ ...key.file, token_uri: 'ftp://x' })).toThrow(/^serviceAccount\.token_uri: /);
    expect(() => vertexServiceAccountCredential(key.file, { location: 'Europe West' })).toThrow(/^options\.location: /);
    const { project_id: _, ...noProject } = key.file;
    expect(() => vertexServiceAccountCredential(noProject as ServiceAccountKey, { location: 'us-central1' })).toThrow(/^options\.project: /);
  });
});

describe('vertexAuthorizedUserCredential (ADC authorized_user)', () => {
  // The shape `gcloud auth application-default login` writes to application_default_credentials.json.
  const adc = {
    type: 'authorized_user',
    client_id: 'test-client.apps.googleusercontent.com',
    client_secret: 'test-client-secret',
    refresh_token: 'test-refresh-token-1',
    quota_project_id: 'quota-1',
  } as const;

  it('keeps the client, the refresh token and the quota project', () => {
    expect(vertexAuthorizedUserCredential(JSON.stringify(adc))).toEqual({
      id: 'application-default',
      clientId: adc.client_id,
      clientSecret: adc.client_secret,
      refreshToken: adc.refresh_token,
      tokenUrl: 'https://oauth2.googleapis.com/token',
      projectId: 'quota-1',
      scopes: [CLOUD_PLATFORM_SCOPE],
      accessToken: '~~~',
      expiresAt: 0,
    });
  });

  it('refreshes with the refresh-token grant and its client at Google’s endpoint', async () => {
    const { fetch, forms } = tokenFetch();
    const refreshed = await createVertexServiceAccountRefresh({ fetch })(vertexAuthorizedUserCredential(adc));
    expect(refreshed).toEqual({ accessToken: 'test-access-token-9', expiresInMs: 3_599_000 });
    expect(forms[0]?.url).toBe('https://oauth2.googleapis.com/token');
    expect(Object.fromEntries(forms[0]?.form ?? [])).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'test-refresh-token-1',
      client_id: adc.client_id,
      client_secret: 'test-client-secret',
    });
  });

  it('a missing field is invalid_config naming it', () => {
    expect(() => vertexAuthorizedUserCredential({ ...adc, refresh_token: '' })).toThrow(/^credentials\.refresh_token: missing/);
  });
});

describe('vertexServiceAccountRefresh: the JWT-bearer grant', () => {
  it('signs an RS256 assertion that verifies with the public key: iss = client_email, aud = token_uri, scope, iat/exp', async () => {
    const { fetch, forms } = tokenFetch();
    const issuedAt = Date.UTC(2026, 4, 1, 10, 0, 0);
    const refresh = createVertexServiceAccountRefresh({ fetch, now: () => issuedAt + 999 });
    expect(await refresh(vertexServiceAccountCredential(key.file))).toEqual({ accessToken: 'test-access-token-9', expiresInMs: 3_599_000 });
    const sent = forms[0];
    expect(sent?.url).toBe('https://token.example.test/token');
    expect(sent?.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(sent?.form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const [header = '', claims = '', signature = ''] = (sent?.form.get('assertion') ?? '').split('.');
    expect(decode(header)).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(decode(claims)).toEqual({
      iss: key.file.client_email,
      scope: CLOUD_PLATFORM_SCOPE,
      aud: 'https://token.example.test/token',
      iat: issuedAt / 1000,
      exp: issuedAt / 1000 + 3600,
    });
    const valid = await crypto.subtle.verify('RSASSA-PKCS1-v1_5', key.publicKey, fromBase64Url(signature), new TextEncoder().encode(`${header}.${claims}`));
    expect(valid).toBe(true);
  });

  it('a key pasted with literal \\n sequences (an env var) signs too', async () => {
    const { fetch, forms } = tokenFetch();
    const escaped = { ...key.file, private_key: key.file.private_key.replace(/\n/g, '\\n') };
    await createVertexServiceAccountRefresh({ fetch })(vertexServiceAccountCredential(escaped));
    expect(forms).toHaveLength(1);
  });

  it('Google refusing the key (invalid_grant) is an authentication error holding no key, assertion or token', async () => {
    // Google's answer for a deleted key, as quoted in googleapis/google-cloud-python#10004.
    const { fetch, forms } = tokenFetch(() => Response.json({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }, { status: 400 }));
    const error = await createVertexServiceAccountRefresh({ fetch })(vertexServiceAccountCredential(key.file)).catch((thrown: unknown) => thrown);
    expect(KitError.is(error) && error.code).toBe('authentication');
    expect((error as Error).message).toContain('invalid_grant: Invalid JWT Signature.');
    const seen = JSON.stringify(error) + String(error) + String((error as Error).stack);
    const assertion = forms[0]?.form.get('assertion') ?? '';
    for (const secret of [key.file.private_key.split('\n')[1] as string, assertion.split('.')[2] as string]) expect(seen).not.toContain(secret);
  });

  it('a PEM that is no RSA key is an authentication error (the credential cannot get tokens), no request sent', async () => {
    const { fetch, forms } = tokenFetch();
    const broken = { ...vertexServiceAccountCredential(key.file), refreshToken: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----' };
    await expect(createVertexServiceAccountRefresh({ fetch })(broken)).rejects.toMatchObject({ code: 'authentication' });
    expect(forms).toHaveLength(0);
  });

  it('a credential without a refresh secret or client is not a Vertex credential', async () => {
    await expect(createVertexServiceAccountRefresh()({ id: 'x', accessToken: 'test-access-token-1' })).rejects.toMatchObject({ code: 'invalid_request' });
  });
});

describe('the token_uri a service-account key file names', () => {
  it('must be https (or http to a loopback test server): the signed assertion is a credential', async () => {
    const { file } = await keyFile('http://token.example.com/token');
    expect(() => vertexServiceAccountCredential(file)).toThrow(/token_uri: expected an https URL/);
    const local = await keyFile('http://127.0.0.1:9/token');
    expect(vertexServiceAccountCredential(local.file).tokenUrl).toBe('http://127.0.0.1:9/token');
  });
});
