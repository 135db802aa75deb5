import { isOAuthProvider, KitError, type CredentialLease, type CredentialSource } from '@kit/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { plainText, sseBody } from './__fixtures__/gemini-responses';
import { createGemini } from './gemini-provider';
import { GEMINI_DEFAULT_MODEL } from './gemini-settings';

afterEach(() => vi.unstubAllEnvs());

interface Seen {
  url: string;
  headers: Headers;
  body: Record<string, unknown>;
}

/** A `fetch` that records each request and answers like Vertex AI (the Gemini wire: SSE or one JSON body). */
function vertexFetch(answer: (seen: Seen) => Response = defaultAnswer): { fetch: typeof globalThis.fetch; seen: Seen[] } {
  const seen: Seen[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const entry = { url: request.url, headers: request.headers, body: JSON.parse(await request.text()) as Record<string, unknown> };
    seen.push(entry);
    return answer(entry);
  };
  return { fetch, seen };
}

// Vertex AI answers with the Gemini API's GenerateContentResponse (its REST reference lists the same candidates /
// usageMetadata fields, plus `createTime`): the Gemini fixtures serve both.
function defaultAnswer(seen: Seen): Response {
  if (seen.url.includes(':countTokens')) return Response.json({ totalTokens: 1, totalBillableCharacters: 4 });
  if (seen.url.includes('alt=sse')) return new Response(sseBody(plainText), { headers: { 'content-type': 'text/event-stream' } });
  return Response.json({ ...(plainText[2] as object), createTime: '2026-05-01T10:00:00.000000Z' });
}

/** One OAuth account handing out a fixed token (what an OAuthManager's lease looks like). */
function account(lease: Partial<CredentialLease> = {}): CredentialSource {
  return {
    acquire: async () => ({ id: 'sa-1', secret: 'test-access-token-1', kind: 'oauth', ...lease }),
    reportSuccess: () => {},
    reportFailure: () => {},
    onUnauthorized: async () => false,
  };
}

const MODEL_PATH = `publishers/google/models/${GEMINI_DEFAULT_MODEL}`;

