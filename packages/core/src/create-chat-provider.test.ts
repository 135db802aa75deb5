import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createChatProvider, MODELS_CACHE_TTL_MS } from './create-chat-provider';
import type { KitEvent } from './kit-event';
import { KitError } from './kit-error';
import {
  isAuthenticatedProvider,
  isCapabilityProvider,
  isChatProvider,
  isConfigurableProvider,
  isHealthCheckProvider,
  isModelProvider,
  isOAuthProvider,
  isToolCallingProvider,
} from './provider';
import type { ProviderDefinition } from './provider-definition';
import { sseFraming } from './framing';

const baseURL = 'https://api.example.test/v1';
const secret = 'test-key-create-chat-provider-1';

/** A tiny line-per-event dialect: enough to drive core without any real provider. */
const definition: ProviderDefinition = {
  specificationVersion: 'v1',
  type: 'example',
  defaultBaseURL: baseURL,
  defaultModel: 'example-1',
  apiKeyEnvVar: 'EXAMPLE_API_KEY',
  capabilities: { streaming: true, tools: true, vision: false, documents: false, audio: false, reasoning: false, json: true },
  fallbackModels: [
    { id: 'example-fallback', provider: 'example', capabilities: { streaming: true, tools: true, vision: false, reasoning: false, json: true } },
  ],
  authHeaders: (lease) => ({ authorization: `Bearer ${lease.secret}` }),
  chat: {
    framing: sseFraming,
    buildRequest: (options) => ({ path: '/chat', body: { model: options.model, prompt: options.messages.at(-1)?.content } }),
    createStreamMapper: () => ({
      push: (chunk, emit) => {
        if (chunk.data !== '[END]') emit({ type: 'text-delta', text: chunk.data });
      },
      end: (emit) => emit({ type: 'finish', finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } }),
    }),
    parseResponse: (body, _context, emit) => {
      emit({ type: 'text-delta', text: (body as { text: string }).text });
      emit({ type: 'finish', finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } });
    },
  },
  models: {
    request: { path: '/models' },
    parse: (body, provider) =>
      (body as { ids: string[] }).ids.map((id) => ({
        id,
        provider,
        capabilities: { streaming: true, tools: true, vision: false, reasoning: false, json: true },
      })),
  },
};

let modelListCalls = 0;
const server = setupServer(
  http.get(`${baseURL}/models`, ({ request }) => {
    modelListCalls += 1;
    if (request.headers.get('authorization') !== `Bearer ${secret}`) {
      return HttpResponse.json({ error: { message: 'bad key', code: 'invalid_api_key' } }, { status: 401 });
    }
    return HttpResponse.json({ ids: ['example-1', 'example-2'] });
  }),
  http.post(`${baseURL}/chat`, async ({ request }) => {
    const body = (await request.json()) as { prompt: string };
    return HttpResponse.json({ text: `echo: ${body.prompt}` });
  }),
);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  server.resetHandlers();
  vi.unstubAllEnvs();
  vi.useRealTimers();
  modelListCalls = 0;
});
afterAll(() => server.close());

