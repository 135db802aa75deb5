import type { KitErrorCode } from '@kit/core';
import { credentialDeadlineAsEpochMs } from '@kit/core/provider-utils';
import type { KeyState } from './key-state';

/** The health of one key, as `KeyManager.getKeyHealth()` reports it. Holds no secret. */
export interface KeyHealth {
  /** The key's id (never the key). */
  id: string;
  /** False after `unhealthyAfter` consecutive failure events or a disable; true again after one success. */
  healthy: boolean;
  /** Whether the key may be handed out now (no cooldown, no rate-limit skip, not disabled). */
  available: boolean;
  /** Out until `enableKey`, an explicit `reportSuccess` or re-adding: a `policies` rule with action `'disable'` matched. */
  disabled: boolean;
  /** Failure events in a row since the last success (N concurrent failures of one burst are one event). */
  consecutiveFailures: number;
  /** End of the cooldown in force (epoch ms); absent when none is. */
  backoffUntil?: number;
  /** End of a rate-limit skip (epoch ms) while one is in force. */
  rateLimitedUntil?: number;
  lastSuccessAt?: number;
  lastFailureAt?: number;
  /** Times the key was handed out. */
  requests: number;
  successes: number;
  /** Failed requests reported against the key, late ones of a burst included (errors that do not count are not). */
  failures: number;
  /** Code of the last failure event. */
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
  /** Keys that cannot be handed out now (cooldown, rate-limit skip or disabled). */
  inBackoff: number;
  /** Keys that can be handed out now. */
  available: number;
  /** Keys disabled by a `policies` rule. */
  disabled: number;
}

/** A secret-free snapshot of one key (internal); `now` is monotonic, `wallNow` epoch ms. */
export function toKeyHealth(state: KeyState, now: number, wallNow: number): KeyHealth {
  const { health } = state;
  const report: KeyHealth = {
    id: state.id,
    healthy: health.healthy,
    available: health.availableAt() <= now,
    disabled: health.disabled,
    consecutiveFailures: health.consecutiveFailures,
    requests: health.requests,
    successes: health.successes,
    failures: health.failures,
    weight: state.weight,
  };
  const backoffUntil = credentialDeadlineAsEpochMs(health.cooldownUntil(), now, wallNow);
  if (backoffUntil !== undefined) report.backoffUntil = backoffUntil;
  const rateLimitedUntil = credentialDeadlineAsEpochMs(health.rateLimitedUntil, now, wallNow);
  if (rateLimitedUntil !== undefined) report.rateLimitedUntil = rateLimitedUntil;
  if (health.lastSuccessAt !== undefined) report.lastSuccessAt = health.lastSuccessAt;
  if (health.lastFailureAt !== undefined) report.lastFailureAt = health.lastFailureAt;
  if (health.lastErrorCode !== undefined) report.lastErrorCode = health.lastErrorCode;
  return report;
}
