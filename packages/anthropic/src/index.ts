/**
 * `createAnthropic`: the Anthropic Messages API (thinking, tools, images, PDFs, prompt caching).
 *
 * @module @kit/anthropic
 */
export { createAnthropic, defineAnthropicProvider } from './anthropic-provider';
export {
  anthropicSettingsSchema,
  ANTHROPIC_API_KEY_ENV_VAR,
  ANTHROPIC_BASE_URL,
  ANTHROPIC_BASE_URL_ENV_VAR,
  ANTHROPIC_DEFAULT_MODEL,
  ANTHROPIC_VERSION,
  type AnthropicSettings,
} from './anthropic-settings';
export {
  anthropicFallbackModels,
  anthropicModelCapabilities,
  anthropicModelLimits,
  anthropicModels,
  anthropicShutdownModels,
  ANTHROPIC_MODELS_VERIFIED_ON,
  defaultMaxTokens,
  parseAnthropicModels,
} from './anthropic-models';
export { anthropicErrorCode, anthropicStreamError, refineAnthropicError } from './anthropic-errors';
export { anthropicRateLimitHeaders, readAnthropicRateLimits } from './anthropic-rate-limits';
export {
  buildAnthropicRequest,
  validateAnthropicProviderOptions,
  type AnthropicCacheBreakpoint,
  type AnthropicMessagesBody,
  type AnthropicProviderOptions,
  type AnthropicToolDefinition,
} from './anthropic-request';
export {
  convertToAnthropicMessages,
  REDACTED_THINKING_PREFIX,
  type AnthropicCacheControl,
  type AnthropicContentBlock,
  type AnthropicMessage,
  type AnthropicPrompt,
  type AnthropicSource,
  type CacheControlLookup,
} from './convert-to-anthropic-messages';
export {
  createAnthropicStreamMapper,
  mapAnthropicFinishReason,
  mapAnthropicUsage,
  parseAnthropicResponse,
  type AnthropicEventMapper,
  type AnthropicWireEvent,
} from './anthropic-stream-mapper';
