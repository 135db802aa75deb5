// @kit/core: the user API — what an application imports. What provider authors need (the engine's
// `createChatProvider`, wire types, framing, classification, HTTP and credential-health helpers) is in
// `@kit/core/provider-utils` (src/provider-utils/index.ts). A name used by both stays here only.

// Data types (SPEC §2).
export type { ChatMessage, ChatRole, ContentPart, JSONSchema, MediaSource, ToolCall, ToolChoice, ToolDefinition, ToolInputError } from './chat-message';
export type { GenerateOptions, JSONSchemaResponseFormat, ResponseFormat } from './generate-options';
export type { ChatCompletion, FinishReason, ServerTimings, Usage } from './chat-completion';
export type { StreamEvent } from './stream-event';
export type { HealthStatus, ModelCapabilities, ModelInfo, ModelPricing } from './model-info';
export type { ChatStream } from './chat-stream.types';

// The provider contract (SPEC §3): the segregated interfaces and their type guards.
export * from './provider';
export type { ProviderSettings } from './provider-settings';
export type { AcquireOptions, CredentialLease, CredentialReportInfo, CredentialSource, CredentialSuccessInfo } from './credential-source';
export type { OAuthCredential, RefreshContext, RefreshedToken, RefreshFunction } from './oauth-credential';
export { createProvider, getRegisteredProviders, registerProvider, unregisterProvider, type ProviderFactory } from './provider-registry';

// The official SDKs over a pool: a `fetch` that puts the pool's credential on each request and fails over.
export { credentialFetch } from './credential-fetch';
export type { CredentialFetchOptions } from './credential-fetch-options';
export type { CredentialFetchPresetName } from './credential-fetch-presets';

// Errors (SPEC §4).
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