describe('createChatProvider', () => {
  it('implements every segregated interface, as the type guards see it', () => {
    const provider = createChatProvider(definition, { apiKey: secret });
    for (const guard of [
      isModelProvider,
      isChatProvider,
      isCapabilityProvider,
      isToolCallingProvider,
      isHealthCheckProvider,
      isConfigurableProvider,
      isAuthenticatedProvider,
    ]) {
      expect(guard(provider)).toBe(true);
    }
    expect(isOAuthProvider(provider)).toBe(false);
    expect(isChatProvider({ name: 'x', type: 'y' })).toBe(false);
  });

  it('rejects bad common settings at construction, naming each field', () => {
    const attempt = (settings: unknown) => () => createChatProvider(definition, settings as never);
    expect(attempt({ timeoutMs: -5 })).toThrow(/timeoutMs: must be greater than 0/);
    expect(attempt({ maxRetries: 99 })).toThrow(/maxRetries: must be at most 10/);
    expect(attempt({ baseURL: 'not a url' })).toThrow(/baseURL: must be an http\(s\) URL/);
    expect(attempt({ credentials: { acquire: 1 } })).toThrow(/credentials: must be a CredentialSource/);
    expect(attempt({ headers: { a: 1 } })).toThrow(/headers\.a: must be a string/);
    expect(attempt({ apiKey: '' })).toThrow(KitError);
  });

  it('reads the key from the environment at request time and names the variable when it is missing', async () => {
    const provider = createChatProvider(definition);
    await expect(provider.complete({ prompt: 'hi' })).rejects.toThrow(/set EXAMPLE_API_KEY/);
    vi.stubEnv('EXAMPLE_API_KEY', secret);
    expect((await provider.complete({ prompt: 'hi' })).text).toBe('echo: hi');
  });

  it('rejects bad call options, never throws them synchronously (complete() hands out the engine promise as it is)', async () => {
    const provider = createChatProvider(definition, { apiKey: secret });
    let pending: Promise<unknown> | undefined;
    expect(() => {
      pending = provider.complete({ prompt: 'hi', temperature: 7 });
    }).not.toThrow();
    await expect(pending).rejects.toThrow(/temperature: must be at most 2/);
  });

  it('parses rate-limit headers only when somebody consumes them (an onEvent listener, a metrics sink, a pool)', async () => {
    const rateLimits = vi.fn(() => ({ requestsRemaining: 3 }));
    const limited: ProviderDefinition = { ...definition, rateLimits };
    await createChatProvider(limited, { apiKey: secret }).complete({ prompt: 'hi' });
    expect(rateLimits).not.toHaveBeenCalled();

    const events: KitEvent[] = [];
    await createChatProvider(limited, { apiKey: secret, onEvent: (event) => events.push(event) }).complete({ prompt: 'hi' });
    expect(events.find((event) => event.type === 'rate-limit')).toMatchObject({ rateLimit: { requestsRemaining: 3 } });

    const reportRateLimit = vi.fn();
    const credentials = {
      acquire: async () => ({ id: 'pooled', secret, kind: 'api-key' as const }),
      reportSuccess: () => {},
      reportFailure: () => {},
      reportRateLimit,
    };
    await createChatProvider(limited, { credentials }).complete({ prompt: 'hi' });
    expect(reportRateLimit).toHaveBeenCalledWith('pooled', { requestsRemaining: 3 });
    expect(rateLimits).toHaveBeenCalledTimes(2);
  });

  it('caches the live model list for its TTL and refreshes on request', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const provider = createChatProvider(definition, { apiKey: secret });
    expect((await provider.getModels()).map((model) => model.id)).toEqual(['example-1', 'example-2']);
    await provider.getModels();
    expect(modelListCalls).toBe(1);
    await provider.getModels({ refresh: true });
    expect(modelListCalls).toBe(2);
    vi.setSystemTime(Date.now() + MODELS_CACHE_TTL_MS + 1);
    await provider.getModels();
    expect(modelListCalls).toBe(3);
  });

  it('serves the fallback list when the live list fails', async () => {
    const provider = createChatProvider(definition, { apiKey: 'test-key-wrong-123' });
    expect((await provider.getModels()).map((model) => model.id)).toEqual(['example-fallback']);
  });

  it('health-checks with a real authenticated call and records the result in the metrics', async () => {
    const healthy = createChatProvider(definition, { apiKey: secret });
    const good = await healthy.healthCheck();
    expect(good).toMatchObject({ healthy: true });
    expect(good.latencyMs).toBeGreaterThanOrEqual(0);
    expect(healthy.getMetrics().health?.healthy).toBe(true);

    const revoked = createChatProvider(definition, { apiKey: 'test-key-wrong-456' });
    const bad = await revoked.healthCheck();
    expect(bad).toMatchObject({ healthy: false, statusCode: 401 });
    expect(bad.message).toContain('bad key');
    expect(modelListCalls).toBe(2);
  });

  it('describes its configuration without any secret', () => {
    const provider = createChatProvider(definition, { apiKey: secret, headers: { 'x-custom-auth': secret }, name: 'mine' });
    const config = provider.getConfig();
    expect(config).toMatchObject({ name: 'mine', type: 'example', baseURL, defaultModel: 'example-1', headers: ['x-custom-auth'] });
    expect(JSON.stringify(config)).not.toContain(secret);
  });

  it('emits events to onEvent and to a metrics sink; a throwing listener changes nothing', async () => {
    const seen: KitEvent[] = [];
    const sink: KitEvent[] = [];
    const provider = createChatProvider(definition, {
      apiKey: secret,
      onEvent: (event) => {
        seen.push(event);
        throw new Error('listener bug');
      },
      metrics: { record: (event) => sink.push(event) },
    });
    expect((await provider.complete({ prompt: 'hi' })).text).toBe('echo: hi');
    expect(seen.map((event) => event.type)).toEqual(['request-start', 'request-success']);
    expect(sink).toEqual(seen);
    expect(seen[1]).toMatchObject({ provider: 'example', model: 'example-1', credentialId: 'default', streaming: false, finishReason: 'stop' });
  });

  it('hands request builders every field of the lease but its secret, on every attempt (20 concurrent calls)', async () => {
    const seen: unknown[] = [];
    let sequence = 0;
    const credentials = {
      acquire: async () => ({ id: 'account-1', secret, kind: 'oauth' as const, baseURL, projectId: 'project-1', sequence: ++sequence }),
      reportSuccess: () => {},
      reportFailure: () => {},
    };
    const provider = createChatProvider(
      {
        ...definition,
        chat: {
          ...definition.chat,
          buildRequest: (options, context) => {
            seen.push(context.credential);
            return { path: '/chat', body: { model: options.model, prompt: 'hi' } };
          },
        },
      },
      { credentials },
    );
    await Promise.all(Array.from({ length: 20 }, () => provider.complete({ prompt: 'hi' })));
    expect(seen).toHaveLength(20);
    for (const credential of seen) {
      expect(Object.keys(credential as object).sort()).toEqual(['baseURL', 'id', 'kind', 'projectId', 'sequence']);
      expect(JSON.stringify(credential)).not.toContain(secret);
    }
    expect(new Set(seen.map((credential) => (credential as { sequence: number }).sequence)).size).toBe(20);
  });

  it('complete() is non-streaming by default and the stream option still works', async () => {
    server.use(
      http.post(`${baseURL}/chat`, ({ request }) =>
        request.headers.get('accept') === 'text/event-stream'
          ? new HttpResponse('data: streamed\n\ndata: [END]\n\n', { headers: { 'content-type': 'text/event-stream' } })
          : HttpResponse.json({ text: 'json' }),
      ),
    );
    const provider = createChatProvider(definition, { apiKey: secret });
    expect((await provider.complete({ prompt: 'hi' })).text).toBe('json');
    expect((await provider.complete({ prompt: 'hi', stream: true })).text).toBe('streamed');
    expect(await (await provider.generateChatCompletion({ prompt: 'hi' })).text()).toBe('streamed');
  });
});
