import { credentialBackoffMs } from './credential-backoff';
import type { CredentialFailureAction, CredentialHealthPolicy } from './credential-health-options';
import { policyOf, type KitErrorCode } from './error-codes';
import type { KitError } from './kit-error';

/** When and about which hand-out a report arrives (every time on the pool's monotonic clock). */
export interface CredentialReportMoment {
  /** Monotonic ms now. */
  now: number;
  /** Epoch ms now (for `lastSuccessAt` / `lastFailureAt`). */
  wallNow: number;
  /** The pool's latest hand-out sequence (the source's counter, now). */
  currentSequence: number;
  /** `CredentialLease.sequence` of the attempt reported; absent for reports that name no lease (counted as today). */
  sequence?: number;
}

/**
 * What a failure report did:
 * - `'counted'`: a new failure event (consecutive failures +1, cooldown or disable, maybe unhealthy);
 * - `'stale'`: the failure of a request handed out before the credential's last success or before the failure that
 *   started its current cooldown — part of an event already counted: only the `failures` total grows (and a server's
 *   own `retryAfterMs` on a rate limit or quota error is still honoured: it is a fact, not our guess);
 * - `'ignored'`: the classification or a pool rule says the failure is not the credential's business.
 */
export type CredentialFailureOutcome = 'counted' | 'stale' | 'ignored';

/** What a success report did: `'counted'` resets the credential; `'stale'` (sent before its current cooldown began) only counts. */
export type CredentialSuccessOutcome = 'counted' | 'stale';

/** How the pool treats one failure: the rule for its status or code, else the classification. */
export interface CredentialFailureDisposition {
  action: CredentialFailureAction;
  /** A fault that hits every credential alike (5xx, timeouts, resets, garbage): a short cooldown the pool may cut short (panic). */
  transient: boolean;
  /** An explicit cooldown from a rule, in ms. */
  cooldownMs?: number;
}

/** The disposition of `error` under `policy`: a rule for its HTTP status, else for its code, else the classification. */
export function credentialFailureDisposition(error: KitError, policy: CredentialHealthPolicy): CredentialFailureDisposition {
  const classification = policyOf(error.code);
  const rules = policy.rules;
  const rule = rules && ((error.status === undefined ? undefined : rules[String(error.status)]) ?? rules[error.code]);
  if (rule) return { action: rule.action ?? 'cooldown', transient: classification.transient, cooldownMs: rule.cooldownMs };
  return { action: classification.penalisesCredential ? 'cooldown' : 'ignore', transient: classification.transient };
}

/**
 * The health of one credential in a pool: a small record with named transitions, shared by `KeyManager` and
 * `OAuthManager`. Every deadline is on the pool's monotonic clock (ms); `0` means none.
 *
 * - {@link handOut} — the credential leaves for a request (ends a transient cooldown: panic mode hands out a cooling one);
 * - {@link recordSuccess} / {@link recordFailure} — a report about a request, judged by its lease `sequence` so that N
 *   concurrent failures are one failure event;
 * - {@link enable}, {@link skipUntil}, {@link hold} / {@link releaseHold}, {@link forgiveExemptFailures} — the rest.
 *
 * Cooldowns come in two kinds, after Envoy's split between gateway errors and the rest: a *transient* one (a fault that
 * hits every credential alike; short, capped, and cut short when the whole pool cools for such reasons) and a
 * *penalty* (the credential's own fault: a rate limit, a revoked key, an exhausted quota), which is never cut short and
 * never shortened by a later, shorter report.
 */
export class CredentialHealthRecord {
  /** False after `unhealthyAfter` consecutive failure events (exempt ones not counted) or a disable; true after a success. */
  healthy = true;
  /** Out until enabled: a rule with action `'disable'` matched a failure. */
  disabled = false;
  /** Failure events in a row since the last success. */
  consecutiveFailures = 0;
  /** Of `consecutiveFailures`, those that do not count toward `unhealthyAfter` (OAuthManager: failed refreshes). */
  exemptFailures = 0;
  /** End of the cooldown after a transient fault. */
  transientCooldownUntil = 0;
  /** End of the cooldown after a fault of the credential itself (rate limit, quota, authentication, …). */
  penaltyUntil = 0;
  /** End of a skip because the credential's rate limit is used up (from rate-limit headers; not a failure). */
  rateLimitedUntil = 0;
  /** End of a hold the pool set for its own reasons (OAuthManager: the refresh backoff); reports never lift it. */
  heldUntil = 0;
  /** An unhealthy credential handed out as a probe is not preferred again before this time. */
  probeUntil = 0;
  /** Length of the last cooldown started, in ms. */
  lastCooldownMs = 0;
  /** The pool's hand-out sequence when the last counted success was recorded. */
  successSequence = 0;
  /** The pool's hand-out sequence when the last counted failure was recorded (its cooldown began). */
  failureSequence = 0;
  lastSuccessAt: number | undefined = undefined;
  lastFailureAt: number | undefined = undefined;
  lastErrorCode: KitErrorCode | undefined = undefined;
  /** Hand-outs. */
  requests = 0;
  /** Successful requests reported (stale ones included). */
  successes = 0;
  /** Failed requests reported against the credential (stale ones included; ignored ones not). */
  failures = 0;

