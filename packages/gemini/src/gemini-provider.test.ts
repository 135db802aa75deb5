import { isOAuthProvider, KitError, type CredentialLease, type CredentialSource, type KitEvent } from '@kit/core';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { errors, functionCallStream, plainText, SIGNATURE, sseBody } from './__fixtures__/gemini-responses';
import { createGemini } from './gemini-provider';

const API = 'https://generativelanguage.googleapis.com/v1beta';
const STREAM_URL = `${API}/models/gemini-3.5-flash-lite:streamGenerateContent`; // the default model
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  server.resetHandlers();
  vi.unstubAllEnvs();
});
afterAll(() => server.close());

interface Seen {
  url: URL;
  headers: Headers;
  body: Record<string, unknown>;
}
const sse = (events: Record<string, unknown>[]) => new HttpResponse(sseBody(events), { headers: { 'content-type': 'text/event-stream' } });

/** Exactly this URL, query aside (msw would read Code Assist's `:method` as a path parameter). */
const exactly = (url: string) => new RegExp(`^${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\?.*)?$`);

/** Records every POST to `url` and answers with `respond`. */
function onPost(url: string, respond: (seen: Seen, index: number) => Response): Seen[] {
  const seen: Seen[] = [];
  server.use(
    http.post(exactly(url), async ({ request }) => {
      const entry = { url: new URL(request.url), headers: request.headers, body: (await request.json()) as Record<string, unknown> };
      seen.push(entry);
      return respond(entry, seen.length - 1);
    }),
  );
  return seen;
}

/** A pool of keys the way a KeyManager is plugged in (round robin, failures recorded). */
function keyPool(keys: string[]): CredentialSource & { failures: KitError[] } {
  let next = 0;
  const failures: KitError[] = [];
  return {
    failures,
    acquire: async () => {
      const index = next++ % keys.length;
      return { id: `key-${index + 1}`, secret: keys[index] as string, kind: 'api-key' };
    },
    reportSuccess: () => {},
    reportFailure: (_id, error) => failures.push(error),
  };
}

