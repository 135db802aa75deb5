import { describe, expect, it } from 'vitest';
import {
  CredentialHealthRecord,
  credentialFailureDisposition,
  selectPanicCredential,
  credentialDeadlineAsEpochMs,
  soonestCredentialRecoveryMs,
  type CredentialReportMoment,
} from './credential-health';
import { resolveCredentialHealthPolicy, type CredentialHealthOptions } from './credential-health-options';
import type { KitErrorCode } from './error-codes';
import { KitError } from './kit-error';

const NOW = 10_000;
const WALL = 1_700_000_000_000;

const policyOf = (options: CredentialHealthOptions = {}) => resolveCredentialHealthPolicy({ random: () => 0.5, ...options }, 'test pool', 'test');
const error = (code: KitErrorCode, extra: { status?: number; retryAfterMs?: number } = {}) => new KitError(code, `upstream said ${code}`, extra);
const at = (now: number, currentSequence: number, sequence?: number): CredentialReportMoment => ({ now, wallNow: WALL + now, currentSequence, sequence });

describe('CredentialHealthRecord', () => {
  it('starts healthy and available, with nothing counted', () => {
    const record = new CredentialHealthRecord();
    expect(record.availableAt()).toBe(0);
    expect(record).toMatchObject({ healthy: true, disabled: false, consecutiveFailures: 0, requests: 0, successes: 0, failures: 0 });
  });

  it('counts one failure event per burst: failures of leases handed out before the event are stale', () => {
    const policy = policyOf();
    const record = new CredentialHealthRecord();
    for (let sequence = 1; sequence <= 5; sequence++) record.handOut(NOW, policy);
    expect(record.recordFailure(error('server_error'), at(NOW, 5, 3), policy)).toBe('counted');
    for (const sequence of [1, 2, 4, 5]) expect(record.recordFailure(error('server_error'), at(NOW, 5, sequence), policy)).toBe('stale');
    expect(record).toMatchObject({ consecutiveFailures: 1, failures: 5, transientCooldownUntil: NOW + 1000, failureSequence: 5 });
    // A lease handed out after the event fails: a new event.
    expect(record.recordFailure(error('server_error'), at(NOW, 6, 6), policy)).toBe('counted');
    expect(record).toMatchObject({ consecutiveFailures: 2, transientCooldownUntil: NOW + 2000 });
  });

  it('does not count a failure of a lease handed out before the last success', () => {
    const policy = policyOf();
    const record = new CredentialHealthRecord();
    expect(record.recordSuccess(at(NOW, 8, 8))).toBe('counted');
    expect(record.recordFailure(error('permission'), at(NOW, 9, 7), policy)).toBe('stale');
    expect(record).toMatchObject({ consecutiveFailures: 0, failures: 1, penaltyUntil: 0 });
  });

  it('counts every report without a sequence (as before)', () => {
    const policy = policyOf();
    const record = new CredentialHealthRecord();
    for (let n = 0; n < 3; n++) record.recordFailure(error('permission'), at(NOW, 0), policy);
    expect(record).toMatchObject({ consecutiveFailures: 3, healthy: false, penaltyUntil: NOW + 4000 });
  });

  it('a late success (sent before the current cooldown began) counts but resets nothing', () => {
    const policy = policyOf();
    const record = new CredentialHealthRecord();
    record.recordFailure(error('rate_limit', { retryAfterMs: 30_000 }), at(NOW, 4, 4), policy);
    expect(record.recordSuccess(at(NOW + 1, 4, 2))).toBe('stale');
    expect(record).toMatchObject({ successes: 1, penaltyUntil: NOW + 30_000, consecutiveFailures: 1, lastSuccessAt: WALL + NOW + 1 });
    expect(record.recordSuccess(at(NOW + 2, 5, 5))).toBe('counted');
    expect(record).toMatchObject({ penaltyUntil: 0, consecutiveFailures: 0, healthy: true, successSequence: 5 });
  });

  it('keeps transient cooldowns apart from penalties; only the transient kind is cut short by a hand-out', () => {
    const policy = policyOf();
    const record = new CredentialHealthRecord();
    record.recordFailure(error('timeout'), at(NOW, 0), policy);
    expect(record.coolsOnlyTransiently(NOW)).toBe(true);
    record.handOut(NOW, policy);
    expect(record.availableAt()).toBe(0);
    record.recordFailure(error('rate_limit', { retryAfterMs: 20_000 }), at(NOW, 1), policy);
    record.recordFailure(error('network'), at(NOW, 2), policy);
    expect(record.coolsOnlyTransiently(NOW)).toBe(false);
    expect(record.cooldownUntil()).toBe(NOW + 20_000);
  });

  it('never shortens a cooldown in force; a later, longer one extends it', () => {
    const policy = policyOf();
    const record = new CredentialHealthRecord();
    record.recordFailure(error('quota_exceeded'), at(NOW, 0), policy);
    record.recordFailure(error('permission'), at(NOW, 0), policy);
    expect(record.penaltyUntil).toBe(NOW + 3_600_000);
    record.recordFailure(error('quota_exceeded', { retryAfterMs: 7_200_000 }), at(NOW + 5, 0), policy);
    expect(record.penaltyUntil).toBe(NOW + 5 + 7_200_000);
  });

  it('honours a server’s longer wait even from a stale report, without counting an event', () => {
    const policy = policyOf();
    const record = new CredentialHealthRecord();
    record.recordFailure(error('rate_limit', { retryAfterMs: 5_000 }), at(NOW, 3, 3), policy);
    expect(record.recordFailure(error('rate_limit', { retryAfterMs: 60_000 }), at(NOW, 3, 2), policy)).toBe('stale');
    expect(record).toMatchObject({ penaltyUntil: NOW + 60_000, consecutiveFailures: 1 });
    // A stale transient fault extends nothing.
    expect(record.recordFailure(error('server_error'), at(NOW, 3, 1), policy)).toBe('stale');
    expect(record.transientCooldownUntil).toBe(0);
  });

  it('marks an unhealthy credential handed out as a probe for one more cooldown (at least initialBackoffMs)', () => {
    const policy = policyOf();
    const record = new CredentialHealthRecord();
    for (let n = 0; n < 3; n++) record.recordFailure(error('permission'), at(NOW, 0), policy);
    record.handOut(NOW + 4000, policy);
    expect(record.probeUntil).toBe(NOW + 4000 + 4000);
    const healthy = new CredentialHealthRecord();
    healthy.handOut(NOW, policy);
    expect(healthy.probeUntil).toBe(0);
    healthy.handOut(NOW, policy, true);
    expect(healthy.probeUntil).toBe(NOW + 1000);
  });

  it('disables by rule until enabled or a counted success; a disabled credential cannot be waited for', () => {
    const policy = policyOf({ policies: { 401: { action: 'disable' } } });
    const record = new CredentialHealthRecord();
    expect(record.recordFailure(error('authentication', { status: 401 }), at(NOW, 2, 2), policy)).toBe('counted');
    expect(record).toMatchObject({ disabled: true, healthy: false });
    expect(record.availableAt()).toBe(Number.POSITIVE_INFINITY);
    expect(record.coolsOnlyTransiently(NOW)).toBe(false);
    expect(soonestCredentialRecoveryMs([{ health: record }], NOW)).toBeUndefined();
    expect(record.recordSuccess(at(NOW, 2, 1))).toBe('stale');
    expect(record.disabled).toBe(true);
    record.enable();
    expect(record).toMatchObject({ disabled: false, healthy: true, consecutiveFailures: 0 });
    record.recordFailure(error('authentication', { status: 401 }), at(NOW, 3, 3), policy);
    expect(record.recordSuccess(at(NOW, 3))).toBe('counted');
    expect(record.disabled).toBe(false);
  });

  it('exempt failures drive the backoff but not unhealthyAfter, and can be forgiven', () => {
    const policy = policyOf();
    const record = new CredentialHealthRecord();
    record.recordFailure(error('network'), at(NOW, 0), policy, true);
    record.recordFailure(error('network'), at(NOW, 0), policy, true);
    record.recordFailure(error('server_error'), at(NOW, 0), policy);
    expect(record).toMatchObject({ consecutiveFailures: 3, exemptFailures: 2, healthy: true, transientCooldownUntil: NOW + 4000 });
    record.forgiveExemptFailures();
    expect(record).toMatchObject({ consecutiveFailures: 1, exemptFailures: 0, transientCooldownUntil: NOW + 4000 });
    record.recordFailure(error('network'), at(NOW, 0), policy, true);
    record.forgiveExemptFailures();
    expect(record.consecutiveFailures).toBe(1);
    const onlyExempt = new CredentialHealthRecord();
    onlyExempt.recordFailure(error('network'), at(NOW, 0), policy, true);
    onlyExempt.forgiveExemptFailures();
    expect(onlyExempt).toMatchObject({ consecutiveFailures: 0, transientCooldownUntil: 0, healthy: true });
  });

  it('a hold is kept through successes and only released explicitly; skips are set and lifted', () => {
    const record = new CredentialHealthRecord();
    record.hold(NOW + 60_000);
    record.hold(NOW + 1_000);
    record.recordSuccess(at(NOW, 0));
    expect(record.availableAt()).toBe(NOW + 60_000);
    record.releaseHold();
    record.skipUntil(NOW + 5);
    expect(record.availableAt()).toBe(NOW + 5);
    record.skipUntil(0);
    expect(record.availableAt()).toBe(0);
  });
});

