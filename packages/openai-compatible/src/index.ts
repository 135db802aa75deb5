export { createOpenAICompatible } from './openai-compatible-provider';
export { openAICompatibleSettingsSchema, type OpenAICompatibleSettings } from './openai-compatible-settings';
export {
  openAICompatiblePresets,
  openAICompatiblePresetNames,
  type OpenAICompatiblePreset,
  type OpenAICompatiblePresetName,
} from './openai-compatible-presets';
export { defineOpenAICompatibleProvider, modelCapabilities, type OpenAICompatibleConfig } from './define-openai-compatible-provider';

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
