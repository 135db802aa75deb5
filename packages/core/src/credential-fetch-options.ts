import * as z from 'zod/mini';
import type { KitEventListener, MetricsSink } from './kit-event';
import { functionSchema, HEADER_NAME_ERROR, headerNamePattern, implementsSchema, nonEmptyStringSchema, patternStringSchema } from './setting-schemas';

/**
 * The zod shape of `credentialFetch`'s options. Built in a pure IIFE, so that an app which never calls
 * `credentialFetch` drops it.
 */
export const credentialFetchOptionsShape = /* @__PURE__ */ (() => ({
  /**
   * Where the credential goes and what the provider's errors look like: `'openai'` (default; `Authorization: Bearer`,
   * also for OpenAI-compatible APIs), `'anthropic'` (`x-api-key`), `'gemini'` (`x-goog-api-key`).
   */
  preset: z.optional(z.enum(['openai', 'anthropic', 'gemini'])),
  /** Another header for the credential (e.g. `'api-key'` for Azure OpenAI); replaces the preset's. */
  header: z.optional(patternStringSchema(headerNamePattern, HEADER_NAME_ERROR)),
  /** Written before the secret with one space (`'Bearer'`); `''` for a bare key. Default: the preset's (or `''` with `header`). */
  scheme: z.optional(patternStringSchema(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]*$/, 'must be one word (e.g. "Bearer") or empty')),
  /** Names the provider in events and errors. Default: the preset's name. */
  provider: z.optional(nonEmptyStringSchema()),
  /** The `fetch` that sends each attempt. Default: the global one, looked up per request. */
  fetch: z.optional(functionSchema<typeof globalThis.fetch>()),
  /** Receives every `KitEvent` (`request-start`, `request-success`, `request-error`, `failover`, `rate-limit`, `call-error`). */
  onEvent: z.optional(functionSchema<KitEventListener>()),
  /** A `MetricsSink` (`MetricsCollector` from `@kit/metrics`) that records the same events. */
  metrics: z.optional(implementsSchema<MetricsSink>(['record'], 'must be a MetricsSink (record)')),
  /** Monotonic clock of the latencies, in ms. Default `performance.now()`. */
  now: z.optional(functionSchema<() => number>()),
}))();

/** The options of `credentialFetch`, unknown keys refused. */
export const credentialFetchOptionsSchema = /* @__PURE__ */ (() => z.strictObject(credentialFetchOptionsShape))();

/** Options of `credentialFetch`: inferred from `credentialFetchOptionsShape`. */
export type CredentialFetchOptions = z.infer<typeof credentialFetchOptionsSchema>;