describe('createGemini with API keys', () => {
  it('streams from :streamGenerateContent?alt=sse with the key in x-goog-api-key only, never in the URL', async () => {
    const seen = onPost(STREAM_URL, () => sse(plainText));
    const gemini = createGemini({ apiKey: 'test-key-1' });
    const stream = await gemini.generateChatCompletion({ system: 'Be terse.', prompt: 'Hi', temperature: 0.3 });
    const events = [];
    for await (const event of stream) events.push(event);
    expect(
      events
        .filter((event) => event.type === 'text-delta')
        .map((event) => (event as { text: string }).text)
        .join(''),
    ).toBe('Hello, world!');
    const [request] = seen;
    expect(request?.url.toString()).toBe(`${STREAM_URL}?alt=sse`);
    expect(request?.url.search).toBe('?alt=sse');
    expect(request?.headers.get('x-goog-api-key')).toBe('test-key-1');
    expect(request?.headers.get('authorization')).toBeNull();
    expect(request?.headers.get('accept')).toBe('text/event-stream');
    expect(request?.body).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
      systemInstruction: { parts: [{ text: 'Be terse.' }] },
      generationConfig: { temperature: 0.3 },
    });
  });

  it('complete() uses :generateContent and assembles the answer', async () => {
    const seen = onPost(`${API}/models/gemini-2.5-pro:generateContent`, () =>
      HttpResponse.json({
        candidates: [{ content: { role: 'model', parts: [{ text: 'Seven.' }] }, finishReason: 'STOP' }],
        usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 2, totalTokenCount: 7 },
        modelVersion: 'gemini-2.5-pro',
        responseId: 'r-1',
      }),
    );
    const completion = await createGemini({ apiKey: 'test-key-1' }).complete({ model: 'gemini-2.5-pro', prompt: 'A prime?' });
    expect(completion).toMatchObject({
      id: 'r-1',
      model: 'gemini-2.5-pro',
      text: 'Seven.',
      finishReason: 'stop',
      usage: { inputTokens: 5, outputTokens: 2, totalTokens: 7 },
    });
    expect(seen[0]?.url.search).toBe('');
  });

  it('model resource names: models/… and tunedModels/… are used as they are', async () => {
    const seenModels = onPost(`${API}/models/gemini-2.0-flash:generateContent`, () => HttpResponse.json({ candidates: [{ finishReason: 'STOP' }] }));
    const seenTuned = onPost(`${API}/tunedModels/my-model-1:generateContent`, () => HttpResponse.json({ candidates: [{ finishReason: 'STOP' }] }));
    const gemini = createGemini({ apiKey: 'test-key-1' });
    await gemini.complete({ model: 'models/gemini-2.0-flash', prompt: 'x' });
    await gemini.complete({ model: 'tunedModels/my-model-1', prompt: 'x' });
    expect([seenModels.length, seenTuned.length]).toEqual([1, 1]);
  });

  it('a tool call in a stream round-trips: the next request carries functionCall (with its signature) and a named functionResponse', async () => {
    const seen = onPost(STREAM_URL, (_seen, index) =>
      index === 0 ? sse(functionCallStream) : sse([{ candidates: [{ content: { parts: [{ text: 'It is 18 °C.' }] }, finishReason: 'STOP' }] }]),
    );
    const gemini = createGemini({ apiKey: 'test-key-1' });
    const tools = [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }];
    const first = await (await gemini.generateChatCompletion({ prompt: 'Weather in Paris?', tools })).final();
    expect(first.finishReason).toBe('tool-calls');
    const [call] = first.toolCalls;
    expect(call).toMatchObject({ name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' });
    const second = await (
      await gemini.generateChatCompletion({
        tools,
        messages: [{ role: 'user', content: 'Weather in Paris?' }, first.message, { role: 'tool', toolCallId: call?.id as string, content: '{"celsius":18}' }],
      })
    ).final();
    expect(second.text).toBe('It is 18 °C.');
    expect(seen[1]?.body.contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather in Paris?' }] },
      {
        role: 'model',
        parts: [{ text: 'Let me check.' }, { functionCall: { name: 'get_weather', args: { city: 'Paris', unit: 'celsius' } }, thoughtSignature: SIGNATURE }],
      },
      { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { celsius: 18 } } }] },
    ]);
  });

  it('reads GEMINI_API_KEY at request time; says which variable to set when it is missing', async () => {
    const seen = onPost(STREAM_URL, () => sse(plainText));
    const gemini = createGemini();
    vi.stubEnv('GEMINI_API_KEY', '');
    await expect(gemini.complete({ prompt: 'Hi', stream: true })).rejects.toMatchObject({
      code: 'invalid_config',
      message: expect.stringContaining('GEMINI_API_KEY'),
    });
    vi.stubEnv('GEMINI_API_KEY', 'test-key-env');
    await gemini.complete({ prompt: 'Hi', stream: true });
    expect(seen[0]?.headers.get('x-goog-api-key')).toBe('test-key-env');
  });

  it('a key pool: a 429 with RetryInfo fails over to the next key at once; the failure carries the wait; no key in any error or event', async () => {
    const seen = onPost(STREAM_URL, ({ headers }) =>
      headers.get('x-goog-api-key') === 'test-key-1' ? HttpResponse.json(errors.perMinuteQuota, { status: 429 }) : sse(plainText),
    );
    const pool = keyPool(['test-key-1', 'test-key-2']);
    const events: KitEvent[] = [];
    const gemini = createGemini({ credentials: pool, onEvent: (event) => events.push(event) });
    const completion = await (await gemini.generateChatCompletion({ prompt: 'Hi' })).final();
    expect(completion).toMatchObject({ text: 'Hello, world!', credentialId: 'key-2' });
    expect(seen.map((request) => request.headers.get('x-goog-api-key'))).toEqual(['test-key-1', 'test-key-2']);
    expect(pool.failures).toMatchObject([{ code: 'rate_limit', retryAfterMs: 43_000, credentialId: 'key-1' }]);
    expect(JSON.stringify([events, pool.failures])).not.toContain('test-key-');
  });

  it('an invalid key (400 API_KEY_INVALID) is an authentication error, masked', async () => {
    onPost(STREAM_URL, () => HttpResponse.json(errors.apiKeyInvalid, { status: 400 }));
    const error = await createGemini({ apiKey: 'test-key-1', maxRetries: 0 })
      .generateChatCompletion({ prompt: 'Hi' })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(KitError);
    expect(error).toMatchObject({ code: 'authentication', status: 400 });
    expect(JSON.stringify(error) + String((error as Error).stack)).not.toContain('test-key-1');
  });

  it('getModels lists generateContent models from every page of GET /models?pageSize=1000; healthCheck uses the same call', async () => {
    const seen: Request[] = [];
    server.use(
      http.get(`${API}/models`, ({ request }) => {
        seen.push(request);
        // The second page (asked with pageToken) holds one more model and no further token.
        if (new URL(request.url).searchParams.get('pageToken') === 'page-2') {
          return HttpResponse.json({ models: [{ name: 'models/gemini-3.5-flash-lite', supportedGenerationMethods: ['generateContent'] }] });
        }
        return HttpResponse.json({
          models: [
            {
              name: 'models/gemini-2.5-flash',
              displayName: 'Gemini 2.5 Flash',
              inputTokenLimit: 1048576,
              outputTokenLimit: 65536,
              supportedGenerationMethods: ['generateContent', 'countTokens'],
              thinking: true,
            },
            { name: 'models/text-embedding-004', supportedGenerationMethods: ['embedContent'] },
            { name: 'models/gemma-3-27b-it', supportedGenerationMethods: ['generateContent'] },
          ],
          nextPageToken: 'page-2',
        });
      }),
    );
    const gemini = createGemini({ apiKey: 'test-key-1' });
    const models = await gemini.getModels();
    expect(models.map((model) => model.id)).toEqual(['gemini-2.5-flash', 'gemma-3-27b-it', 'gemini-3.5-flash-lite']);
    expect(models[0]).toMatchObject({
      name: 'Gemini 2.5 Flash',
      contextWindow: 1048576,
      maxOutputTokens: 65536,
      capabilities: { tools: true, reasoning: true },
    });
    expect(models[1]?.capabilities.tools).toBe(false);
    expect(seen.map((request) => new URL(request.url).search)).toEqual(['?pageSize=1000', '?pageSize=1000&pageToken=page-2']);
    expect(seen[0]?.headers.get('x-goog-api-key')).toBe('test-key-1');
    expect(await gemini.healthCheck()).toMatchObject({ healthy: true });
  });

  it('getModels falls back to the built-in list when /models fails; healthCheck reports the failure', async () => {
    server.use(http.get(`${API}/models`, () => HttpResponse.json(errors.apiKeyInvalid, { status: 400 })));
    const gemini = createGemini({ apiKey: 'test-key-1' });
    expect((await gemini.getModels()).map((model) => model.id)).toContain('gemini-3.5-flash-lite');
    expect(await gemini.healthCheck()).toMatchObject({ healthy: false, statusCode: 400, message: expect.stringContaining('API key not valid') });
  });

  it('settings are validated strictly', () => {
    expect(() => createGemini({ apiKey: 'test-key-1', projectID: 'x' } as never)).toThrow(
      expect.objectContaining({ code: 'invalid_config', message: expect.stringContaining('projectID') }),
    );
    expect(() => createGemini({ oauthBackend: 'vertex' } as never)).toThrow(
      expect.objectContaining({ code: 'invalid_config', message: expect.stringContaining('oauthBackend') }),
    );
    expect(() => createGemini({ apiKey: 'test-key-1', oauthBackend: 'code-assist' })).toThrow(
      expect.objectContaining({ code: 'invalid_config', message: expect.stringContaining('oauthBackend') }),
    );
    expect(() => createGemini({ apiKey: 'test-key-1', onboardingPollIntervalMs: 2 ** 31 })).toThrow(
      'invalid gemini settings: onboardingPollIntervalMs: must be at most 2147483647 (about 24.8 days: timers cannot wait longer)',
    );
    expect(() => createGemini({ oauthBackend: 'vertex' } as never)).toThrow(
      'invalid gemini settings: oauthBackend: must be one of "code-assist", "generative-language"',
    );
  });

  it('providerOptions.gemini is checked before any request', async () => {
    const seen = onPost(STREAM_URL, () => sse(plainText));
    await expect(createGemini({ apiKey: 'test-key-1' }).complete({ prompt: 'x', providerOptions: { gemini: { topk: 3 } } })).rejects.toMatchObject({
      code: 'invalid_request',
      message: expect.stringContaining('providerOptions.gemini.topk'),
    });
    expect(seen).toHaveLength(0);
  });
});

