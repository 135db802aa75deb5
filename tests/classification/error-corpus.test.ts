// Every entry of core's error corpus through the refiner its provider package really installs
// (`ProviderDefinition.refineError`), then core's `createUpstreamError`: the verdict a caller gets.
import { defineAnthropicProvider } from '@kit/anthropic';
import { defineCerebrasProvider } from '@kit/cerebras';
import { createUpstreamError, type ErrorRefiner } from '@kit/core/provider-utils';
import { defineGeminiProvider } from '@kit/gemini';
import { defineOpenAIProvider } from '@kit/openai';
import { defineOpenAICompatibleProvider, openAICompatiblePresets } from '@kit/openai-compatible';
import { defineOpenRouterProvider } from '@kit/openrouter';
import { defineQwenProvider } from '@kit/qwen';
import { describe, expect, it } from 'vitest';
import { credentialTreatment, errorCorpus, type CorpusProvider, type ExpectedVerdict } from '../../packages/core/src/__fixtures__/error-corpus';

// The presets as `createOpenAICompatible({ preset })` defines them: no refiner of their own, the dialect's.
const preset = (name: keyof typeof openAICompatiblePresets) => {
  const { baseURL, defaultModel } = openAICompatiblePresets[name];
  return defineOpenAICompatibleProvider({ type: name, defaultBaseURL: baseURL, defaultModel });
};
// Azure and Mistral users reach them through `createOpenAICompatible` with a base URL.
const genericOpenAICompatible = defineOpenAICompatibleProvider({
  type: 'openai-compatible',
  defaultBaseURL: 'https://example.invalid/v1',
  defaultModel: 'model',
});

const refiners: Record<CorpusProvider, ErrorRefiner | undefined> = {
  openai: defineOpenAIProvider().refineError,
  azure: genericOpenAICompatible.refineError,
  mistral: genericOpenAICompatible.refineError,
  openrouter: defineOpenRouterProvider().refineError,
  groq: preset('groq').refineError,
  deepseek: preset('deepseek').refineError,
  xai: preset('xai').refineError,
  together: preset('together').refineError,
  fireworks: preset('fireworks').refineError,
  anthropic: defineAnthropicProvider().refineError,
  gemini: defineGeminiProvider().refineError,
  vertex: defineGeminiProvider().refineError,
  qwen: defineQwenProvider().refineError,
  cerebras: defineCerebrasProvider().refineError,
};

describe('the error corpus through each provider package', () => {
  it('has a refiner installed for every provider family', () => {
    for (const [provider, refine] of Object.entries(refiners)) expect(refine, provider).toBeTypeOf('function');
  });

  for (const entry of errorCorpus) {
    it(`${entry.id} → ${entry.expected.code}, ${entry.expected.credential}`, () => {
      const error = createUpstreamError(
        { status: entry.status, body: entry.body, headers: new Headers(entry.headers) },
        { provider: entry.provider, credentialId: 'key-1', secrets: [entry.echoedSecret], refine: refiners[entry.provider] },
      );
      const verdict: ExpectedVerdict = { code: error.code, retryable: error.retryable, credential: credentialTreatment(error) };
      if (error.retryAfterMs !== undefined) verdict.retryAfterMs = error.retryAfterMs;
      expect(verdict).toEqual(entry.expected);
      if (entry.echoedSecret) expect(JSON.stringify(error) + error.message).not.toContain(entry.echoedSecret);
    });
  }
});
