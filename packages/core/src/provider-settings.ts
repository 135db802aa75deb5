import type { CredentialSource } from './credential-source';
import type { KitEventListener, MetricsSink } from './kit-event';
import { custom, number, optional, record, string, url } from './schema';

/** Settings every provider factory accepts (SPEC §3). */
export interface ProviderSettings {
  /** One API key. Without it (and without `credentials`) the provider's environment variable is read at request time. */
  apiKey?: string;
  /** A pool: `KeyManager`, `OAuthManager`, or any `CredentialSource`. */
  credentials?: CredentialSource;
  baseURL?: string;
  defaultModel?: string;
  headers?: Record<string, string>;
  /** Non-streaming: the whole attempt (default 60 000). Streams: first byte and every gap between chunks. */
  timeoutMs?: number;
  /** Retries of transient failures (default 2). Moving to another credential after a credential fault is free. */
  maxRetries?: number;
  fetch?: typeof globalThis.fetch;
  /** Instance name (default: the provider type). */
  name?: string;
  onEvent?: KitEventListener;
  metrics?: MetricsSink;
}

const isFunction = (value: unknown) => typeof value === 'function';
const hasMethods = (value: unknown, ...names: string[]) =>
  typeof value === 'object' && value !== null && names.every((name) => isFunction((value as Record<string, unknown>)[name]));

/**
 * The schema shape of `ProviderSettings`. A provider spreads it into its own strict schema:
 * `strictObject({ ...providerSettingsShape, organization: optional(string()) })`.
 */
export const providerSettingsShape = {
  apiKey: optional(string({ min: 1 })),
  credentials: optional(
    custom<CredentialSource>(
      (value) => hasMethods(value, 'acquire', 'reportSuccess', 'reportFailure'),
      'must be a CredentialSource (acquire, reportSuccess, reportFailure)',
    ),
  ),
  baseURL: optional(url()),
  defaultModel: optional(string({ min: 1 })),
  headers: optional(record(string())),
  timeoutMs: optional(number({ int: true, positive: true })),
  maxRetries: optional(number({ int: true, min: 0, max: 10 })),
  fetch: optional(custom<typeof globalThis.fetch>(isFunction, 'must be a function')),
  name: optional(string({ min: 1 })),
  onEvent: optional(custom<KitEventListener>(isFunction, 'must be a function')),
  metrics: optional(custom<MetricsSink>((value) => hasMethods(value, 'record'), 'must be a MetricsSink (record)')),
};

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_RETRIES = 2;
