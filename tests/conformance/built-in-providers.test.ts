// Every provider package of @kit through the same contract suite a third-party package runs
// (`runProviderConformance` of @kit/testkit), each against a mock upstream in its own dialect.
import { createAnthropic } from '@kit/anthropic';
import type { ChatProvider } from '@kit/core';
import { createCerebras } from '@kit/cerebras';
import { createGemini } from '@kit/gemini';
import { KeyManager } from '@kit/keymanager';
import { createOllama } from '@kit/ollama';
import { createOpenAI } from '@kit/openai';
import { createOpenAICompatible } from '@kit/openai-compatible';
import { createOpenRouter } from '@kit/openrouter';
import { createQwen } from '@kit/qwen';
import { runProviderConformance, type ConformanceProviderSettings, type ProviderConformanceOptions } from '@kit/testkit';
import { describe, it } from 'vitest';

interface BuiltIn {
  name: string;
  dialect: ProviderConformanceOptions['dialect'];
  create(settings: ConformanceProviderSettings): ChatProvider;
  finishReasons?: ProviderConformanceOptions['finishReasons'];
  quotaFault?: ProviderConformanceOptions['quotaFault'];
}

// `env: {}`: the providers read no environment variable of the machine running the tests.
const builtIns: BuiltIn[] = [
  { name: 'openai', dialect: 'openai', create: (settings) => createOpenAI({ ...settings, env: {} }) },
  {
    name: 'openai-compatible',
    dialect: 'openai',
    create: (settings) => createOpenAICompatible({ ...settings, defaultModel: 'gpt-4o-mini', env: {} }),
  },
  { name: 'cerebras', dialect: 'openai', create: (settings) => createCerebras({ ...settings, env: {} }) },
  {
    name: 'qwen',
    dialect: 'openai',
    create: (settings) => createQwen({ ...settings, env: {} }),
    // DashScope's spent-account answer, a 400 `Arrearage` (its error-code reference; the body @kit/qwen's own tests
    // use). Its 429 worded like OpenAI's exhausted quota is its per-minute token limit: a rate limit, by design.
    quotaFault: {
      kind: 'status',
      status: 400,
      body: {
        error: { code: 'Arrearage', type: 'Arrearage', param: null, message: 'Access denied, please make sure your account is in good standing.' },
        request_id: 'req-conformance-1',
      },
    },
  },
  { name: 'openrouter', dialect: 'openai', create: (settings) => createOpenRouter({ ...settings, env: {} }) },
  { name: 'anthropic', dialect: 'anthropic', create: (settings) => createAnthropic({ ...settings, env: {} }) },
  { name: 'gemini', dialect: 'gemini', create: (settings) => createGemini({ ...settings, env: {} }) },
  // Ollama's API has no content filter: `done_reason` is `stop` or `length`.
  { name: 'ollama', dialect: 'ollama', create: (settings) => createOllama({ ...settings, env: {} }), finishReasons: ['stop', 'length'] },
];

for (const builtIn of builtIns) {
  runProviderConformance({
    name: `@kit/${builtIn.name} provider conformance`,
    dialect: builtIn.dialect,
    createProvider: builtIn.create,
    createPool: (keys) => new KeyManager(builtIn.name, keys),
    ...(builtIn.finishReasons ? { finishReasons: builtIn.finishReasons } : {}),
    ...(builtIn.quotaFault ? { quotaFault: builtIn.quotaFault } : {}),
    test: it,
    describe,
  });
}
