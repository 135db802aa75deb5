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
  const exponent = Math.min(Math.max(consecutiveFailures - 1, 0), 1000);
  let backoff = Math.min(policy.initialBackoffMs * 2 ** exponent, policy.maxBackoffMs);
  if (policy.jitter > 0) backoff = Math.max(0, Math.round(backoff * (1 + policy.jitter * (2 * random() - 1))));
  if (error?.code === 'rate_limit' && error.retryAfterMs !== undefined && error.retryAfterMs > backoff) {
    backoff = error.retryAfterMs;
  }
  if (error?.code === 'quota_exceeded') {
    const cooldown = Math.max(policy.quotaCooldownMs, error.retryAfterMs ?? 0);
    if (cooldown > backoff) backoff = cooldown;
  }
  return backoff;
}
