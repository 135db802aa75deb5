import type { ModelCapabilities, ModelInfo } from '@kit/core';

/** Reasoning models (o-series, GPT-5 family): they take `max_completion_tokens`, not `max_tokens`. */
export function isOpenAIReasoningModel(model: string): boolean {
  return /^(?:ft:)?(?:o\d|gpt-5)/.test(model);
}

/** Chat-completions models among everything `GET /models` lists (not embeddings, audio, images, Responses-only). */
export function isOpenAIChatModel(id: string): boolean {
  return /^(?:ft:)?(?:gpt-|o\d|chatgpt-)/.test(id) && !/audio|realtime|transcribe|tts|image|embedding|instruct|codex|search|moderation|-pro\b|-deep-research/.test(id);
}

/** Capabilities of an OpenAI chat model by its id. */
export function openAIModelCapabilities(id: string): ModelCapabilities {
  return { streaming: true, tools: true, vision: !/^o3-mini|^o1-mini|^gpt-3\.5/.test(id), reasoning: isOpenAIReasoningModel(id), json: true };
}

const model = (id: string, contextWindow: number, maxOutputTokens: number): ModelInfo => ({
  id,
  provider: 'openai',
  contextWindow,
  maxOutputTokens,
  capabilities: openAIModelCapabilities(id),
});

/** Served by `getModels()` when `GET /models` cannot be reached. */
export const openAIFallbackModels: readonly ModelInfo[] = [
  model('gpt-5', 400_000, 128_000),
  model('gpt-5-mini', 400_000, 128_000),
  model('gpt-5-nano', 400_000, 128_000),
  model('gpt-4.1', 1_047_576, 32_768),
  model('gpt-4.1-mini', 1_047_576, 32_768),
  model('gpt-4.1-nano', 1_047_576, 32_768),
  model('gpt-4o', 128_000, 16_384),
  model('gpt-4o-mini', 128_000, 16_384),
  model('o3', 200_000, 100_000),
  model('o4-mini', 200_000, 100_000),
  model('o3-mini', 200_000, 100_000),
];
