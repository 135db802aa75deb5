import type { KitErrorCode } from '@kit/core';
import type { NormalisedKey } from './key-input';

/** The mutable bookkeeping of one key (internal; never leaves the manager). */
export interface KeyState extends NormalisedKey {
  healthy: boolean;
  consecutiveFailures: number;
  /** Epoch ms until which the key sleeps after a failure; 0 = none. */
  backoffUntil: number;
  /** Epoch ms until which the key is skipped because its rate limit is used up; 0 = none. */
  rateLimitedUntil: number;
  /** An unhealthy key handed out as a probe is not preferred again before this time; 0 = none. */
  probeUntil: number;
  lastSuccessAt?: number;
  lastFailureAt?: number;
  lastErrorCode?: KitErrorCode;
  requests: number;
  successes: number;
  failures: number;
  /** Smooth weighted round-robin counter. */
  currentWeight: number;
}

/**
 * A fresh, healthy state for a validated key. Every field is present from the start (the optional ones as
 * `undefined`) so all states share one object shape: adding fields later made selection ~3× slower (deopt).
 */
export const createKeyState = (key: NormalisedKey): KeyState => ({
  ...key,
  lastSuccessAt: undefined,
  lastFailureAt: undefined,
  lastErrorCode: undefined,
  healthy: true,
  consecutiveFailures: 0,
  backoffUntil: 0,
  rateLimitedUntil: 0,
  probeUntil: 0,
  requests: 0,
  successes: 0,
  failures: 0,
  currentWeight: 0,
});

/** Epoch ms from which the key may be handed out (≤ now means: available). */
export const availableAt = (state: KeyState): number => Math.max(state.backoffUntil, state.rateLimitedUntil);
