import type { ModelInfo } from '@kit/core';

/** The default: OpenAI's open-weight 120B reasoning model, the replacement Cerebras names for its retired models. */
export const CEREBRAS_DEFAULT_MODEL = 'gpt-oss-120b';

/** The day the Cerebras model table below was last checked against Cerebras' models and deprecations pages. */
export const CEREBRAS_MODELS_VERIFIED_ON = '2026-12-02';

const capabilities = { streaming: true, tools: true, vision: false, reasoning: true, json: true };

/**
 * Served by `getModels()` when `GET /models` cannot be reached. `gpt-oss-120b`: 131 072 tokens of context on paid
 * tiers (65 536 on the free tier); no deprecation on https://inference-docs.cerebras.ai/support/deprecation (read
 * 2026-12-02). Its output limit was not confirmed on Cerebras' pages, so it is left out. `zai-glm-4.7` is no longer
 * listed: a third-party guide (October 2026) reports it retired, with no date on Cerebras' deprecations page as stored.
 */
export const cerebrasFallbackModels: readonly ModelInfo[] = [
  { id: CEREBRAS_DEFAULT_MODEL, name: 'OpenAI GPT OSS 120B', provider: 'cerebras', contextWindow: 131_072, capabilities },
];

/** Models Cerebras' deprecations page gives a shutdown date ("fully deprecated on May 27, 2026", announced 2026-04-22). */
export const cerebrasShutdownModels: readonly ModelInfo[] = [
  { id: 'qwen-3-235b-a22b-instruct-2507', name: 'Qwen 3 235B Instruct', provider: 'cerebras', capabilities, shutdownDate: '2026-05-27' },
  { id: 'llama3.1-8b', name: 'Llama 3.1 8B', provider: 'cerebras', capabilities, shutdownDate: '2026-05-27' },
];

/** Cerebras' dated model table: the current models, then those with an announced shutdown date. */
export const cerebrasModels: readonly ModelInfo[] = /* @__PURE__ */ cerebrasFallbackModels.concat(cerebrasShutdownModels);
