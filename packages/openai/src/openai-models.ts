import type { ModelCapabilities, ModelInfo } from '@kit/core';

/** Reasoning models (o-series, GPT-5 family): they take `max_completion_tokens`, not `max_tokens`. */
export function isOpenAIReasoningModel(model: string): boolean {
  return /^(ft:)?(o\d|gpt-5)/.test(model);
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

/** Models sharing a context window and output limit: `[ids, contextWindow, maxOutputTokens]`. */
const fallbackGroups: [ids: string, contextWindow: number, maxOutputTokens: number][] = [
  ['gpt-5 gpt-5-mini gpt-5-nano', 400_000, 128_000],
  ['gpt-4.1 gpt-4.1-mini gpt-4.1-nano', 1_047_576, 32_768],
  ['gpt-4o gpt-4o-mini', 128_000, 16_384],
  ['o3 o4-mini o3-mini', 200_000, 100_000],
];

/** Served by `getModels()` when `GET /models` cannot be reached. */
export const openAIFallbackModels: readonly ModelInfo[] = /* @__PURE__ */ fallbackGroups.flatMap(([ids, contextWindow, maxOutputTokens]) =>
  ids.split(' ').map((id) => ({ id, provider: 'openai', contextWindow, maxOutputTokens, capabilities: openAIModelCapabilities(id) })),
);
