/**
 * `createOllama`: Ollama's native chat API (NDJSON) and embeddings (`embed`), local or on ollama.com.
 *
 * @module @kit/ollama
 */
export { createOllama, defineOllamaProvider, type OllamaProvider } from './ollama-provider';
export {
  ollamaSettingsSchema,
  OLLAMA_API_KEY_ENV_VAR,
  OLLAMA_BASE_URL,
  OLLAMA_CLOUD_BASE_URL,
  OLLAMA_DEFAULT_MODEL,
  OLLAMA_HOST_ENV_VAR,
  type OllamaSettings,
} from './ollama-settings';
export { ollamaHostToBaseURL } from './ollama-host';
export {
  buildOllamaEmbedRequest,
  ollamaEmbedOptionsSchema,
  parseOllamaEmbeddings,
  validateOllamaEmbedOptions,
  type OllamaEmbedBody,
  type OllamaEmbedContext,
  type OllamaEmbeddings,
  type OllamaEmbedOptions,
} from './ollama-embed';
export {
  buildOllamaRequest,
  ollamaProviderOptionsSchema,
  validateOllamaProviderOptions,
  type OllamaChatBody,
  type OllamaProviderOptions,
  type OllamaTool,
} from './ollama-request';
export { convertToOllamaMessages, type OllamaMessage, type OllamaToolCall } from './convert-to-ollama-messages';
export {
  createOllamaStreamMapper,
  mapOllamaFinishReason,
  mapOllamaUsage,
  parseOllamaResponse,
  readOllamaDurations,
  type OllamaChunkMapper,
  type OllamaDurations,
} from './ollama-stream-mapper';
export { ollamaStreamError } from './ollama-errors';
export {
  ollamaFallbackModels,
  ollamaModelCapabilities,
  parseOllamaModels,
  parseOllamaRunningModels,
  type OllamaModelDetails,
  type OllamaRunningModel,
} from './ollama-models';
