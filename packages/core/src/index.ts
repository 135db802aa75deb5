/**
 * The user API of \@kit: the data types, the provider contract and its type guards, `KitError` and its codes,
 * events, the provider registry and `credentialFetch`.
 *
 * @module @kit/core
 */
// @kit/core: the user API — what an application imports. What provider authors need (the engine's
// `createChatProvider`, wire types, framing, classification, HTTP and credential-health helpers) is in
// `@kit/core/provider-utils` (src/provider-utils/index.ts). A name used by both stays here only.

// Data types: messages, options, completions, stream events, models.
export type { ChatMessage, ChatRole, ContentPart, JSONSchema, MediaSource, ToolCall, ToolChoice, ToolDefinition, ToolInputError } from './chat-message';
export type { GenerateOptions, JSONSchemaResponseFormat, ResponseFormat } from './generate-options';
export type { ChatCompletion, FinishReason, ServerTimings, Usage } from './chat-completion';
export type { StreamEvent } from './stream-event';
export type { HealthStatus, ModelCapabilities, ModelInfo, ModelPricing } from './model-info';
export type { ChatStream } from './chat-stream.types';

// The provider contract: the segregated interfaces and their type guards.
export * from './provider';
export type { ProviderSettings } from './provider-settings';
export type { EnvironmentVariables } from './environment';
export type { AcquireOptions, CredentialLease, CredentialReportInfo, CredentialSource, CredentialSuccessInfo } from './credential-source';
export type { OAuthCredential, RefreshContext, RefreshedToken, RefreshFunction } from './oauth-credential';
export type { CredentialStateStore } from './state-store';
export { createProvider, getRegisteredProviders, registerProvider, unregisterProvider, type ProviderFactory } from './provider-registry';
export { PROVIDER_SPECIFICATION_VERSION, type ProviderSpecificationVersion } from './provider-specification';

// The official SDKs over a pool: a `fetch` that puts the pool's credential on each request and fails over.
export { credentialFetch } from './credential-fetch';
export type { CredentialFetchOptions } from './credential-fetch-options';
export type { CredentialFetchPresetName } from './credential-fetch-presets';

// Errors: `KitError`, its codes and what each code means for retries and credentials.
export { errorPolicies, penalisesCredential, policyOf, type ErrorPolicy, type KitErrorCode } from './error-codes';
export { KitError, toKitError, type KitErrorOptions } from './kit-error';

// Events, metrics, rate limits.
export type { EventBase, EventError, KitEvent, KitEventListener, KitEventType, MetricsSink } from './kit-event';
export type { RateLimitInfo } from './rate-limit-info';

// Standard Schema (tools and structured output take any Standard Schema).
export {
  isStandardSchema,
  type InferStandardOutput,
  type StandardJSONSchemaConverter,
  type StandardSchemaIssue,
  type StandardSchemaResult,
  type StandardSchemaV1,
  type StandardSchemaV1Props,
} from './standard-schema';
export type { SchemaIssue } from './validate';

// The `hooks` setting.
export type {
  HttpAfterResponseHook,
  HttpAfterResponseState,
  HttpBeforeRequestHook,
  HttpBeforeRequestState,
  HttpHookOptions,
  HttpHooks,
} from './http-client';
