import { createAnthropic } from '@kit/anthropic';
import { createAzure } from '@kit/azure';
import { createCerebras } from '@kit/cerebras';
import type { CredentialSource } from '@kit/core';
import { createGemini } from '@kit/gemini';
import { createOllama } from '@kit/ollama';
import { createOpenAI } from '@kit/openai';
import { createOpenAICompatible } from '@kit/openai-compatible';
import { createOpenRouter } from '@kit/openrouter';
import { createQwen } from '@kit/qwen';
import type { FidelityTarget } from './fidelity-suite';

// Every provider under test, built around the capturing `fetch` only: no retries (one request per case), an empty
// environment (no variable on the test machine changes a request), a `test-key-…` key. The models are pinned (the
// providers' defaults on the day of review), so that a snapshot changes when the mapping does, not when a default moves.

/** Settings every target shares. */
const isolated = { maxRetries: 0, env: {} };

export const openAITarget: FidelityTarget = {
  name: 'openai',
  dialect: 'openai',
  apiKey: 'test-key-fidelity-openai',
  model: 'gpt-6-luna',
  create: (fetch) => createOpenAI({ apiKey: 'test-key-fidelity-openai', fetch, ...isolated }),
  cachingOptions: { openai: { prompt_cache_key: 'fidelity-handbook' } },
};

/** An OpenAI-compatible preset under its own key. */
const presetTarget = (preset: 'deepseek' | 'xai' | 'groq', model: string): FidelityTarget => ({
  name: preset,
  dialect: 'openai',
  apiKey: `test-key-fidelity-${preset}`,
  model,
  create: (fetch) => createOpenAICompatible({ preset, apiKey: `test-key-fidelity-${preset}`, fetch, ...isolated }),
});

export const deepSeekTarget = presetTarget('deepseek', 'deepseek-v4-flash');
export const xAITarget = presetTarget('xai', 'grok-4.3');
export const groqTarget = presetTarget('groq', 'openai/gpt-oss-120b');

export const anthropicTarget: FidelityTarget = {
  name: 'anthropic',
  dialect: 'anthropic',
  apiKey: 'test-key-fidelity-anthropic',
  model: 'claude-sonnet-5-5',
  create: (fetch) => createAnthropic({ apiKey: 'test-key-fidelity-anthropic', fetch, ...isolated }),
  // A breakpoint on the system prompt (message 0).
  cachingOptions: { anthropic: { cacheControl: [{ message: 0 }] } },
  // Thinking blocks are replayed to a request that has thinking on.
  reasoningOptions: { anthropic: { thinking: { type: 'enabled', budget_tokens: 2048 } } },
};

export const geminiTarget: FidelityTarget = {
  name: 'gemini',
  dialect: 'gemini',
  apiKey: 'test-key-fidelity-gemini',
  model: 'gemini-3.5-flash-lite',
  create: (fetch) => createGemini({ apiKey: 'test-key-fidelity-gemini', fetch, ...isolated }),
  cachingOptions: { gemini: { cachedContent: 'cachedContents/fidelity-handbook' } },
};

/** One OAuth access token, as an `OAuthManager` of Vertex service accounts hands it out. */
const vertexToken: CredentialSource = {
  acquire: async () => ({ id: 'vertex-fidelity', secret: 'test-key-fidelity-vertex', kind: 'oauth' }),
  reportSuccess: () => {},
  reportFailure: () => {},
};

export const vertexTarget: FidelityTarget = {
  name: 'vertex',
  dialect: 'gemini',
  apiKey: 'test-key-fidelity-vertex',
  model: 'gemini-3.5-flash-lite',
  create: (fetch) => createGemini({ backend: 'vertex', project: 'fidelity-project', location: 'us-central1', credentials: vertexToken, fetch, ...isolated }),
  cachingOptions: { gemini: { cachedContent: 'projects/fidelity-project/locations/us-central1/cachedContents/fidelity-handbook' } },
};

export const qwenTarget: FidelityTarget = {
  name: 'qwen',
  dialect: 'openai',
  apiKey: 'test-key-fidelity-qwen',
  model: 'qwen-plus',
  create: (fetch) => createQwen({ apiKey: 'test-key-fidelity-qwen', fetch, ...isolated }),
};

export const cerebrasTarget: FidelityTarget = {
  name: 'cerebras',
  dialect: 'openai',
  apiKey: 'test-key-fidelity-cerebras',
  model: 'gpt-oss-120b',
  create: (fetch) => createCerebras({ apiKey: 'test-key-fidelity-cerebras', fetch, ...isolated }),
};

export const openRouterTarget: FidelityTarget = {
  name: 'openrouter',
  dialect: 'openai',
  apiKey: 'test-key-fidelity-openrouter',
  model: 'openrouter/auto',
  create: (fetch) =>
    createOpenRouter({ apiKey: 'test-key-fidelity-openrouter', appName: 'Fidelity Suite', siteUrl: 'https://example.com/fidelity', fetch, ...isolated }),
};

/** A local Ollama server: no key, no auth header. */
export const ollamaTarget: FidelityTarget = {
  name: 'ollama',
  dialect: 'ollama',
  model: 'llama3.2',
  create: (fetch) => createOllama({ fetch, ...isolated }),
};

/** Azure OpenAI's v1 API with an API key; `model` is the deployment name. */
export const azureTarget: FidelityTarget = {
  name: 'azure',
  dialect: 'openai',
  apiKey: 'test-key-fidelity-azure',
  model: 'fidelity-gpt-deployment',
  create: (fetch) => createAzure({ resourceName: 'fidelity-resource', apiKey: 'test-key-fidelity-azure', fetch, ...isolated }),
  cachingOptions: { azure: { prompt_cache_key: 'fidelity-handbook' } },
};

/** Every target, for the checks that run over all snapshots. */
export const fidelityTargets: readonly FidelityTarget[] = [
  openAITarget,
  deepSeekTarget,
  xAITarget,
  groqTarget,
  anthropicTarget,
  geminiTarget,
  vertexTarget,
  qwenTarget,
  cerebrasTarget,
  openRouterTarget,
  ollamaTarget,
  azureTarget,
];
