import type { ErrorRefiner } from './classify-error';
import type { FramingFactory } from './framing';
import type { CredentialLease } from './credential-source';
import type { ResolvedGenerateOptions } from './generate-options';
import type { ModelInfo } from './model-info';
import type { ProviderCapabilities } from './provider';
import type { ProviderSpecificationVersion } from './provider-specification';
import type { RateLimitInfo } from './rate-limit-info';
import type { StreamEvent } from './stream-event';

/** One HTTP request in wire terms; `path` is appended to the base URL. */
export interface WireRequest {
  path: string;
  method?: 'GET' | 'POST';
  /** JSON body. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** One framed unit of a response stream: an SSE event (name + data) or one NDJSON line (data). */
export interface WireChunk {
  event?: string;
  data: string;
}

export type EmitEvent = (event: StreamEvent) => void;

/** What a wire mapper knows of the call it serves. */
export interface RequestContext {
  provider: string;
  model: string;
  stream: boolean;
  credential: Omit<CredentialLease, 'secret'>;
  /** The provider's id of the request (`x-request-id` / `request-id`), once the response headers have arrived. */
  requestId?: string | undefined;
  /** The provider's `refineError`, for errors sent inside a 2xx answer (see `upstreamErrorInBody`). */
  refineError?: ErrorRefiner | undefined;
}

/**
 * Turns one response stream's wire chunks into `StreamEvent`s. One instance per stream (it may keep state,
 * e.g. tool-call arguments by index). It throws a `KitError` for an error the upstream sent inside the stream.
 */
export interface StreamMapper {
  push(chunk: WireChunk, emit: EmitEvent): void;
  /** The upstream closed the stream: emit what is still pending (complete tool calls, `finish`). */
  end(emit: EmitEvent): void;
}

/** A provider's chat wire knowledge: request mapping, stream mapping, response mapping. */
export interface ChatWire {
  /** How responses are framed: `sseFraming` or `ndjsonFraming` from core, or your own. */
  framing: FramingFactory;
  buildRequest(options: ResolvedGenerateOptions, context: RequestContext): WireRequest;
  createStreamMapper(context: RequestContext): StreamMapper;
  /** A non-streaming JSON answer, replayed as the same events a stream would give (`start` … `finish`). */
  parseResponse(body: unknown, context: RequestContext, emit: EmitEvent): void;
  /**
   * Whether a non-streaming call (`complete()`) is sent as a stream and assembled: for answers that may take longer
   * than a timeout should wait in silence (Anthropic with a large `max_tokens`), so the timeout bounds silence
   * between events instead of the whole generation.
   */
  streamsOnWire?(options: ResolvedGenerateOptions): boolean;
}

/** How to list models live. */
export interface ModelsWire {
  request: WireRequest;
  parse(body: unknown, provider: string): ModelInfo[];
  /** The request for the next page of a paged list (Anthropic's `has_more`/`after_id`, Google's `nextPageToken`). */
  nextPage?(body: unknown, request: WireRequest): WireRequest | undefined;
}

/**
 * Everything core needs to know of a provider's API to build a full `Provider` from it (`createChatProvider`).
 * Only wire knowledge lives here; credentials, retries, timeouts, events and metrics are core's.
 */
export interface ProviderDefinition {
  /**
   * The provider contract this definition is written for: `'v1'` (`PROVIDER_SPECIFICATION_VERSION` of `@kit/core`).
   * `createChatProvider` refuses a definition naming another version, or none, with `invalid_config`.
   */
  specificationVersion: ProviderSpecificationVersion;
  type: string;
  defaultBaseURL: string;
  defaultModel: string;
  /** The environment variable holding the key, read at request time when no key is configured. */
  apiKeyEnvVar?: string;
  /** Local servers: with no key configured, send requests without authentication. */
  apiKeyOptional?: boolean;
  /**
   * What the provider can do; what is left out takes its default (`DEFAULT_PROVIDER_CAPABILITIES`): `streaming` on,
   * `tools`, `vision`, `documents`, `audio`, `reasoning` and `json` off.
   */
  capabilities?: Partial<ProviderCapabilities>;
  /** Served by `getModels()` when the live list cannot be fetched. */
  fallbackModels: readonly ModelInfo[];
  /**
   * The authentication headers for a credential. They may depend on the lease's `id`, `kind`, `secret` and `projectId`
   * only: the engine merges a credential's request headers once and reuses them while those are unchanged.
   */
  authHeaders(lease: CredentialLease): Record<string, string>;
  /** Headers sent on every request (beyond the user's `headers`). */
  headers?: Record<string, string>;
  /** The base URL for one credential (an OAuth account may carry its own). */
  baseURLFor?(lease: CredentialLease, configuredBaseURL: string): string;
  chat: ChatWire;
  models?: ModelsWire;
  /** The request `healthCheck()` sends; default `models.request`. */
  healthCheckRequest?: WireRequest;
  /**
   * Reads the health-check answer (a 2xx): an account can answer and still be unable to serve (OpenRouter's `/key`
   * with no credit left). Without it, any 2xx is healthy.
   */
  readHealth?(body: unknown): { healthy: boolean; message?: string };
  /** The provider's error identifiers and retry hints, beyond the generic classification. */
  refineError?: ErrorRefiner;
  /** Reads the provider's rate-limit headers. */
  rateLimits?(headers: Headers, now: number): RateLimitInfo | undefined;
  /** Checks `providerOptions[type]`; throws `KitError('invalid_request')` naming the field. */
  validateProviderOptions?(options: Record<string, unknown>): void;
}
