import type { ResolvedOptions } from './oauth-manager-options';

/**
 * The refresh backoff after `refreshFailures` consecutive refresh failures: none below
 * `refreshFailuresBeforeUnhealthy`, then `refreshBackoffMs × 2^k` capped at `maxRefreshBackoffMs`
 * (60 s, 120 s, 240 s, 480 s, 480 s, …).
 */
export function refreshBackoffMs(refreshFailures: number, options: ResolvedOptions): number {
  const beyond = refreshFailures - options.refreshFailuresBeforeUnhealthy;
  return beyond < 0 ? 0 : Math.min(options.refreshBackoffMs * 2 ** beyond, options.maxRefreshBackoffMs) || 0;
}