describe("createGemini({ backend: 'vertex' })", () => {
  it('regional location: https://{location}-aiplatform.googleapis.com/v1/projects/{project}/locations/{location}/…, Bearer only', async () => {
    const { fetch, seen } = vertexFetch();
    const vertex = createGemini({ backend: 'vertex', project: 'my-project', location: 'us-central1', credentials: account(), fetch });
    expect(isOAuthProvider(vertex)).toBe(true);
    await vertex.complete({ prompt: 'Hi', stream: false });
    const text = await (await vertex.generateChatCompletion({ prompt: 'Hi' })).text();
    expect(text).toBe('Hello, world!');
    expect(seen.map((entry) => entry.url)).toEqual([
      `https://us-central1-aiplatform.googleapis.com/v1/projects/my-project/locations/us-central1/${MODEL_PATH}:generateContent`,
      `https://us-central1-aiplatform.googleapis.com/v1/projects/my-project/locations/us-central1/${MODEL_PATH}:streamGenerateContent?alt=sse`,
    ]);
    expect(seen[0]?.headers.get('authorization')).toBe('Bearer test-access-token-1');
    expect(seen[0]?.headers.get('x-goog-api-key')).toBeNull();
    expect(seen[0]?.headers.get('x-goog-user-project')).toBeNull();
    // The same Gemini request body as the Gemini API's.
    expect(seen[0]?.body).toEqual({ contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] });
  });

  it('the global location goes to aiplatform.googleapis.com (no region prefix); global is the default location', async () => {
    const { fetch, seen } = vertexFetch();
    await createGemini({ backend: 'vertex', project: 'my-project', location: 'global', credentials: account(), fetch }).complete({ prompt: 'Hi' });
    await createGemini({ backend: 'vertex', project: 'my-project', credentials: account(), fetch }).complete({ prompt: 'Hi' });
    expect(seen.map((entry) => entry.url)).toEqual([
      `https://aiplatform.googleapis.com/v1/projects/my-project/locations/global/${MODEL_PATH}:generateContent`,
      `https://aiplatform.googleapis.com/v1/projects/my-project/locations/global/${MODEL_PATH}:generateContent`,
    ]);
  });

  it('GOOGLE_CLOUD_PROJECT and GOOGLE_CLOUD_LOCATION are the defaults; a model id with models/ or a publisher path is accepted', async () => {
    vi.stubEnv('GOOGLE_CLOUD_PROJECT', 'env-project');
    vi.stubEnv('GOOGLE_CLOUD_LOCATION', 'asia-northeast1');
    const { fetch, seen } = vertexFetch();
    const vertex = createGemini({ backend: 'vertex', credentials: account(), fetch });
    await vertex.complete({ prompt: 'Hi', model: 'models/gemini-2.5-pro' });
    await vertex.complete({ prompt: 'Hi', model: 'publishers/google/models/gemini-2.0-flash-001' });
    expect(seen.map((entry) => entry.url)).toEqual([
      'https://asia-northeast1-aiplatform.googleapis.com/v1/projects/env-project/locations/asia-northeast1/publishers/google/models/gemini-2.5-pro:generateContent',
      'https://asia-northeast1-aiplatform.googleapis.com/v1/projects/env-project/locations/asia-northeast1/publishers/google/models/gemini-2.0-flash-001:generateContent',
    ]);
  });

  it("a credential's project and location win over the provider's (as vertexServiceAccountCredential carries them)", async () => {
    const { fetch, seen } = vertexFetch();
    const own = account({ projectId: 'sa-project', baseURL: 'https://europe-west4-aiplatform.googleapis.com/v1/projects/sa-project/locations/europe-west4' });
    await createGemini({ backend: 'vertex', project: 'provider-project', location: 'us-central1', credentials: own, fetch }).complete({ prompt: 'Hi' });
    // Project only: the provider's location.
    const projectOnly = account({ projectId: 'key-project' });
    await createGemini({ backend: 'vertex', project: 'provider-project', location: 'us-central1', credentials: projectOnly, fetch }).complete({ prompt: 'Hi' });
    expect(seen.map((entry) => entry.url)).toEqual([
      `https://europe-west4-aiplatform.googleapis.com/v1/projects/sa-project/locations/europe-west4/${MODEL_PATH}:generateContent`,
      `https://us-central1-aiplatform.googleapis.com/v1/projects/key-project/locations/us-central1/${MODEL_PATH}:generateContent`,
    ]);
  });

  it('baseURL replaces the API root for every credential, keeping each one its project and location', async () => {
    const { fetch, seen } = vertexFetch();
    const own = account({ projectId: 'sa-project', baseURL: 'https://europe-west4-aiplatform.googleapis.com/v1/projects/sa-project/locations/europe-west4' });
    await createGemini({ backend: 'vertex', location: 'us-central1', baseURL: 'http://127.0.0.1:9/v1/', credentials: own, fetch }).complete({ prompt: 'Hi' });
    expect(seen[0]?.url).toBe(`http://127.0.0.1:9/v1/projects/sa-project/locations/europe-west4/${MODEL_PATH}:generateContent`);
  });

  it('healthCheck() calls the free countTokens of the default model; getModels() serves the built-in list (no model list on v1)', async () => {
    const { fetch, seen } = vertexFetch();
    const vertex = createGemini({ backend: 'vertex', project: 'p-1', location: 'us-central1', credentials: account(), fetch, defaultModel: 'gemini-2.5-pro' });
    expect(await vertex.healthCheck()).toMatchObject({ healthy: true });
    expect(seen[0]?.url).toBe(
      'https://us-central1-aiplatform.googleapis.com/v1/projects/p-1/locations/us-central1/publishers/google/models/gemini-2.5-pro:countTokens',
    );
    expect((await vertex.getModels()).length).toBeGreaterThan(0);
    expect(seen).toHaveLength(1);
  });

  it('without any project (provider, env or credential) a call fails with invalid_config naming project, before any request', async () => {
    vi.stubEnv('GOOGLE_CLOUD_PROJECT', '');
    const { fetch, seen } = vertexFetch();
    const error = await createGemini({ backend: 'vertex', credentials: account(), fetch })
      .complete({ prompt: 'Hi' })
      .catch((thrown: unknown) => thrown);
    expect(KitError.is(error) && error.code).toBe('invalid_config');
    expect((error as Error).message).toMatch(/^project: /);
    expect(seen).toHaveLength(0);
  });

  it.each([
    [{ backend: 'vertex', apiKey: 'test-key-1', credentials: account() }, /^apiKey: /],
    [{ backend: 'vertex' }, /^credentials: /],
    [{ backend: 'vertex', credentials: account(), location: 'US Central' }, /^location: /],
    [{ backend: 'vertex', credentials: account(), oauthBackend: 'generative-language' }, /^oauthBackend: /],
    [{ backend: 'vertex', credentials: account(), projectId: 'p' }, /^projectId: /],
    [{ apiKey: 'test-key-1', project: 'p' }, /^project: /],
    [{ apiKey: 'test-key-1', location: 'us-central1' }, /^location: /],
    [{ backend: 'bedrock', credentials: account() }, /backend/],
  ])('bad settings %# → invalid_config naming the field', (settings, field) => {
    let thrown: unknown;
    try {
      createGemini(settings as never);
    } catch (error) {
      thrown = error;
    }
    expect(KitError.is(thrown) && thrown.code).toBe('invalid_config');
    expect((thrown as Error).message).toMatch(field);
    expect((thrown as Error).message).not.toContain('test-key-1');
  });
});

