/**
 * `createOpenAI`: the OpenAI chat-completions API.
 *
 * @module @kit/openai
 */
export { createOpenAI, defineOpenAIProvider } from './openai-provider';
export { openAISettingsSchema, OPENAI_DEFAULT_MODEL, type OpenAISettings } from './openai-settings';
export {
  isOpenAIChatModel,
  isOpenAIReasoningModel,
  openAIFallbackModels,
  openAIModelCapabilities,
  openAIModels,
  openAIShutdownModels,
  OPENAI_MODELS_VERIFIED_ON,
} from './openai-models';
export { refineOpenAIPlatformError } from './openai-errors';
