import type { KitErrorCode } from '@kit/core';
import { availableAt, isHealthy, type CredentialState } from './credential-state';

/** The health of one credential, as `getCredentialHealth(id)` reports it. Holds no secret. */
export interface CredentialHealth {
  id: string;
  /**
   * False after `unhealthyAfter` consecutive ordinary failures (failed refreshes in between not counted) or
   * `refreshFailuresBeforeUnhealthy` consecutive refresh failures.
   */
  healthy: boolean;
  /** Whether it may be handed out now (no failure backoff, refresh backoff or rate-limit skip in force). */
  available: boolean;
  /** Failures in a row since the last success, failed refreshes included (they drive the failure backoff). */
  consecutiveFailures: number;
  /** Failed refreshes in a row since the last successful refresh. */
  consecutiveRefreshFailures: number;
  /** End of the failure backoff since the last success (epoch ms). */
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
  /** Failures that counted against the credential (refresh failures included). */
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
  /** Credentials marked for rotation. */
  retiring: number;
  credentials: CredentialHealth[];
}

/** A secret-free health view of a state (internal). */
export function toCredentialHealth(state: CredentialState, now: number, refreshFailuresBeforeUnhealthy: number): CredentialHealth {
  const { credential, retiring } = state;
  const health: CredentialHealth = {
    id: credential.id,
    healthy: isHealthy(state, refreshFailuresBeforeUnhealthy),
    available: availableAt(state) <= now,
    consecutiveFailures: state.consecutiveFailures,
    consecutiveRefreshFailures: state.consecutiveRefreshFailures,
    backoffUntil: state.backoffUntil || undefined,
    refreshBackoffUntil: state.refreshBackoffUntil || undefined,
    rateLimitedUntil: state.rateLimitedUntil > now ? state.rateLimitedUntil : undefined,
    lastSuccessAt: state.lastSuccessAt,
    lastFailureAt: state.lastFailureAt,
    lastErrorCode: state.lastErrorCode,
    expiresAt: credential.expiresAt,
    lastRefreshAt: credential.lastRefreshAt,
    refreshing: !!state.refreshing,
    retiring: !!retiring,
    replacementId: retiring?.replacementId,
    decommissionAt: retiring?.decommissionAt,
  };
  return withoutUndefined(health);
}

/** The metrics view of a state (internal). */
export function toCredentialMetrics(state: CredentialState): CredentialMetrics {
  const { credential, inputTokens, outputTokens } = state;
  return withoutUndefined({
    id: credential.id,
    requests: state.requests,
    successes: state.successes,
    errors: state.errors,
    tokens: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
    averageLatencyMs: state.latencySamples ? state.latencyTotalMs / state.latencySamples : 0,
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
