/**
 * `createOpenRouter`: hundreds of models behind one OpenRouter key, with routing and reasoning options.
 *
 * @module @kit/openrouter
 */
export {
  OPENROUTER_API_KEY_ENV_VAR,
  OPENROUTER_BASE_URL,
  OPENROUTER_DEFAULT_MODEL,
  createOpenRouter,
  defineOpenRouterProvider,
  openRouterFallbackModels,
  openRouterSettingsSchema,
  type OpenRouterDefinitionOptions,
  type OpenRouterSettings,
} from './openrouter-provider';
export { openRouterProviderOptionsSchema, validateOpenRouterProviderOptions, type OpenRouterProviderOptions } from './openrouter-provider-options';
export { createOpenRouterStreamMapper, parseOpenRouterChatResponse, type OpenRouterChunkMapper } from './openrouter-stream-mapper';
export { refineOpenRouterError } from './openrouter-errors';
export { parseOpenRouterModels } from './openrouter-models';
// Sign in with OpenRouter (OAuth PKCE), web-standard; the loopback login for CLIs is in `@kit/openrouter/node`.
export {
  OPENROUTER_AUTH_KEYS_URL,
  OPENROUTER_AUTH_URL,
  buildOpenRouterAuthUrl,
  exchangeOpenRouterCode,
  type OpenRouterAuthUrlOptions,
  type OpenRouterCodeExchangeOptions,
  type OpenRouterUserKey,
} from './openrouter-auth';
export { createPkcePair, type PkcePair } from '@kit/core/provider-utils';
