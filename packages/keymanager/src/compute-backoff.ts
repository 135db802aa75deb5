import type { KitError } from '@kit/core';

/** The numbers that shape a key's backoff. */
export interface BackoffPolicy {
  initialBackoffMs: number;
  maxBackoffMs: number;
  quotaCooldownMs: number;
  /** Ratio: the exponential part becomes `backoff × (1 ± jitter·random)`. */
  jitter: number;
}

/**
 * How long a key sleeps after its `consecutiveFailures`-th failure in a row:
 * `min(initialBackoffMs × 2^(n−1), maxBackoffMs)` (1 s → 2 s → 4 s → … → 60 s by default), jittered;
 * a `rate_limit` sleeps at least its `retryAfterMs`; a `quota_exceeded` sleeps at least `quotaCooldownMs`
 * or its `retryAfterMs` when that is larger.
 */
export function computeBackoffMs(
  consecutiveFailures: number,
  error: KitError | undefined,
  policy: BackoffPolicy,
  random: () => number,
): number {
  // `|| 0`: a zero initial backoff stays 0 when 2^n overflows to Infinity (0 × Infinity is NaN).
  let backoff = Math.min(policy.initialBackoffMs * 2 ** (consecutiveFailures - 1), policy.maxBackoffMs) || 0;
  // jitter ≤ 1 and random() < 1 keep the factor ≥ 0.
  if (policy.jitter) backoff = Math.round(backoff * (1 + policy.jitter * (2 * random() - 1)));
  const code = error?.code;
  const quota = code == 'quota_exceeded';
  return Math.max(backoff, quota || code == 'rate_limit' ? (error?.retryAfterMs ?? 0) : 0, quota ? policy.quotaCooldownMs : 0);
}
