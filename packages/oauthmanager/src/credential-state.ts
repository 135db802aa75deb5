import type { KitError } from '@kit/core';
import { CredentialHealthRecord } from '@kit/core/provider-utils';
import type { OAuthCredential } from './oauth-credential';

/** How many recent outcomes the failure rate of a credential is judged over. */
export const OUTCOME_WINDOW = 100;

/**
 * The bookkeeping of one credential (internal; never leaves the manager): the live credential, its health record
 * (shared with `KeyManager`), its refresh health and its metrics. Times are on the pool's monotonic clock unless said.
 */
export interface CredentialState {
  /** The live credential, secrets included. */
  credential: OAuthCredential;
  /**
   * Health as in KeyManager, from the engine's reports (failed refreshes count too, as exempt failures: they drive the
   * backoff, not `unhealthyAfter`); the refresh backoff is its hold.
   */
  readonly health: CredentialHealthRecord;

  // Refresh health: only a successful refresh clears it.
  consecutiveRefreshFailures: number;
  /** The refresh in flight, shared by every caller (single-flight); resolves to its error, or `undefined` on success. */
  refreshing: Promise<KitError | undefined> | undefined;
  /** The token was rejected (a 401 that counted): refresh it before handing it out again. */
  forceRefresh: boolean;
  /** The token comes from a refresh after a 401 and has not succeeded yet: a 401 on it is the second one. */
  awaitingProof: boolean;
  /** The tokens the last refresh replaced: late errors of requests that used them are masked too. */
  replacedSecrets: string[];
  /** Leases handed out since the last refresh. */
  handedOutSinceRefresh: number;
  /**
   * 401s whose refresh in `onUnauthorized` failed and was counted: the engine's `reportFailure` of each of them is
   * not counted again.
   */
  countedUnauthorized: number;
  /** How long the current token lived when it was issued (or first seen), in ms; the refresh buffer is at most half of it. */
  tokenLifetimeMs: number | undefined;

  /** Set once the credential is marked for rotation (epoch ms). */
  retiring: { replacementId: string; markedAt: number; decommissionAt: number } | undefined;

  // Metrics (requests, successes and failures are counted by the health record).
  inputTokens: number;
  outputTokens: number;
  latencyTotalMs: number;
  latencySamples: number;
  refreshFailures: number;
  /** Epoch ms. */
  firstUsedAt: number | undefined;
  /** Epoch ms. */
  lastUsedAt: number | undefined;
  /** Recent outcomes, 1 = failure, oldest first, at most `OUTCOME_WINDOW`. */
  outcomes: number[];

  // What the refresh strategy sees.
  refreshSamples: number;
  refreshLatencyAverageMs: number;
  refreshFailureRate: number;
  trafficWindowStart: number;
  trafficThisWindow: number;
  trafficPreviousWindow: number;
}

/** A fresh, healthy state (every field present from the start, so all states share one shape). */
export const createCredentialState = (credential: OAuthCredential, tokenLifetimeMs: number | undefined): CredentialState => ({
  credential,
  health: new CredentialHealthRecord(),
  consecutiveRefreshFailures: 0,
  refreshing: undefined,
  forceRefresh: false,
  awaitingProof: false,
  replacedSecrets: [],
  handedOutSinceRefresh: 0,
  countedUnauthorized: 0,
  tokenLifetimeMs,
  retiring: undefined,
  inputTokens: 0,
  outputTokens: 0,
  latencyTotalMs: 0,
  latencySamples: 0,
  refreshFailures: 0,
  firstUsedAt: undefined,
  lastUsedAt: undefined,
  outcomes: [],
  refreshSamples: 0,
  refreshLatencyAverageMs: 0,
  refreshFailureRate: 0,
  trafficWindowStart: 0,
  trafficThisWindow: 0,
  trafficPreviousWindow: 0,
});

/**
 * The lifetime of a credential's token as far as it can be observed now (epoch ms): from its last refresh to its
 * expiry when both are known, else from now; `undefined` without an expiry or when it has already expired.
 */
export function observedLifetimeMs(credential: OAuthCredential, wallNow: number): number | undefined {
  const { expiresAt, lastRefreshAt } = credential;
  if (expiresAt === undefined) return undefined;
  const issuedAt = lastRefreshAt !== undefined && lastRefreshAt < expiresAt && lastRefreshAt <= wallNow ? lastRefreshAt : wallNow;
  const lifetime = expiresAt - issuedAt;
  return lifetime > 0 ? lifetime : undefined;
}

/** Healthy by reports and by refreshes. */
export const isHealthy = (state: CredentialState, refreshFailuresBeforeUnhealthy: number): boolean =>
  state.health.healthy && state.consecutiveRefreshFailures < refreshFailuresBeforeUnhealthy;

/** Records an outcome for the failure rate (1 = failure). */
export function recordOutcome(state: CredentialState, failed: boolean): void {
  if (state.outcomes.push(failed ? 1 : 0) > OUTCOME_WINDOW) state.outcomes.shift();
}

const TRAFFIC_WINDOW_MS = 60_000;

/** Counts one lease in the per-minute traffic estimate (`now` monotonic). */
export function recordTraffic(state: CredentialState, now: number): void {
  const elapsed = now - state.trafficWindowStart;
  if (elapsed >= TRAFFIC_WINDOW_MS) {
    state.trafficPreviousWindow = elapsed < 2 * TRAFFIC_WINDOW_MS ? state.trafficThisWindow : 0;
    state.trafficThisWindow = 0;
    state.trafficWindowStart = now;
  }
  state.trafficThisWindow++;
}

/** Leases per minute, recently: the larger of the last full minute and the current one (`now` monotonic). */
export function requestsPerMinute(state: CredentialState, now: number): number {
  const elapsed = now - state.trafficWindowStart;
  if (elapsed >= 2 * TRAFFIC_WINDOW_MS) return 0;
  if (elapsed >= TRAFFIC_WINDOW_MS) return state.trafficThisWindow;
  return Math.max(state.trafficThisWindow, state.trafficPreviousWindow);
}

/** Folds a refresh outcome into the moving averages the refresh strategy reads (the first sample counts fully). */
export function recordRefreshOutcome(state: CredentialState, latencyMs: number, failed: boolean): void {
  const weight = state.refreshSamples === 0 ? 1 : 0.2;
  state.refreshSamples++;
  state.refreshLatencyAverageMs += (latencyMs - state.refreshLatencyAverageMs) * weight;
  state.refreshFailureRate += ((failed ? 1 : 0) - state.refreshFailureRate) * weight;
}