/** A minimal OAuth source (what an OAuthManager looks like to the engine): accounts, refresh on 401. */
function oauthAccounts(accounts: { id: string; token: string; projectId?: string }[]) {
  let next = 0;
  const refreshed: string[] = [];
  const failures: [string, string][] = [];
  const source: CredentialSource = {
    acquire: async ({ id } = {}) => {
      const account = (id ? accounts.find((candidate) => candidate.id === id) : undefined) ?? (accounts[next++ % accounts.length] as (typeof accounts)[number]);
      const lease: CredentialLease = { id: account.id, secret: account.token, kind: 'oauth' };
      if (account.projectId) lease.projectId = account.projectId;
      return lease;
    },
    reportSuccess: () => {},
    reportFailure: (id, error) => failures.push([id, error.code]),
    onUnauthorized: async (id) => {
      const account = accounts.find((candidate) => candidate.id === id);
      if (!account) return false;
      account.token = `${account.token}-refreshed`;
      refreshed.push(id);
      return true;
    },
  };
  return { source, refreshed, failures };
}

describe('createGemini with OAuth accounts', () => {
  it("oauthBackend 'generative-language': the standard API with a Bearer token; an OAuth provider", async () => {
    const seen = onPost(STREAM_URL, () => sse(plainText));
    const { source } = oauthAccounts([{ id: 'alice', token: 'test-access-token-1' }]);
    const gemini = createGemini({ credentials: source, oauthBackend: 'generative-language' });
    expect(isOAuthProvider(gemini)).toBe(true);
    expect(gemini.credentials).toBe(source);
    await (await gemini.generateChatCompletion({ prompt: 'Hi' })).final();
    expect(seen[0]?.headers.get('authorization')).toBe('Bearer test-access-token-1');
    expect(seen[0]?.headers.get('x-goog-api-key')).toBeNull();
  });

  it('Code Assist (the default for OAuth): project discovered once per account, { model, project, request } body, answers unwrapped', async () => {
    const CA = 'https://cloudcode-pa.googleapis.com/v1internal';
    const loads: Seen[] = onPost(`${CA}:loadCodeAssist`, ({ headers }) =>
      HttpResponse.json({
        currentTier: { id: 'free-tier', name: 'Gemini Code Assist for individuals' },
        cloudaicompanionProject: headers.get('authorization') === 'Bearer test-access-token-a' ? 'managed-project-a' : 'managed-project-b',
      }),
    );
    const generations = onPost(`${CA}:streamGenerateContent`, () => sse(plainText.map((event) => ({ response: event, traceId: 't-1' }))));
    const { source } = oauthAccounts([
      { id: 'alice', token: 'test-access-token-a' },
      { id: 'bob', token: 'test-access-token-b' },
    ]);
    const gemini = createGemini({ credentials: source });
    expect(isOAuthProvider(gemini)).toBe(true);
    const texts = await Promise.all(
      Array.from({ length: 6 }, async () => (await gemini.generateChatCompletion({ prompt: 'Hi', model: 'gemini-2.5-pro' })).text()),
    );
    expect(texts).toEqual(Array(6).fill('Hello, world!'));
    // Six calls over two accounts: one discovery each, even though the calls ran concurrently.
    expect(loads.map((load) => load.headers.get('authorization')).sort()).toEqual(['Bearer test-access-token-a', 'Bearer test-access-token-b']);
    expect(loads[0]?.body).toEqual({ metadata: { ideType: 'IDE_UNSPECIFIED', platform: 'PLATFORM_UNSPECIFIED', pluginType: 'GEMINI' } });
    expect(generations).toHaveLength(6);
    expect(generations[0]?.url.toString()).toBe(`${CA}:streamGenerateContent?alt=sse`);
    const projects = generations.map((generation) => [generation.headers.get('authorization'), generation.body.project]);
    for (const [authorization, project] of projects)
      expect(project).toBe(authorization === 'Bearer test-access-token-a' ? 'managed-project-a' : 'managed-project-b');
    expect(generations[0]?.body).toEqual({
      model: 'gemini-2.5-pro',
      project: expect.any(String),
      request: { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] },
    });
    // No live model list on Code Assist: the built-in one, without a request.
    expect((await gemini.getModels()).map((model) => model.id)).toContain('gemini-3.5-flash');
    // The health check is a real authenticated call: loadCodeAssist.
    expect(await gemini.healthCheck()).toMatchObject({ healthy: true });
    expect(loads).toHaveLength(3);
  });

  it('Code Assist: a lease that carries its projectId is used without discovery; non-streaming answers are unwrapped', async () => {
    const CA = 'https://cloudcode-pa.googleapis.com/v1internal';
    const loads = onPost(`${CA}:loadCodeAssist`, () => HttpResponse.json({}));
    const generations = onPost(`${CA}:generateContent`, () =>
      HttpResponse.json({ response: { candidates: [{ content: { parts: [{ text: 'ok' }] }, finishReason: 'STOP' }] }, traceId: 't' }),
    );
    const { source } = oauthAccounts([{ id: 'alice', token: 'test-access-token-a', projectId: 'my-project' }]);
    expect(await createGemini({ credentials: source }).complete({ prompt: 'Hi' })).toMatchObject({ text: 'ok', finishReason: 'stop' });
    expect(loads).toHaveLength(0);
    expect(generations[0]?.body.project).toBe('my-project');
  });

  it('Code Assist: a 401 during discovery refreshes the account once and retries; a 403 moves to the next account', async () => {
    const CA = 'https://cloudcode-pa.googleapis.com/v1internal';
    onPost(`${CA}:loadCodeAssist`, ({ headers }) => {
      const authorization = headers.get('authorization');
      if (authorization === 'Bearer test-access-token-a') return HttpResponse.json(errors.unauthenticated, { status: 401 });
      if (authorization === 'Bearer test-access-token-b') return HttpResponse.json(errors.permissionDenied, { status: 403 });
      return HttpResponse.json({ currentTier: { id: 'standard-tier' }, cloudaicompanionProject: 'project-a' });
    });
    const generations = onPost(`${CA}:streamGenerateContent`, () => sse(plainText));
    const accounts = oauthAccounts([
      { id: 'bob', token: 'test-access-token-b' },
      { id: 'alice', token: 'test-access-token-a' },
    ]);
    const completion = await (await createGemini({ credentials: accounts.source }).generateChatCompletion({ prompt: 'Hi' })).final();
    expect(completion.credentialId).toBe('alice');
    expect(accounts.failures).toEqual([['bob', 'permission']]);
    expect(accounts.refreshed).toEqual(['alice']);
    expect(generations[0]?.headers.get('authorization')).toBe('Bearer test-access-token-a-refreshed');
    expect(generations[0]?.body.project).toBe('project-a');
  });

  it('Code Assist with API keys is a configuration error, said before any request', async () => {
    const gemini = createGemini({ credentials: keyPool(['test-key-1']), oauthBackend: 'code-assist' });
    await expect(gemini.complete({ prompt: 'Hi' })).rejects.toMatchObject({ code: 'invalid_config', message: expect.stringContaining('OAuth') });
  });
});
