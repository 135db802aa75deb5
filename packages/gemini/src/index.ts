/**
 * `createGemini`: Google Gemini with API keys or OAuth accounts, and the OAuth refresh helpers.
 *
 * @module @kit/gemini
 */
export { createGemini, defineGeminiProvider, type VertexBackendOptions } from './gemini-provider';
export {
  CODE_ASSIST_BASE_URL,
  GEMINI_API_KEY_ENV_VAR,
  GEMINI_BASE_URL,
  GEMINI_DEFAULT_MODEL,
  geminiSettingsSchema,
  type GeminiBackend,
  type GeminiOAuthBackend,
  type GeminiSettings,
} from './gemini-settings';
export {
  createGeminiOAuthRefresh,
  geminiOAuthRefresh,
  type GeminiOAuthRefresh,
  type GeminiOAuthRefreshOptions,
  type GeminiRefreshedToken,
  type GoogleOAuthCredential,
} from './gemini-oauth';
export { GOOGLE_TOKEN_ENDPOINT } from './google-token';
export {
  CLOUD_PLATFORM_SCOPE,
  vertexAuthorizedUserCredential,
  vertexServiceAccountCredential,
  type AuthorizedUserCredentials,
  type ServiceAccountKey,
  type VertexCredentialOptions,
} from './vertex-credentials';
export { createVertexServiceAccountRefresh, vertexServiceAccountRefresh, type VertexRefresh, type VertexRefreshOptions } from './vertex-refresh';
export { VERTEX_DEFAULT_LOCATION, vertexApiRoot } from './vertex-endpoint';

// Building blocks of the dialect, for custom factories and tests.
export { convertToGeminiContents, type GeminiContent, type GeminiPart, type GeminiPrompt } from './convert-to-gemini-contents';
export {
  buildGeminiRequest,
  geminiProviderOptionsSchema,
  validateGeminiProviderOptions,
  type GeminiProviderOptions,
  type GeminiRequest,
} from './gemini-request';
export { createGeminiStreamMapper, mapGeminiFinishReason, mapGeminiUsage, parseGeminiResponse, type GeminiChunkMapper } from './gemini-stream-mapper';
export { geminiErrorFromBody, refineGeminiError } from './gemini-errors';
export {
  geminiFallbackModels,
  geminiModelCapabilities,
  geminiModels,
  geminiShutdownModels,
  GEMINI_MODELS_VERIFIED_ON,
  parseGeminiModels,
} from './gemini-models';
export { discoverCodeAssistProject, type CodeAssistDiscoveryOptions } from './code-assist-project';
export { withCodeAssistProjects } from './code-assist-credentials';
