/** Base of the retry backoff: 500 ms × 2ⁿ. */
export const RETRY_BASE_MS = 500;
/** Cap of the computed retry backoff. */
export const RETRY_CAP_MS = 8_000;

/** The wait before retry number `retryIndex` (0-based): 500 ms × 2ⁿ ± 20 % jitter, capped at 8 s. */
export function retryBackoffMs(retryIndex: number, random: () => number = Math.random): number {
  const base = Math.min(RETRY_BASE_MS * 2 ** retryIndex, RETRY_CAP_MS);
  const jitter = 1 + (random() * 2 - 1) * 0.2;
  return Math.min(Math.round(base * jitter), RETRY_CAP_MS);
}

/** The longest wait a server may ask of a transient retry (`Retry-After`); past it, the computed backoff applies. */
export const MAX_SERVER_RETRY_WAIT_MS = 60_000;

/**
 * The wait before a transient retry: the server's `Retry-After` / `retry-after-ms` / RetryInfo when it gave one of at
 * most 60 s (the engine fails fast instead when the wait would not end before the call's deadline), else the computed
 * backoff — as the official SDKs do: a 503 asking for minutes does not hold the call, and a pool retries on another
 * credential at once. (A credential fault's wait is the pool's: it is never cut short.)
 */
export function retryDelayMs(retryIndex: number, serverRetryAfterMs: number | undefined, random?: () => number): number {
  if (serverRetryAfterMs !== undefined && serverRetryAfterMs <= MAX_SERVER_RETRY_WAIT_MS) return serverRetryAfterMs;
  return retryBackoffMs(retryIndex, random);
}
