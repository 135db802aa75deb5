import type { KitErrorCode } from '@kit/core';
import { availableAt, type KeyState } from './key-state';

/** The health of one key, as `KeyManager.getKeyHealth()` reports it. Holds no secret. */
export interface KeyHealth {
  /** The key's id (never the key). */
  id: string;
  /** False after `unhealthyAfter` consecutive failures, true again after one success. */
  healthy: boolean;
  /** Whether the key may be handed out now (not in backoff, not rate-limited). */
  available: boolean;
  consecutiveFailures: number;
  /** End of the backoff of the last failure (epoch ms); absent when no failure since the last success. */
  backoffUntil?: number;
  /** End of a rate-limit skip (epoch ms) while one is in force. */
  rateLimitedUntil?: number;
  lastSuccessAt?: number;
  lastFailureAt?: number;
  /** Times the key was handed out. */
  requests: number;
  successes: number;
  /** Failures that counted against the key (non-penalising errors are not counted). */
  failures: number;
  /** Code of the last failure that counted against the key. */
  lastErrorCode?: KitErrorCode;
  /** The key's weight under the `'weighted'` strategy. */
  weight: number;
}

/** A summary of a key pool, as `KeyManager.getStatus()` reports it. */
export interface KeyManagerStatus {
  provider: string;
  /** Number of keys. */
  total: number;
  healthy: number;
  unhealthy: number;
  /** Keys that cannot be handed out now (backoff or rate-limit skip). */
  inBackoff: number;
  /** Keys that can be handed out now. */
  available: number;
}

/** A secret-free snapshot of one key (internal). */
export function toKeyHealth(state: KeyState, now: number): KeyHealth {
  const { secret, probeUntil, currentWeight, ...health }: Partial<KeyState> & KeyHealth = state as KeyState & KeyHealth;
  health.available = availableAt(state) <= now;
  // Only a backoff since the last success and a rate-limit skip in force are shown.
  if (!health.backoffUntil) delete health.backoffUntil;
  if (!(state.rateLimitedUntil > now)) delete health.rateLimitedUntil;
  return health;
}
