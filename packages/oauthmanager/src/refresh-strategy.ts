/** What a refresh strategy sees of one credential when it picks the buffer. */
export interface RefreshStats {
  /** The credential's id. */
  credentialId: string;
  /** Average duration of its recent refresh calls (ms); 0 before the first one. */
  averageRefreshLatencyMs: number;
  /** Share of its recent refresh calls that failed, in [0, 1]. */
  refreshFailureRate: number;
  /** Leases handed out per minute, recently. */
  requestsPerMinute: number;
  /** Refreshes so far. */
  refreshCount: number;
}

/**
 * Decides how long before `expiresAt` a token is refreshed: a token is refreshed before use when
 * `now > expiresAt − bufferMs(stats)`.
 */
export interface RefreshStrategy {
  bufferMs(stats: RefreshStats): number;
}

/** The built-in strategies: `'default'` (5 min), `'adaptive'` (1–15 min, see {@link adaptiveRefreshBufferMs}), `'conservative'` (15 min). */
export type RefreshStrategyName = 'default' | 'adaptive' | 'conservative';

const MINUTE = 60_000;

/**
 * The `'adaptive'` buffer: one minute, plus 30 × the average refresh latency (a 2 s refresh adds a minute),
 * plus 5 s per request per minute up to 60 (busy credentials refresh earlier, so fewer callers meet an expired
 * token), all multiplied by `1 + 2 × failure rate` (time for a second try); clamped to [1 min, 15 min].
 */
export function adaptiveRefreshBufferMs(stats: RefreshStats): number {
  const base = MINUTE + 30 * stats.averageRefreshLatencyMs + 5_000 * Math.min(stats.requestsPerMinute, 60);
  return Math.min(Math.max(base * (1 + 2 * stats.refreshFailureRate), MINUTE), 15 * MINUTE);
}

/** The strategy object of a name, or the strategy given. */
export function resolveRefreshStrategy(strategy: RefreshStrategyName | RefreshStrategy): RefreshStrategy {
  if (typeof strategy === 'object') return strategy;
  if (strategy === 'adaptive') return { bufferMs: adaptiveRefreshBufferMs };
  const fixed = strategy === 'conservative' ? 15 * MINUTE : 5 * MINUTE;
  return { bufferMs: () => fixed };
}
