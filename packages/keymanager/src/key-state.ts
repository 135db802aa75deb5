import type { KitErrorCode } from '@kit/core';
import type { NormalisedKey } from './key-input';

/** The mutable bookkeeping of one key (internal; never leaves the manager). */
export interface KeyState {
  readonly id: string;
  readonly secret: string;
  readonly weight: number;
  healthy: boolean;
  consecutiveFailures: number;
  /** Epoch ms until which the key sleeps after a failure; 0 = none. */
  backoffUntil: number;
  /** Length of the last backoff, also the length of a recovery probe window. */
  lastBackoffMs: number;
  /** Epoch ms until which the key is skipped because its rate limit is used up; 0 = none. */
  rateLimitedUntil: number;
  /** An unhealthy key handed out as a probe is not preferred again before this time; 0 = none. */
  probeUntil: number;
  lastSuccessAt: number | undefined;
  lastFailureAt: number | undefined;
  lastErrorCode: KitErrorCode | undefined;
  requests: number;
  successes: number;
  failures: number;
  /** Smooth weighted round-robin counter. */
  currentWeight: number;
}

/** A fresh, healthy state for a validated key. */
export function createKeyState(key: NormalisedKey): KeyState {
  return {
    id: key.id,
    secret: key.secret,
    weight: key.weight,
    healthy: true,
    consecutiveFailures: 0,
    backoffUntil: 0,
    lastBackoffMs: 0,
    rateLimitedUntil: 0,
    probeUntil: 0,
    lastSuccessAt: undefined,
    lastFailureAt: undefined,
    lastErrorCode: undefined,
    requests: 0,
    successes: 0,
    failures: 0,
    currentWeight: 0,
  };
}

/** Epoch ms from which the key may be handed out (≤ now means: available). */
export function availableAt(state: KeyState): number {
  return state.backoffUntil > state.rateLimitedUntil ? state.backoffUntil : state.rateLimitedUntil;
}
