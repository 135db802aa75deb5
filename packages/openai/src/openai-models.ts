import type { ModelCapabilities, ModelInfo } from '@kit/core';

/** Reasoning models (o-series, GPT-5 and later): they take `max_completion_tokens`, not `max_tokens`. */
export function isOpenAIReasoningModel(model: string): boolean {
  return /^(ft:)?(o\d|gpt-([5-9]|\d\d))/.test(model);
}

/**
 * Chat-completions models among everything `GET /models` lists: GPT, o-series and ChatGPT models (so not
 * `text-embedding-*`, `omni-moderation-*`, `whisper-*`, `dall-e-*`), minus their audio, image, search,
 * instruct and Responses-only variants.
 */
export function isOpenAIChatModel(id: string): boolean {
  return /^(ft:)?(gpt-|o\d|chatgpt-)/.test(id) && !/audio|realtime|transcribe|tts|image|instruct|codex|search|-pro\b|research/.test(id);
}

/** Capabilities of an OpenAI chat model by its id. */
export function openAIModelCapabilities(id: string): ModelCapabilities {
  return { streaming: true, tools: true, vision: !/^(o[13]-mini|gpt-3\.5)/.test(id), reasoning: isOpenAIReasoningModel(id), json: true };
}

/** The day {@link openAIModels} was last checked against OpenAI's model and deprecation pages. */
export const OPENAI_MODELS_VERIFIED_ON = '2026-12-02';

/** Models sharing a context window, an output limit and (where announced) a shutdown date. */
type ModelGroup = [ids: string, contextWindow: number | undefined, maxOutputTokens: number | undefined, shutdownDate?: string];

const openAIModelsOf = (groups: ModelGroup[]): ModelInfo[] =>
  groups.flatMap(([ids, contextWindow, maxOutputTokens, shutdownDate]) =>
    ids.split(' ').map((id) => ({
      id,
      provider: 'openai',
      ...(contextWindow && { contextWindow, maxOutputTokens }),
      capabilities: openAIModelCapabilities(id),
      ...(shutdownDate && { shutdownDate }),
    })),
  );

/**
 * Current chat models with no announced shutdown, served by `getModels()` when `GET /models` cannot be reached.
 * Limits from each model's page (developers.openai.com/api/docs/models/gpt-6.1-terra; gpt-6-luna and gpt-6.1-sol as
 * listed by Vercel's AI Gateway and apidog, linking OpenAI's pages): 1 050 000 tokens of context, 128 000 out.
 * `gpt-6-luna` is OpenAI's named replacement for gpt-4o/gpt-4.1(-mini), `gpt-6.1-terra` for gpt-5-mini and
 * `gpt-6.1-sol` for gpt-5 (developers.openai.com/api/docs/deprecations).
 */
export const openAIFallbackModels: readonly ModelInfo[] = /* @__PURE__ */ openAIModelsOf([['gpt-6-luna gpt-6.1-terra gpt-6.1-sol', 1_050_000, 128_000]]);

/**
 * Chat models with an announced shutdown, from https://developers.openai.com/api/docs/deprecations (read
 * 2026-12-02 through stored copies: the page's table and two write-ups quoting it). The `gpt-5.1` date (2027-04-01) was
 * seen only in a write-up quoting the page (dev.to, 2026-10-28), not on the page itself. Kept so that live-listed ids
 * get their limits and so tests can refuse them as defaults.
 */
export const openAIShutdownModels: readonly ModelInfo[] = /* @__PURE__ */ openAIModelsOf([
  ['o3-mini o4-mini', 200_000, 100_000, '2026-10-23'],
  ['gpt-4.1-nano', 1_047_576, 32_768, '2026-10-23'],
  ['gpt-5 gpt-5-mini gpt-5-nano', 400_000, 128_000, '2026-12-11'],
  ['o3', 200_000, 100_000, '2026-12-11'],
  ['gpt-4.1 gpt-4.1-mini', 1_047_576, 32_768, '2027-01-14'],
  ['gpt-4o gpt-4o-mini', 128_000, 16_384, '2027-01-14'],
  ['gpt-5.1', undefined, undefined, '2027-04-01'],
]);

/** OpenAI's dated model table: the current models, then those with an announced shutdown date. */
export const openAIModels: readonly ModelInfo[] = /* @__PURE__ */ openAIFallbackModels.concat(openAIShutdownModels);
