import * as z from 'zod/mini';
import type { CredentialSource } from './credential-source';
import type { EnvironmentVariables } from './environment';
import { isHttpHooks, type HttpHooks } from './http-client';
import type { KitEventListener, MetricsSink } from './kit-event';
import {
  apiKeySchema,
  atLeast,
  atMost,
  durationMsSchema,
  functionSchema,
  headersSchema,
  httpURLSchema,
  implementsSchema,
  integerSchema,
  isObject,
  nonEmptyStringSchema,
} from './setting-schemas';

/**
 * The zod shape of the settings every provider factory accepts. A provider spreads it into its own strict
 * schema and infers its settings type from that:
 *
 * @example
 * const mySettingsSchema = z.strictObject({ ...providerSettingsShape, region: z.optional(z.enum(['eu', 'us'])) });
 * type MySettings = z.infer<typeof mySettingsSchema>;
 *
 * Built in a pure IIFE, so that a bundle which never validates settings drops it.
 */
export const providerSettingsShape = /* @__PURE__ */ (() => ({
  /**
   * One API key. Without it (and without `credentials`) the provider's environment variable is read at request time.
   * Whitespace inside the key is refused (a copied newline), never trimmed.
   */
  apiKey: z.optional(apiKeySchema()),
  /**
   * The environment variables to read instead of `process.env` (the key's variable, and a provider's base-URL
   * variable): a Cloudflare Worker's `env`, or any object of strings. Values that are not strings are ignored.
   */
  env: z.optional(z.custom<EnvironmentVariables>(isObject, { error: 'must be an object (a Worker’s env)' })),
  /** A pool: `KeyManager`, `OAuthManager`, or any `CredentialSource`. */
  credentials: z.optional(
    implementsSchema<CredentialSource>(['acquire', 'reportSuccess', 'reportFailure'], 'must be a CredentialSource (acquire, reportSuccess, reportFailure)'),
  ),
  /** The API's base URL (`http://` or `https://`). */
  baseURL: z.optional(httpURLSchema()),
  defaultModel: z.optional(nonEmptyStringSchema()),
  /** Sent with every request. Names must be HTTP tokens; values must not hold line breaks. */
  headers: z.optional(headersSchema()),
  /** Non-streaming: the whole attempt (default 60 000). Streams: first byte and every gap between chunks. */
  timeoutMs: z.optional(durationMsSchema()),
  /** Retries of transient failures (default 2). Moving to another credential after a credential fault is free. */
  maxRetries: z.optional(integerSchema().check(atLeast(0), atMost(10))),
  fetch: z.optional(functionSchema<typeof globalThis.fetch>()),
  /**
   * ky hooks run on every request of this provider (chat, model list, health check): `beforeRequest` receives the
   * real request, auth headers included; `afterResponse` a clone of each response. For tracing and logging.
   */
  hooks: z.optional(z.custom<HttpHooks>(isHttpHooks, { error: 'must be { beforeRequest?, afterResponse? }: arrays of functions (ky hooks)' })),
  /** Instance name (default: the provider type). */
  name: z.optional(nonEmptyStringSchema()),
  onEvent: z.optional(functionSchema<KitEventListener>()),
  metrics: z.optional(implementsSchema<MetricsSink>(['record'], 'must be a MetricsSink (record)')),
}))();

/** The common settings, strict: an unknown field is an error naming it (`createChatProvider` validates with it). */
export const providerSettingsSchema = /* @__PURE__ */ (() => z.strictObject(providerSettingsShape))();

/** Settings every provider factory accepts: inferred from `providerSettingsShape`. */
export type ProviderSettings = z.infer<typeof providerSettingsSchema>;

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_RETRIES = 2;
