import { policyOf } from './error-codes';
import type { KitError } from './kit-error';

/** The numbers that shape a credential's backoff (KeyManager and OAuthManager options). */
export interface CredentialBackoffPolicy {
  /** Backoff after a first failure, in ms. */
  initialBackoffMs: number;
  /** Cap of the exponential backoff, in ms. */
  maxBackoffMs: number;
  /** Minimum sleep after a `quota_exceeded`, in ms. */
  quotaCooldownMs: number;
  /** Ratio: the exponential part becomes `backoff × (1 ± jitter·random)`. */
  jitter: number;
  /**
   * Cap of the cooldown after a transient fault (`server_error`, `timeout`, `network`, `invalid_response`): those hit
   * every credential alike, so they never bench one for long. Absent: only `maxBackoffMs` caps them.
   */
  maxTransientBackoffMs?: number;
}

/**
 * How long a credential sleeps after its `consecutiveFailures`-th failure in a row:
 * `min(initialBackoffMs × 2^(n−1), maxBackoffMs)` (1 s → 2 s → 4 s → … → 60 s by default), jittered;
 * a transient fault sleeps at most `maxTransientBackoffMs`; a `rate_limit` sleeps at least its `retryAfterMs`;
 * a `quota_exceeded` sleeps at least `quotaCooldownMs` or its `retryAfterMs` when that is larger.
 */
export function credentialBackoffMs(consecutiveFailures: number, error: KitError | undefined, policy: CredentialBackoffPolicy, random: () => number): number {
  // `|| 0`: a zero initial backoff stays 0 when 2^n overflows to Infinity (0 × Infinity is NaN).
  let backoff = Math.min(policy.initialBackoffMs * 2 ** (consecutiveFailures - 1), policy.maxBackoffMs) || 0;
  // jitter ≤ 1 and random() < 1 keep the factor ≥ 0.
  if (policy.jitter) backoff = Math.round(backoff * (1 + policy.jitter * (2 * random() - 1)));
  const code = error?.code;
  if (code === undefined) return backoff;
  const transientCap = policy.maxTransientBackoffMs;
  if (transientCap !== undefined && policyOf(code).transient) return Math.min(backoff, transientCap);
  const serverWait = error?.retryAfterMs ?? 0;
  if (code === 'rate_limit') return Math.max(backoff, serverWait);
  if (code === 'quota_exceeded') return Math.max(backoff, serverWait, policy.quotaCooldownMs);
  return backoff;
}
