// @kit/core/provider-utils: what provider authors (and the credential managers) build with — the engine behind
// `createChatProvider`, the wire types, framing, error classification, HTTP, backoff and credential-health helpers.
// Re-exports only. Names an application also uses (`KitError`, `StreamEvent`, `CredentialSource`, …) are exported by
// `@kit/core` alone: import them from there.

// A provider from a definition of its wire.
export { createChatProvider, MODELS_CACHE_TTL_MS } from '../create-chat-provider';
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
export { compact } from '../compact';

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
export { parseDuration, parseRetryAfter, retryHintFromMessage, retryInfoDelayMs } from '../retry-after';
export { anthropicRateLimitHeaders, openAIRateLimitHeaders, parseResetHeader, readRateLimitHeaders, type RateLimitHeaderNames } from '../rate-limit-info';
export { maskSecrets, maskValue } from '../mask-secrets';
export { truncateMasked } from '../truncate-masked';
export { malformedStreamChunk, parseStreamChunk } from '../malformed-stream-chunk';

// Settings and option validation (zod/mini).
export { fieldName, formatIssues, parseOrThrow, type SafeParser } from '../validate';
export { MAX_TIMER_MS, apiKeySchema, durationMsSchema, headersSchema, httpURLSchema, nonEmptyStringSchema } from '../setting-schemas';

// Time, aborts, backoff.
export { abortedError, sleep } from '../abort';
export { monotonicNow } from '../monotonic-clock';
export { RETRY_BASE_MS, RETRY_CAP_MS, retryBackoffMs, retryDelayMs } from '../backoff';
export { readEnvironmentVariable } from '../environment';

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

// OAuth helpers (web-standard): PKCE, base64url, the token endpoint form POST.
export * from '../base64url';
export * from '../pkce';
export * from '../post-oauth-form';
