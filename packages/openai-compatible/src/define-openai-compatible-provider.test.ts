import { createUpstreamError, sseFraming } from '@kit/core/provider-utils';
import { describe, expect, it } from 'vitest';
import { context, textStream, runMapper } from './__fixtures__/openai-streams';
import { defineOpenAICompatibleProvider } from './define-openai-compatible-provider';

const definition = defineOpenAICompatibleProvider({ type: 'openai-compatible', name: 'local', defaultBaseURL: 'http://localhost:9000/v1', defaultModel: 'm1' });

describe('defineOpenAICompatibleProvider', () => {
  it('describes the OpenAI dialect', () => {
    expect(definition).toMatchObject({ type: 'openai-compatible', defaultBaseURL: 'http://localhost:9000/v1', defaultModel: 'm1' });
    expect(definition.chat.framing).toBe(sseFraming);
    expect(definition.authHeaders({ id: 'key-1', secret: 'test-key-1', kind: 'api-key' })).toEqual({ authorization: 'Bearer test-key-1' });
    expect(definition.models?.request).toEqual({ path: '/models', method: 'GET' });
    expect(definition.fallbackModels).toEqual([
      { id: 'm1', provider: 'local', capabilities: { streaming: true, tools: true, vision: false, reasoning: false, json: true } },
    ]);
    expect(definition.capabilities).toEqual({ streaming: true, tools: true, vision: false, documents: false, audio: false, reasoning: false, json: true });
    expect(definition.apiKeyEnvVar).toBeUndefined();
    expect(definition.headers).toBeUndefined();
  });

  it('builds POST /chat/completions and maps its stream', () => {
    const request = definition.chat.buildRequest({ model: 'm1', messages: [{ role: 'user', content: 'Hi' }], stream: true }, context);
    expect(request).toEqual({
      path: '/chat/completions',
      body: { model: 'm1', messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } },
    });
    expect(runMapper(definition.chat.createStreamMapper(context), textStream).at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });
  });

  it('parses x-ratelimit-* headers, OpenAI durations included', () => {
    const now = 1_000_000;
    const headers = new Headers({
      'x-ratelimit-limit-requests': '10000',
      'x-ratelimit-remaining-requests': '9999',
      'x-ratelimit-reset-requests': '6m0s',
      'x-ratelimit-limit-tokens': '200000',
      'x-ratelimit-remaining-tokens': '199000',
      'x-ratelimit-reset-tokens': '20ms',
    });
    expect(definition.rateLimits?.(headers, now)).toEqual({
      requestsLimit: 10000,
      requestsRemaining: 9999,
      requestsResetAt: now + 360_000,
      tokensLimit: 200000,
      tokensRemaining: 199000,
      tokensResetAt: now + 20,
    });
    expect(definition.rateLimits?.(new Headers(), now)).toBeUndefined();
  });

  it('uses custom rate-limit header names, headers, and a combined error refiner', () => {
    const custom = defineOpenAICompatibleProvider({
      type: 'x',
      defaultBaseURL: 'https://x.test/v1',
      defaultModel: 'm',
      apiKeyEnvVar: 'X_API_KEY',
      apiKeyOptional: true,
      headers: { 'x-extra': '1' },
      rateLimitHeaders: { requestsRemaining: 'x-left' },
      refineError: (response) => (response.status === 418 ? { code: 'content_filter' } : undefined),
    });
    expect(custom).toMatchObject({ apiKeyEnvVar: 'X_API_KEY', apiKeyOptional: true, headers: { 'x-extra': '1' } });
    expect(custom.rateLimits?.(new Headers({ 'x-left': '3' }), 0)).toEqual({ requestsRemaining: 3 });
    // The provider's code, the dialect's message (a router's upstream answer in `metadata.raw`).
    const body = { error: { message: 'Provider returned error', metadata: { raw: 'teapot upstream' } } };
    const teapot = createUpstreamError({ status: 418, body, headers: new Headers() }, { provider: 'x', refine: custom.refineError });
    expect(teapot).toMatchObject({ code: 'content_filter', message: 'x: Provider returned error: teapot upstream (HTTP 418)' });
  });

  it('validates its providerOptions', () => {
    expect(() => definition.validateProviderOptions?.({ model: 'other' })).toThrowError(/providerOptions\.openai-compatible\.model/);
    expect(() => definition.validateProviderOptions?.({ top_k: 5 })).not.toThrow();
  });
});
