export * from './chat-message';
export * from './generate-options';
export * from './chat-completion';
export * from './stream-event';
export * from './model-info';
export * from './chat-stream.types';
export * from './provider';
export * from './provider-definition';
export * from './provider-settings';
export * from './credential-source';
export type { OAuthCredential, RefreshContext, RefreshedToken, RefreshFunction } from './oauth-credential';
export * from './error-codes';
export * from './kit-error';
export * from './classify-error';
export * from './mask-secrets';
export { truncateMasked } from './truncate-masked';
export * from './retry-after';
export * from './rate-limit-info';
export * from './kit-event';
export * from './validate';
export { MAX_TIMER_MS, apiKeySchema, durationMsSchema, headersSchema, httpURLSchema, nonEmptyStringSchema } from './setting-schemas';
export * from './standard-schema';
export { parseToolCallInput } from './tool-input';
export { parseStructuredOutput } from './structured-output';
export * from './tool-call-accumulator';
export { compact } from './compact';
export * from './framing';
export { abortedError } from './abort';
export * from './backoff';
export * from './credential-backoff';
export * from './credential-health';
export * from './credential-health-options';
export * from './base64url';
export * from './pkce';
export * from './post-oauth-form';
export * from './merge-headers';
export {
  createHttpClient,
  isHttpHooks,
  type HttpAfterResponseHook,
  type HttpAfterResponseState,
  type HttpBeforeRequestHook,
  type HttpBeforeRequestState,
  type HttpClient,
  type HttpClientOptions,
  type HttpHookOptions,
  type HttpHooks,
  type HttpRequestInit,
} from './http-client';
export * from './request-json';
export * from './request-json-once';
export { AUXILIARY_TIMEOUT_MS, type HttpAnswer, type RequestJsonOptions, type RetryPolicy } from './request-json-options';
export { sleep } from './abort';
export { KitChatStream } from './chat-stream';
export { resolveGenerateOptions } from './generate-options-schema';
export { readEnvironmentVariable } from './environment';
export { ProviderMetricsTracker } from './provider-metrics-tracker';
export * from './provider-registry';
export { createChatProvider, MODELS_CACHE_TTL_MS } from './create-chat-provider';