describe('credentialFailureDisposition', () => {
  it('follows the classification without rules', () => {
    const policy = policyOf();
    expect(credentialFailureDisposition(error('server_error'), policy)).toEqual({ action: 'cooldown', transient: true });
    expect(credentialFailureDisposition(error('rate_limit'), policy)).toEqual({ action: 'cooldown', transient: false });
    expect(credentialFailureDisposition(error('invalid_request'), policy)).toEqual({ action: 'ignore', transient: false });
    const foreign = error('server_error');
    (foreign as { code: string }).code = 'brand_new_code';
    expect(credentialFailureDisposition(foreign, policy).action).toBe('ignore');
  });

  it('prefers a rule for the status over one for the code', () => {
    const policy = policyOf({
      policies: { 403: { action: 'disable' }, permission: { cooldownMs: 10 }, 500: { action: 'ignore' }, not_found: { cooldownMs: 7 } },
    });
    expect(credentialFailureDisposition(error('permission', { status: 403 }), policy)).toEqual({ action: 'disable', transient: false, cooldownMs: undefined });
    expect(credentialFailureDisposition(error('permission'), policy)).toEqual({ action: 'cooldown', transient: false, cooldownMs: 10 });
    expect(credentialFailureDisposition(error('server_error', { status: 500 }), policy).action).toBe('ignore');
    expect(credentialFailureDisposition(error('server_error', { status: 502 }), policy).action).toBe('cooldown');
    expect(credentialFailureDisposition(error('not_found', { status: 404 }), policy)).toEqual({ action: 'cooldown', transient: false, cooldownMs: 7 });
  });

  it('applies a rule’s cooldown exactly, unless the server asks a longer wait on a rate limit or quota error', () => {
    const policy = policyOf({ policies: { 429: { cooldownMs: 30_000 }, 503: { cooldownMs: 20_000 } } });
    const record = new CredentialHealthRecord();
    record.recordFailure(error('rate_limit', { status: 429, retryAfterMs: 2_000 }), at(NOW, 0), policy);
    expect(record.penaltyUntil).toBe(NOW + 30_000);
    record.recordFailure(error('rate_limit', { status: 429, retryAfterMs: 90_000 }), at(NOW, 0), policy);
    expect(record.penaltyUntil).toBe(NOW + 90_000);
    // An explicit duration for a transient status is not capped by maxTransientBackoffMs.
    record.recordFailure(error('server_error', { status: 503, retryAfterMs: 99_000 }), at(NOW, 0), policy);
    expect(record.transientCooldownUntil).toBe(NOW + 20_000);
  });
});