describe("OAuth on the Gemini API (oauthBackend: 'generative-language'): the quota project", () => {
  const STREAM = `https://generativelanguage.googleapis.com/v1beta/models/${GEMINI_DEFAULT_MODEL}:generateContent`;

  it('sends x-goog-user-project: the credential’s projectId, else the projectId setting; none without either', async () => {
    const { fetch, seen } = vertexFetch();
    await createGemini({ oauthBackend: 'generative-language', projectId: 'quota-project', credentials: account(), fetch }).complete({ prompt: 'Hi' });
    await createGemini({ oauthBackend: 'generative-language', projectId: 'quota-project', credentials: account({ projectId: 'own-project' }), fetch }).complete(
      {
        prompt: 'Hi',
      },
    );
    await createGemini({ oauthBackend: 'generative-language', credentials: account(), fetch }).complete({ prompt: 'Hi' });
    expect(seen.map((entry) => [entry.url, entry.headers.get('authorization'), entry.headers.get('x-goog-user-project')])).toEqual([
      [STREAM, 'Bearer test-access-token-1', 'quota-project'],
      [STREAM, 'Bearer test-access-token-1', 'own-project'],
      [STREAM, 'Bearer test-access-token-1', null],
    ]);
  });

  it('API keys never send it (the key names its project)', async () => {
    const { fetch, seen } = vertexFetch();
    await createGemini({ apiKey: 'test-key-1', projectId: 'quota-project', fetch }).complete({ prompt: 'Hi' });
    expect(seen[0]?.headers.get('x-goog-user-project')).toBeNull();
    expect(seen[0]?.headers.get('x-goog-api-key')).toBe('test-key-1');
  });
});

describe('Code Assist: a numeric project', () => {
  it('a project number (setting or GOOGLE_CLOUD_PROJECT) is refused at construction, naming projectId', () => {
    expect(() => createGemini({ credentials: account(), projectId: '123456789012' })).toThrow(/^projectId: "123456789012" is a project number/);
    vi.stubEnv('GOOGLE_CLOUD_PROJECT', '987654321098');
    expect(() => createGemini({ credentials: account() })).toThrow(/^projectId: "987654321098" is a project number/);
    expect(() => createGemini({ credentials: account(), projectId: 'my-project-123456' })).not.toThrow();
  });
});
