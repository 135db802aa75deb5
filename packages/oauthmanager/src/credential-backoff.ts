import type { KitError } from '@kit/core';
import type { ResolvedOptions } from './oauth-manager-options';

/**
 * How long a credential sleeps after its `failures`-th consecutive failure, as in KeyManager:
 * `initialBackoffMs × 2^(failures−1)` capped at `maxBackoffMs` (1 s, 2 s, 4 s, … 60 s), jittered; a `rate_limit`
 * sleeps at least its `retryAfterMs`; a `quota_exceeded` at least `quotaCooldownMs` (or its `retryAfterMs` if longer).
 */
export function failureBackoffMs(failures: number, error: KitError, options: ResolvedOptions): number {
  const { initialBackoffMs, maxBackoffMs, jitter, quotaCooldownMs, random } = options;
  // `|| 0` keeps a zero initial backoff at 0 when the power overflows (0 × Infinity).
  const exponential = Math.min(initialBackoffMs * 2 ** (failures - 1), maxBackoffMs) || 0;
  const jittered = jitter ? Math.round(exponential * (1 + jitter * (2 * random() - 1))) : exponential;
  const serverSays = error.code == 'rate_limit' || error.code == 'quota_exceeded' ? (error.retryAfterMs ?? 0) : 0;
  return Math.max(jittered, serverSays, error.code == 'quota_exceeded' ? quotaCooldownMs : 0);
}

/**
 * The refresh backoff after `refreshFailures` consecutive refresh failures: none below
 * `refreshFailuresBeforeUnhealthy`, then `refreshBackoffMs × 2^k` capped at `maxRefreshBackoffMs`
 * (60 s, 120 s, 240 s, 480 s, 480 s, …).
 */
export function refreshBackoffMs(refreshFailures: number, options: ResolvedOptions): number {
  const beyond = refreshFailures - options.refreshFailuresBeforeUnhealthy;
  return beyond < 0 ? 0 : Math.min(options.refreshBackoffMs * 2 ** beyond, options.maxRefreshBackoffMs) || 0;
}
