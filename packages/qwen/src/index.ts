/**
 * `createQwen`: Alibaba Qwen with DashScope API keys or Qwen OAuth accounts, and `qwenOAuthRefresh`.
 *
 * @module @kit/qwen
 */
export {
  createQwen,
  defineQwenProvider,
  DASHSCOPE_API_KEY_ENV_VAR,
  QWEN_DASHSCOPE_DEFAULT_MODEL,
  QWEN_OAUTH_DEFAULT_MODEL,
  qwenSettingsSchema,
  type QwenDefinitionOptions,
  type QwenSettings,
} from './qwen-provider';
export { DASHSCOPE_BASE_URL, dashScopeBaseURLs, QWEN_OAUTH_BASE_URL, qwenBaseURLFor, qwenResourceBaseURL, type DashScopeRegion } from './qwen-base-url';
export { refineQwenError } from './qwen-errors';
export { QWEN_MODELS_VERIFIED_ON, qwenFallbackModels, qwenModels, qwenShutdownModels } from './qwen-models';
export { createQwenOAuthRefresh, qwenOAuthRefresh, type QwenOAuthRefreshOptions } from './qwen-oauth-refresh';
export { QWEN_OAUTH_CLIENT_ID, QWEN_OAUTH_DEVICE_CODE_URL, QWEN_OAUTH_SCOPE, QWEN_OAUTH_TOKEN_URL, type QwenOAuthTransport } from './qwen-oauth-request';
export type { QwenOAuthCredential, QwenTokenRefreshResult } from './qwen-oauth-credential';
