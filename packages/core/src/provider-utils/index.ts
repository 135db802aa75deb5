/**
 * What provider authors and credential managers build with: `createChatProvider` and the wire types, framing,
 * error classification, retry-after parsing, backoff, masking, HTTP, PKCE and credential-health helpers.
 *
 * @module @kit/core/provider-utils
 */
// @kit/core/provider-utils: what provider authors (and the credential managers) build with — the engine behind
// `createChatProvider`, the wire types, framing, error classification, HTTP, backoff and credential-health helpers.
// Re-exports only. Names an application also uses (`KitError`, `StreamEvent`, `CredentialSource`, …) are exported by
// `@kit/core` alone: import them from there.

// A provider from a definition of its wire.
export { createChatProvider, MODELS_CACHE_TTL_MS } from '../create-chat-provider';
export { DEFAULT_PROVIDER_CAPABILITIES } from '../default-capabilities';
export type { ChatWire, EmitEvent, ModelsWire, ProviderDefinition, RequestContext, StreamMapper, WireChunk, WireRequest } from '../provider-definition';
export type { ResolvedGenerateOptions, ResolvedResponseFormat, ResolvedToolDefinition } from '../generate-options';
export { resolveGenerateOptions } from '../generate-options-schema';
export { KitChatStream } from '../chat-stream';
export { ProviderMetricsTracker } from '../provider-metrics-tracker';
export { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS, providerSettingsSchema, providerSettingsShape } from '../provider-settings';
export { singleKeySource } from '../credential-source';
export { createEventEmitter, type KitEventInput } from '../kit-event';

// Reading a response: framing, stream events, tool calls, schemas.
export { ndjsonFraming, sseFraming, type Framing, type FramingFactory } from '../framing';
export { isContentEvent } from '../stream-event';
export { emptyUsage } from '../chat-completion';
export { ToolCallAccumulator } from '../tool-call-accumulator';
export { parseToolCallInput } from '../tool-input';
export { parseStructuredOutput } from '../structured-output';
export { standardSchemaToJSONSchema } from '../standard-schema-to-json-schema';
export { compact, isSet } from '../compact';

// Classifying upstream errors.
export {
  classifyUpstreamError,
  codeForBody,
  codeForMessage,
  codeForStatus,
  createUpstreamError,
  upstreamIdentifiers,
  upstreamMessage,
  upstreamRetryAfterMs,
  type ClassifyContext,
  type ErrorRefinement,
  type ErrorRefiner,
  type UpstreamErrorResponse,
} from '../classify-error';
export { upstreamErrorInBody } from '../upstream-error-in-body';
export { parseDuration, parseRetryAfter, retryHintFromMessage, retryInfoDelayMs } from '../retry-after';
export { anthropicRateLimitHeaders, openAIRateLimitHeaders, parseResetHeader, readRateLimitHeaders, type RateLimitHeaderNames } from '../rate-limit-info';
export { maskSecrets, maskValue } from '../mask-secrets';
export { truncateMasked } from '../truncate-masked';
export { malformedStreamChunk, parseStreamChunk, parseStreamData } from '../malformed-stream-chunk';
export { signatureSegment, splitSignature } from '../signature-segments';

// Settings and option validation (zod/mini).
export { fieldName, formatIssues, parseOrThrow, type SafeParser } from '../validate';
export { isRecord } from '../is-record';
export {
  MAX_TIMER_MS,
  apiKeySchema,
  atLeast,
  atMost,
  durationMsSchema,
  headersSchema,
  httpURLSchema,
  integerSchema,
  isSecureOrLoopbackURL,
  nonEmptyStringSchema,
  patternStringSchema,
} from '../setting-schemas';

// Time, aborts, backoff.
export { abortedError, sleep } from '../abort';
export { monotonicNow } from '../monotonic-clock';
export { MAX_SERVER_RETRY_WAIT_MS, RETRY_BASE_MS, RETRY_CAP_MS, retryBackoffMs, retryDelayMs } from '../backoff';
export { readEnvironmentVariable, type EnvironmentVariables } from '../environment';

// Shared credential state across processes (the managers' `stateStore`): the backend contract and its sync layer.
export {
  mergeSharedHealth,
  SHARED_HEALTH_FIELDS,
  sharedCredentialKey,
  type SharedCredential,
  type SharedHealth,
  type SharedHealthRecord,
  type SharedHealthUpdate,
  type SharedStateBinding,
  type SharedStateChange,
  type SharedStatePool,
  type SharedToken,
  type StateCipher,
  type StateStoreBackend,
  type StoredToken,
} from '../state-store';
export { createStateStore, type ClosableStateStore, type StateStoreOptions } from '../create-state-store';
export { createPassphraseCipher, type PassphraseCipherOptions } from '../passphrase-cipher';

// Credential health, shared by KeyManager and OAuthManager.
export * from '../credential-backoff';
export * from '../credential-health';
export * from '../credential-health-options';

// HTTP: one client for chat, ky for auxiliary requests, one header merge.
export {
  createHttpClient,
  isHttpHooks,
  type HttpClient,
  type HttpClientOptions,
  type HttpRequestInit,
} from '../http-client';
export * from '../merge-headers';
export * from '../request-json';
export * from '../request-json-once';
export { AUXILIARY_TIMEOUT_MS, type HttpAnswer, type RequestJsonOptions, type RetryPolicy } from '../request-json-options';

// Web-standard helpers: base64 text, and for OAuth PKCE, base64url, the token endpoint form POST.
export * from '../base64url';
export { decodeBase64Text } from '../base64-text';
export * from '../pkce';
export * from '../post-oauth-form';
