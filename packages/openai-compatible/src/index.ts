/**
 * The OpenAI chat-completions wire dialect, written once: `createOpenAICompatible` with presets for Groq, OpenCode
 * Zen, DeepSeek, xAI, Together, Fireworks, LM Studio, llama.cpp and vLLM.
 *
 * @module @kit/openai-compatible
 */
export { createOpenAICompatible } from './openai-compatible-provider';
export { openAICompatibleSettingsSchema, type OpenAICompatibleSettings } from './openai-compatible-settings';
export {
  openAICompatiblePresets,
  openAICompatiblePresetNames,
  type OpenAICompatiblePreset,
  type OpenAICompatiblePresetName,
} from './openai-compatible-presets';
export { defineOpenAICompatibleProvider, modelCapabilities, type OpenAICompatibleConfig } from './define-openai-compatible-provider';
export { openAICompatiblePresetModels, OPENAI_COMPATIBLE_PRESET_MODELS_VERIFIED_ON } from './openai-compatible-preset-models';
export { countReasoningAsOutput, withUsageCounting, type UsageCounting } from './openai-usage-counting';

// Building blocks of the dialect, for thin layers (`@kit/openai`, `@kit/cerebras`, `@kit/qwen`, `@kit/openrouter`).
export {
  convertToOpenAIMessages,
  type ConvertToOpenAIMessagesOptions,
  type OpenAIContentPart,
  type OpenAITextPart,
  type ReasoningReplay,
  type OpenAIMessage,
  type OpenAIToolCall,
} from './convert-to-openai-messages';
export {
  buildOpenAIChatBody,
  validateOpenAIProviderOptions,
  type MaxTokensField,
  type OpenAIChatBody,
  type OpenAIChatRequestConfig,
} from './openai-chat-request';
export { createOpenAIStreamMapper } from './openai-stream-mapper';
export { parseOpenAIChatResponse } from './openai-chat-response';
export { mapOpenAIFinishReason, mapOpenAIUsage } from './openai-finish';
export { createOpenAIErrorRefiner, openAIErrorFromBody, refineOpenAIError, retryHintMs } from './openai-errors';
export { parseOpenAIModels, type OpenAIModelsOptions } from './openai-models';
