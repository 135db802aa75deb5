import type { KitError, KitErrorCode } from '@kit/core';
import type { OAuthCredential } from './oauth-credential';

/** How many recent outcomes the failure rate of a credential is judged over. */
export const OUTCOME_WINDOW = 100;

/** The mutable bookkeeping of one credential (internal; never leaves the manager). */
export interface CredentialState {
  /** The live credential, secrets included. */
  credential: OAuthCredential;

  // Health as in KeyManager: failures reported by the engine (failed refreshes also count here, for the backoff).
  /** False after `unhealthyAfter` consecutive ordinary failures (failed refreshes not counted); true again after one success. */
  reportsHealthy: boolean;
  consecutiveFailures: number;
  /** Epoch ms until which the credential sleeps after a failure; 0 = none. */
  backoffUntil: number;
  /** Epoch ms until which the credential is skipped because its rate limit is used up; 0 = none. */
  rateLimitedUntil: number;
  /** An unhealthy credential handed out as a probe is not preferred again before this time; 0 = none. */
  probeUntil: number;
  lastSuccessAt: number | undefined;
  lastFailureAt: number | undefined;
  lastErrorCode: KitErrorCode | undefined;

  // Refresh health: only a successful refresh clears it.
  consecutiveRefreshFailures: number;
  /** How many of the `consecutiveFailures` were failed refreshes (a successful refresh forgives those). */
  refreshFailuresInStreak: number;
  /** Epoch ms until which the credential sleeps after `refreshFailuresBeforeUnhealthy` refresh failures; 0 = none. */
  refreshBackoffUntil: number;
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

  /** Set once the credential is marked for rotation. */
  retiring: { replacementId: string; markedAt: number; decommissionAt: number } | undefined;

  // Metrics.
  requests: number;
  successes: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  latencyTotalMs: number;
  latencySamples: number;
  refreshFailures: number;
  firstUsedAt: number | undefined;
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
export const createCredentialState = (credential: OAuthCredential): CredentialState => ({
  credential,
  reportsHealthy: true,
  consecutiveFailures: 0,
  backoffUntil: 0,
  rateLimitedUntil: 0,
  probeUntil: 0,
  lastSuccessAt: undefined,
  lastFailureAt: undefined,
  lastErrorCode: undefined,
  consecutiveRefreshFailures: 0,
  refreshFailuresInStreak: 0,
  refreshBackoffUntil: 0,
  refreshing: undefined,
  forceRefresh: false,
  awaitingProof: false,
  replacedSecrets: [],
  handedOutSinceRefresh: 0,
  countedUnauthorized: 0,
  retiring: undefined,
  requests: 0,
  successes: 0,
  errors: 0,
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

/** Epoch ms from which the credential may be handed out (≤ now means: available). */
export const availableAt = (state: CredentialState): number =>
  Math.max(state.backoffUntil, state.refreshBackoffUntil, state.rateLimitedUntil);

/** Healthy by reports and by refreshes. */
export const isHealthy = (state: CredentialState, refreshFailuresBeforeUnhealthy: number): boolean =>
  state.reportsHealthy && state.consecutiveRefreshFailures < refreshFailuresBeforeUnhealthy;

/** Records an outcome for the failure rate (1 = failure). */
export function recordOutcome(state: CredentialState, failed: boolean): void {
  if (state.outcomes.push(+failed) > OUTCOME_WINDOW) state.outcomes.shift();
}

const TRAFFIC_WINDOW_MS = 60_000;

/** Counts one lease in the per-minute traffic estimate. */
export function recordTraffic(state: CredentialState, now: number): void {
  const elapsed = now - state.trafficWindowStart;
  if (elapsed >= TRAFFIC_WINDOW_MS) {
    state.trafficPreviousWindow = elapsed < 2 * TRAFFIC_WINDOW_MS ? state.trafficThisWindow : 0;
    state.trafficThisWindow = 0;
    state.trafficWindowStart = now;
  }
  state.trafficThisWindow++;
}

/** Leases per minute, recently: the larger of the last full minute and the current one. */
export function requestsPerMinute(state: CredentialState, now: number): number {
  const elapsed = now - state.trafficWindowStart;
  if (elapsed >= 2 * TRAFFIC_WINDOW_MS) return 0;
  if (elapsed >= TRAFFIC_WINDOW_MS) return state.trafficThisWindow;
  return Math.max(state.trafficThisWindow, state.trafficPreviousWindow);
}

/** Folds a refresh outcome into the moving averages the refresh strategy reads (the first sample counts fully). */
export function recordRefreshOutcome(state: CredentialState, latencyMs: number, failed: boolean): void {
  const weight = state.refreshSamples++ ? 0.2 : 1;
  state.refreshLatencyAverageMs += (latencyMs - state.refreshLatencyAverageMs) * weight;
  state.refreshFailureRate += (+failed - state.refreshFailureRate) * weight;
}