  /** Monotonic ms from which the credential may be handed out (`Infinity` while disabled). */
  availableAt(): number {
    if (this.disabled) return Infinity;
    return Math.max(this.transientCooldownUntil, this.penaltyUntil, this.rateLimitedUntil, this.heldUntil);
  }

  /** End of the cooldown in force (transient or penalty), or 0. */
  cooldownUntil(): number {
    return Math.max(this.transientCooldownUntil, this.penaltyUntil);
  }

  /**
   * Whether only a transient cooldown keeps the credential out at `now`: no penalty, hold, rate-limit skip or disable.
   * When every candidate of a pool is either out for good or in this state, the pool hands out the one whose cooldown
   * ends soonest instead of refusing calls (panic mode, as Envoy's panic threshold).
   */
  coolsOnlyTransiently(now: number): boolean {
    return !this.disabled && this.transientCooldownUntil > now && this.penaltyUntil <= now && this.rateLimitedUntil <= now && this.heldUntil <= now;
  }

  /**
   * The credential is handed out. A transient cooldown in force ends now (panic mode: from this moment the credential
   * is reported available). An unhealthy credential handed out is a probe: healthy ones go first until it is reported,
   * or one more cooldown (at least `initialBackoffMs`) passes.
   */
  handOut(now: number, policy: CredentialHealthPolicy, probe = !this.healthy): void {
    this.requests++;
    if (this.transientCooldownUntil > now) this.transientCooldownUntil = 0;
    if (probe) this.probeUntil = now + Math.max(this.lastCooldownMs, policy.initialBackoffMs);
  }

  /**
   * A request succeeded. Unless it is stale (its lease was handed out before the failure that started the current
   * cooldown), the credential is reset: no consecutive failures, no cooldown, enabled, healthy.
   */
  recordSuccess(moment: CredentialReportMoment): CredentialSuccessOutcome {
    this.successes++;
    this.lastSuccessAt = moment.wallNow;
    if (moment.sequence !== undefined && moment.sequence <= this.failureSequence) return 'stale';
    this.successSequence = moment.currentSequence;
    this.healthy = true;
    this.disabled = false;
    this.consecutiveFailures = this.exemptFailures = 0;
    this.transientCooldownUntil = this.penaltyUntil = this.probeUntil = this.lastCooldownMs = 0;
    return 'counted';
  }

  /**
   * A request failed with `error`. With a lease `sequence` at most the one current at the credential's last success or
   * at the failure that started its current cooldown, the failure is stale (see {@link CredentialFailureOutcome}).
   * Otherwise it is a failure event: consecutive failures +1 and, by the rule for its status or code (else its
   * classification), a cooldown — never shortening one in force — or a disable. `exempt`: the failure does not count
   * toward `unhealthyAfter`.
   */
  recordFailure(error: KitError, moment: CredentialReportMoment, policy: CredentialHealthPolicy, exempt = false): CredentialFailureOutcome {
    const disposition = credentialFailureDisposition(error, policy);
    if (disposition.action === 'ignore') return 'ignored';
    this.failures++;
    const now = moment.now;
    const { sequence } = moment;
    if (sequence !== undefined && sequence <= Math.max(this.successSequence, this.failureSequence)) {
      const serverWait = error.retryAfterMs;
      const serverDeadline = error.code === 'rate_limit' || error.code === 'quota_exceeded';
      if (disposition.action === 'cooldown' && serverDeadline && serverWait !== undefined && serverWait > 0) {
        this.penaltyUntil = Math.max(this.penaltyUntil, now + serverWait);
      }
      return 'stale';
    }
    this.failureSequence = moment.currentSequence;
    const failures = ++this.consecutiveFailures;
    if (exempt) this.exemptFailures++;
    this.lastFailureAt = moment.wallNow;
    this.lastErrorCode = error.code;
    this.probeUntil = 0;
    if (disposition.action === 'disable') {
      this.disabled = true;
      this.healthy = false;
      this.lastCooldownMs = 0;
      return 'counted';
    }
    const cooldownMs =
      disposition.cooldownMs === undefined ? credentialBackoffMs(failures, error, policy, policy.random) : explicitCooldownMs(disposition.cooldownMs, error);
    this.lastCooldownMs = cooldownMs;
    // A later, longer cooldown extends the one in force; an earlier, shorter one never shortens it.
    if (disposition.transient) this.transientCooldownUntil = Math.max(this.transientCooldownUntil, now + cooldownMs);
    else this.penaltyUntil = Math.max(this.penaltyUntil, now + cooldownMs);
    if (failures - this.exemptFailures >= policy.unhealthyAfter) this.healthy = false;
    return 'counted';
  }

