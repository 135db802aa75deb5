import type { EventError, RateLimitInfo } from '@kit/core';
import type { LatencySummary } from './duration-stats';

/** Token counts. `input` includes `cached` and `cacheWrite`; `output` includes `reasoning`. */
export interface TokenTotals {
  input: number;
  output: number;
  /** Input tokens read from the prompt cache (`usage.cachedInputTokens`). */
  cached: number;
  /** Input tokens written to the prompt cache (`usage.cacheWriteInputTokens`, Anthropic). */
  cacheWrite: number;
  reasoning: number;
  total: number;
}

/** Cost in US dollars. `input` includes the cache reads and writes. */
export interface CostTotals {
  input: number;
  output: number;
  total: number;
  currency: 'USD';
}

/**
 * The metrics of one series (all traffic, one provider, one model or one credential).
 *
 * Counts are **attempts**: the engine emits `request-start` and then `request-success` or `request-error` for each
 * HTTP attempt, so a call that failed over from a revoked key to a good one counts 2 requests, 1 success, 1 error
 * (with `retries` 1: the call went on after it). `failedCalls` and `abortedCalls` count **calls**, from the
 * `call-error` event the engine emits once when a call fails for good.
 *
 * The caller's own cancel (code `aborted`) is not an error: it is counted in `aborted` / `abortedCalls` only, and
 * left out of `errors`, `successRate`, `errorsByCode`, `errorsByStatus`, `failedCalls` and `callErrorsByCode`.
 */
export interface SeriesMetrics {
  /** Attempts started (`request-start`). */
  requests: number;
  /** Attempts that ended with a complete answer (`request-success`). */
  successes: number;
  /** Attempts that failed (`request-error`), the caller's aborts excepted. */
  errors: number;
  /** Attempts the caller aborted (`request-error` with code `aborted`): not errors. */
  aborted: number;
  /** Failed attempts after which the call went on (`willRetry`): retried or failed over. */
  retries: number;
  /**
   * Calls that failed for good (`call-error`, the caller's aborts excepted): after their attempts, or before any
   * (every credential cooling down, deadline passed). A call that fails before any attempt counts here and nowhere
   * else. Calls are not tied to a credential: credential series count only events that name one.
   */
  failedCalls: number;
  /** Calls the caller aborted (`call-error` with code `aborted`), whether during an attempt or a wait. */
  abortedCalls: number;
  /** `successes / (successes + errors)`; 0 before any attempt ended. */
  successRate: number;
  /** Times traffic moved away from a credential (`failover` events). */
  failovers: number;
  /** Duration of successful attempts, to the end of the answer (stream included). */
  latency: LatencySummary;
  /** Time to the first content event of streamed attempts (`stream-first-token`), whether they then succeeded or not. */
  timeToFirstToken: LatencySummary;
  /**
   * Output tokens per second of successful attempts: output tokens over generation time (from the first token
   * to the end for streams, the whole attempt otherwise). 0 without data.
   */
  tokensPerSecond: number;
  tokens: TokenTotals;
  cost: CostTotals;
  /** A success was recorded for a model without a known price: its cost counted as 0. */
  pricingMissing: boolean;
  /** Failed attempts by `KitError` code (`unknown` for an event without a valid code). */
  errorsByCode: Record<string, number>;
  /** Failed attempts by HTTP status (attempts without a status are not counted here). */
  errorsByStatus: Record<string, number>;
  /** Failed calls (`failedCalls`) by `KitError` code: `credentials_exhausted` when every credential is down. */
  callErrorsByCode: Record<string, number>;
  /** OAuth token refreshes (`token-refresh` events). */
  tokenRefreshes: { total: number; successes: number; failures: number };
  /** `alert` events. */
  alerts: number;
  lastRequestAt?: number;
  lastSuccessAt?: number;
  lastErrorAt?: number;
  /** The last error of an attempt or a call, its message masked (never a secret). */
  lastError?: SnapshotError;
}

/** An error as the snapshot keeps it: plain data, masked message, `unknown` for an invalid code. */
export interface SnapshotError {
  code: EventError['code'] | 'unknown';
  status?: number;
  message: string;
}

/** A credential's metrics plus its health, as the credential manager last reported it. */
export interface CredentialMetrics extends SeriesMetrics {
  provider: string;
  credentialId: string;
  /**
   * `false` after `credential-unhealthy` or a `credential-failure` whose error is `authentication` or `permission` (the
   * provider refused the credential itself), `true` again after `credential-recovered` or a successful attempt; `true`
   * for a credential never reported unhealthy or refused.
   */
  healthy: boolean;
  /** From the last `credential-failure` (0 after a recovery or a success). */
  consecutiveFailures: number;
  lastFailureAt?: number;
  /** When the credential's current backoff ends (from the last `credential-failure`). */
  backoffUntil?: number;
  /** The last rate-limit headers read for this credential. */
  rateLimit?: RateLimitInfo;
}

/** Everything `MetricsCollector.snapshot()` returns: plain, JSON-serialisable data. */
export interface MetricsSnapshot {
  /** When the snapshot was taken (the collector's clock). */
  takenAt: number;
  /** When recording started: construction or the last `reset()`. */
  since: number;
  totals: SeriesMetrics;
  /** By provider name (the provider instance's `name`, which defaults to its type). */
  byProvider: Record<string, SeriesMetrics>;
  /** By model id, across providers. */
  byModel: Record<string, SeriesMetrics>;
  /** By `provider:credentialId`. */
  byCredential: Record<string, CredentialMetrics>;
  /** Events that subscribers did not receive because too many were waiting (see `subscribe`). */
  droppedSubscriberEvents: number;
}

/** The health of one credential, cheaply (no percentiles): what `getCredentialHealth()` returns. */
export interface CredentialHealthEntry {
  provider: string;
  credentialId: string;
  healthy: boolean;
  consecutiveFailures: number;
  lastFailureAt?: number;
  backoffUntil?: number;
}
