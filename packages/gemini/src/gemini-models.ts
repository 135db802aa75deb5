import type { ModelCapabilities, ModelInfo } from '@kit/core';

/** Capabilities of a Gemini model by its id: Gemini models do everything; Gemma and others only text. */
export function geminiModelCapabilities(id: string, thinking?: boolean): ModelCapabilities {
  const gemini = id.startsWith('gemini-');
  return { streaming: true, tools: gemini, vision: gemini, reasoning: thinking ?? /^gemini-(2\.5|[3-9])/.test(id), json: gemini };
}

/** Served by `getModels()` when `GET /models` cannot be reached (and always for Code Assist, which has no list). */
export const geminiFallbackModels: readonly ModelInfo[] = /* @__PURE__ */ 'gemini-2.5-pro gemini-2.5-flash gemini-2.5-flash-lite'
  .split(' ')
  .map((id) => ({ id, provider: 'gemini', contextWindow: 1_048_576, maxOutputTokens: 65_536, capabilities: geminiModelCapabilities(id) }));

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
