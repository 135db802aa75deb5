export { createOpenAI, defineOpenAIProvider } from './openai-provider';
export { openAISettingsSchema, OPENAI_DEFAULT_MODEL, type OpenAISettings } from './openai-settings';
export { isOpenAIChatModel, isOpenAIReasoningModel, openAIFallbackModels, openAIModelCapabilities } from './openai-models';
export { refineOpenAIPlatformError } from './openai-errors';