describe('pool helpers', () => {
  const pool = () => {
    const policy = policyOf();
    const items = ['a', 'b', 'c', 'd'].map((id) => ({ id, health: new CredentialHealthRecord() }));
    const [a, b, c, d] = items as [(typeof items)[0], (typeof items)[0], (typeof items)[0], (typeof items)[0]];
    a.health.recordFailure(error('rate_limit', { retryAfterMs: 30_000 }), at(NOW, 0), policy);
    b.health.recordFailure(error('server_error'), at(NOW, 0), policy);
    b.health.recordFailure(error('server_error'), at(NOW, 0), policy);
    c.health.recordFailure(error('timeout'), at(NOW, 0), policy);
    d.health.recordFailure(error('quota_exceeded'), at(NOW, 0), policy);
    return { items, a, b, c, d };
  };

  it('selectPanicCredential picks the soonest transient cooldown, skipping penalised and excluded ones', () => {
    const { items, b, c } = pool();
    expect(selectPanicCredential(items, NOW)).toBe(c);
    expect(selectPanicCredential(items, NOW, (item) => item.id === 'c')).toBe(b);
    expect(selectPanicCredential(items, NOW, (item) => item.id !== 'a')).toBeUndefined();
  });

  it('soonestCredentialRecoveryMs is the wait for the soonest candidate, undefined when none is left', () => {
    const { items } = pool();
    expect(soonestCredentialRecoveryMs(items, NOW)).toBe(1000);
    expect(soonestCredentialRecoveryMs(items, NOW, (item) => item.id === 'c')).toBe(2000);
    expect(soonestCredentialRecoveryMs(items, NOW, (item) => item.id !== 'a')).toBe(30_000);
    expect(soonestCredentialRecoveryMs(items, NOW + 600)).toBe(400);
    expect(soonestCredentialRecoveryMs(items, NOW + 10_000_000)).toBe(0);
    expect(soonestCredentialRecoveryMs(items, NOW, () => true)).toBeUndefined();
    expect(soonestCredentialRecoveryMs([], NOW)).toBeUndefined();
  });

  it('credentialDeadlineAsEpochMs converts a monotonic deadline to epoch ms while it is ahead', () => {
    expect(credentialDeadlineAsEpochMs(NOW + 250, NOW, WALL)).toBe(WALL + 250);
    expect(credentialDeadlineAsEpochMs(NOW, NOW, WALL)).toBeUndefined();
    expect(credentialDeadlineAsEpochMs(0, NOW, WALL)).toBeUndefined();
  });
});
