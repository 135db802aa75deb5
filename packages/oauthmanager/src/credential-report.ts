import type { KitErrorCode } from '@kit/core';
import { credentialDeadlineAsEpochMs } from '@kit/core/provider-utils';
import { isHealthy, type CredentialState } from './credential-state';

/** The health of one credential, as `getCredentialHealth(id)` reports it. Holds no secret. */
export interface CredentialHealth {
  id: string;
  /**
   * False after `unhealthyAfter` consecutive failure events (failed refreshes in between not counted),
   * `refreshFailuresBeforeUnhealthy` consecutive refresh failures, or a disable.
   */
  healthy: boolean;
  /** Whether it may be handed out now (no failure backoff, refresh backoff or rate-limit skip in force, not disabled). */
  available: boolean;
  /** Out until `enableCredential`, an explicit `reportSuccess` or being added again: a `policies` rule `'disable'` matched. */
  disabled: boolean;
  /**
   * Failure events in a row since the last success, failed refreshes included (they drive the failure backoff); N
   * concurrent failures of one burst are one event.
   */
  consecutiveFailures: number;
  /** Failed refreshes in a row since the last successful refresh. */
  consecutiveRefreshFailures: number;
  /** End of the failure backoff in force (epoch ms). */
  backoffUntil?: number;
  /** End of the refresh backoff (epoch ms); only a successful refresh lifts it. */
  refreshBackoffUntil?: number;
  /** End of a rate-limit skip in force (epoch ms). */
  rateLimitedUntil?: number;
  lastSuccessAt?: number;
  lastFailureAt?: number;
  lastErrorCode?: KitErrorCode;
  /** Expiry of the current access token (epoch ms). */
  expiresAt?: number;
  lastRefreshAt?: number;
  /** A refresh is in flight. */
  refreshing: boolean;
  /** Marked for rotation: it serves only when nothing else can until it is decommissioned. */
  retiring: boolean;
  /** The credential that replaces it. */
  replacementId?: string;
  /** When it will be decommissioned (epoch ms). */
  decommissionAt?: number;
}

/** Usage of one credential, as `getCredentialMetrics(id)` reports it. */
export interface CredentialMetrics {
  id: string;
  /** Leases handed out. */
  requests: number;
  successes: number;
  /** Failed requests reported against the credential, late ones of a burst and refresh failures included. */
  errors: number;
  /** Tokens of the successful requests. */
  tokens: { inputTokens: number; outputTokens: number; totalTokens: number };
  /** Average latency of the successful requests that reported one (ms); 0 before the first. */
  averageLatencyMs: number;
  refreshCount: number;
  refreshFailures: number;
  lastRefreshAt?: number;
  firstUsedAt?: number;
  lastUsedAt?: number;
}

/** The state of the whole pool, as `getHealthSummary()` reports it. */
export interface OAuthHealthSummary {
  provider: string;
  total: number;
  healthy: number;
  unhealthy: number;
  /** Credentials that can be handed out now. */
  available: number;
  /** Credentials that cannot be handed out now (failure, refresh or rate-limit backoff). */
  inBackoff: number;
  /** Credentials disabled by a `policies` rule. */
  disabled: number;
  /** Credentials marked for rotation. */
  retiring: number;
  credentials: CredentialHealth[];
}

/** A secret-free health view of a state (internal); `now` is monotonic, `wallNow` epoch ms. */
export function toCredentialHealth(state: CredentialState, now: number, wallNow: number, refreshFailuresBeforeUnhealthy: number): CredentialHealth {
  const { credential, retiring, health } = state;
  const report: CredentialHealth = {
    id: credential.id,
    healthy: isHealthy(state, refreshFailuresBeforeUnhealthy),
    available: health.availableAt() <= now,
    disabled: health.disabled,
    consecutiveFailures: health.consecutiveFailures,
    consecutiveRefreshFailures: state.consecutiveRefreshFailures,
    backoffUntil: credentialDeadlineAsEpochMs(health.cooldownUntil(), now, wallNow),
    refreshBackoffUntil: credentialDeadlineAsEpochMs(health.heldUntil, now, wallNow),
    rateLimitedUntil: credentialDeadlineAsEpochMs(health.rateLimitedUntil, now, wallNow),
    lastSuccessAt: health.lastSuccessAt,
    lastFailureAt: health.lastFailureAt,
    lastErrorCode: health.lastErrorCode,
    expiresAt: credential.expiresAt,
    lastRefreshAt: credential.lastRefreshAt,
    refreshing: state.refreshing !== undefined,
    retiring: retiring !== undefined,
    replacementId: retiring?.replacementId,
    decommissionAt: retiring?.decommissionAt,
  };
  return withoutUndefined(report);
}

/** The metrics view of a state (internal). */
export function toCredentialMetrics(state: CredentialState): CredentialMetrics {
  const { credential, inputTokens, outputTokens, health } = state;
  return withoutUndefined({
    id: credential.id,
    requests: health.requests,
    successes: health.successes,
    errors: health.failures,
    tokens: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
    averageLatencyMs: state.latencySamples > 0 ? state.latencyTotalMs / state.latencySamples : 0,
    refreshCount: credential.refreshCount ?? 0,
    refreshFailures: state.refreshFailures,
    lastRefreshAt: credential.lastRefreshAt,
    firstUsedAt: state.firstUsedAt,
    lastUsedAt: state.lastUsedAt,
  });
}

function withoutUndefined<T extends object>(value: T): T {
  for (const key in value) if (value[key] === undefined) delete value[key];
  return value;
}