  /**
   * Forgives the exempt failures of the current streak (OAuthManager: a refresh that works forgives the failed
   * refreshes); with nothing else in the streak, the cooldown ends and the credential is healthy by reports again.
   */
  forgiveExemptFailures(): void {
    this.consecutiveFailures -= this.exemptFailures;
    this.exemptFailures = 0;
    if (this.consecutiveFailures > 0) return;
    this.consecutiveFailures = 0;
    this.transientCooldownUntil = this.penaltyUntil = 0;
    if (!this.disabled) this.healthy = true;
  }

  /** Enables a disabled credential (`enableKey` / `enableCredential`): healthy, no failures, no cooldown. */
  enable(): void {
    this.disabled = false;
    this.healthy = true;
    this.consecutiveFailures = this.exemptFailures = 0;
    this.transientCooldownUntil = this.penaltyUntil = this.probeUntil = 0;
  }

  /** Rate-limit headers say no request is left until `until` (monotonic ms): skip the credential until then; `0` lifts the skip. */
  skipUntil(until: number): void {
    this.rateLimitedUntil = until;
  }

  /** Holds the credential back until `until` (monotonic ms), never shortening a hold in force. */
  hold(until: number): void {
    this.heldUntil = Math.max(this.heldUntil, until);
  }

  /** Lifts the hold. */
  releaseHold(): void {
    this.heldUntil = 0;
  }
}

/** A rule's explicit cooldown; a server's longer wait on a rate limit or quota error still wins. */
function explicitCooldownMs(cooldownMs: number, error: KitError): number {
  const serverDeadline = error.code === 'rate_limit' || error.code === 'quota_exceeded';
  return serverDeadline ? Math.max(cooldownMs, error.retryAfterMs ?? 0) : cooldownMs;
}

/** Anything in a pool that has a health record (a key, an OAuth account). */
export interface WithCredentialHealth {
  readonly health: CredentialHealthRecord;
}

/**
 * Panic mode: when no candidate is available, the one (outside `isExcluded`) whose only obstacle is a transient
 * cooldown ending soonest — or `undefined` when none is in that state (every candidate is out for good, penalised,
 * rate-limited, held or excluded).
 */
export function selectPanicCredential<T extends WithCredentialHealth>(items: readonly T[], now: number, isExcluded?: (item: T) => boolean): T | undefined {
  let best: T | undefined;
  for (const item of items) {
    if (!item.health.coolsOnlyTransiently(now) || isExcluded?.(item)) continue;
    if (!best || item.health.transientCooldownUntil < best.health.transientCooldownUntil) best = item;
  }
  return best;
}

/**
 * Time until the soonest candidate (outside `isExcluded`, not disabled) may be handed out again, ≥ 0 — the
 * `retryAfterMs` of `credentials_exhausted` — or `undefined` when nothing can be waited for.
 */
export function soonestCredentialRecoveryMs<T extends WithCredentialHealth>(
  items: readonly T[],
  now: number,
  isExcluded?: (item: T) => boolean,
): number | undefined {
  let soonest = Infinity;
  for (const item of items) {
    if (item.health.disabled || isExcluded?.(item)) continue;
    soonest = Math.min(soonest, item.health.availableAt());
  }
  return soonest === Infinity ? undefined : Math.max(0, soonest - now);
}

/** A monotonic deadline as epoch ms for reports: `wallNow + (until − now)`; `undefined` unless it is still ahead. */
export function credentialDeadlineAsEpochMs(until: number, now: number, wallNow: number): number | undefined {
  return until > now ? wallNow + (until - now) : undefined;
}
