import type { ModelCapabilities, ModelInfo } from '@kit/core';

/** Capabilities of a Gemini model by its id: Gemini models do everything; Gemma and others only text. */
export function geminiModelCapabilities(id: string, thinking?: boolean): ModelCapabilities {
  const gemini = id.startsWith('gemini-');
  return { streaming: true, tools: gemini, vision: gemini, reasoning: thinking ?? /^gemini-(2\.5|[3-9])/.test(id), json: gemini };
}

/** The day the Gemini model table below was last checked against Google's model and deprecation pages. */
export const GEMINI_MODELS_VERIFIED_ON = '2026-12-02';

/** A model of the table: id, limits (when confirmed) and, where announced, the earliest shutdown date. */
const geminiModel = ([id, contextWindow, maxOutputTokens, shutdownDate]: [
  id: string,
  contextWindow?: number,
  maxOutputTokens?: number,
  shutdownDate?: string,
]): ModelInfo => ({
  id,
  provider: 'gemini',
  ...(contextWindow && { contextWindow, maxOutputTokens }),
  capabilities: geminiModelCapabilities(id),
  ...(shutdownDate && { shutdownDate }),
});

/**
 * Served by `getModels()` when `GET /models` cannot be reached (and always for Code Assist, which has no list): stable
 * models that https://ai.google.dev/gemini-api/docs/deprecations lists with "No shutdown date announced" (read
 * 2026-12-02). Limits of gemini-3.5-flash-lite from its model page (1 048 576 in, 65 536 out); those of 3.5 Flash and
 * 3.8 Flash were not confirmed, so they are left out (the live list reports them).
 */
export const geminiFallbackModels: readonly ModelInfo[] = /* @__PURE__ */ (
  [['gemini-3.5-flash-lite', 1_048_576, 65_536], ['gemini-3.5-flash'], ['gemini-3.8-flash']] as [string, number?, number?][]
).map(geminiModel);

/**
 * Models with an announced (earliest) shutdown date on the deprecations page. The 2.5 family: the page gave
 * 2026-06-17 for 2.5 Pro and 2.5 Flash and 2026-07-22 for 2.5 Flash-Lite; a later write-up quoting the page (dev.to,
 * read 2026-11-10) gives 2026-12-01 for 2.5 Pro and 2.5 Flash, with requests routed to 3.8 Flash / 3.5 Flash-Lite
 * after it, and says 2.5 Flash-Lite stays available until further notice. The page's dates are kept here: either way
 * these models are not to be chosen.
 */
export const geminiShutdownModels: readonly ModelInfo[] = /* @__PURE__ */ (
  [
    ['gemini-2.5-pro', 1_048_576, 65_536, '2026-06-17'],
    ['gemini-2.5-flash', 1_048_576, 65_536, '2026-06-17'],
    ['gemini-2.5-flash-lite', 1_048_576, 65_536, '2026-07-22'],
    ['gemini-3-pro-preview', undefined, undefined, '2026-03-09'],
    ['gemini-3.1-flash-lite', 1_048_576, 65_536, '2027-05-07'],
  ] as [string, number?, number?, string?][]
).map(geminiModel);

/** Gemini's dated model table: the current models, then those with an announced shutdown date. */
export const geminiModels: readonly ModelInfo[] = /* @__PURE__ */ geminiFallbackModels.concat(geminiShutdownModels);

/** `GET /models`, asking for the largest page Google serves. */
export const GEMINI_MODELS_PATH = '/models?pageSize=1000';

/**
 * Parses `GET /models` (`{ models: [{ name: 'models/…', displayName, inputTokenLimit, outputTokenLimit,
 * supportedGenerationMethods, thinking }], nextPageToken }`) leniently, keeping the models that can
 * `generateContent` (not embedding, AQA or image-only models).
 */
export function parseGeminiModels(body: unknown, provider: string): ModelInfo[] {
  const list = Object(body).models;
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry): ModelInfo[] => {
    const model = Object(entry) as Record<string, unknown>;
    const methods = model.supportedGenerationMethods;
    if (typeof model.name !== 'string' || !model.name || (Array.isArray(methods) && !methods.includes('generateContent'))) return [];
    const id = model.name.replace(/^models\//, '');
    const info: ModelInfo = { id, provider, capabilities: geminiModelCapabilities(id, typeof model.thinking === 'boolean' ? model.thinking : undefined) };
    if (typeof model.displayName === 'string') info.name = model.displayName;
    if (typeof model.inputTokenLimit === 'number') info.contextWindow = model.inputTokenLimit;
    if (typeof model.outputTokenLimit === 'number') info.maxOutputTokens = model.outputTokenLimit;
    return [info];
  });
}
