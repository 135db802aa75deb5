import { KitError } from './kit-error';
import { describe, expect, it } from 'vitest';
import { credentialBackoffMs, type CredentialBackoffPolicy } from './credential-backoff';

const policy: CredentialBackoffPolicy = { initialBackoffMs: 1000, maxBackoffMs: 60_000, quotaCooldownMs: 3_600_000, jitter: 0 };
const never = () => {
  throw new Error('random must not be called without jitter');
};

describe('credentialBackoffMs', () => {
  it('doubles from initialBackoffMs and caps at maxBackoffMs', () => {
    const schedule = [1, 2, 3, 4, 5, 6, 7, 8, 50, 5000].map((failures) => credentialBackoffMs(failures, undefined, policy, never));
    expect(schedule).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000, 60_000]);
  });

  it('handles a zero initial backoff', () => {
    expect(credentialBackoffMs(2000, undefined, { ...policy, initialBackoffMs: 0 }, never)).toBe(0);
  });

  it('jitters within ±jitter', () => {
    const jittered = { ...policy, jitter: 0.2 };
    expect(credentialBackoffMs(3, undefined, jittered, () => 0)).toBe(3200);
    expect(credentialBackoffMs(3, undefined, jittered, () => 0.5)).toBe(4000);
    expect(credentialBackoffMs(3, undefined, jittered, () => 0.99999)).toBe(4800);
  });

  it('keeps a rate_limit asleep at least retryAfterMs', () => {
    expect(credentialBackoffMs(1, new KitError('rate_limit', 'slow down', { retryAfterMs: 45_000 }), policy, never)).toBe(45_000);
    expect(credentialBackoffMs(3, new KitError('rate_limit', 'slow down', { retryAfterMs: 10 }), policy, never)).toBe(4000);
    // retryAfterMs only counts for rate limits and quotas
    expect(credentialBackoffMs(1, new KitError('server_error', 'busy', { retryAfterMs: 45_000 }), policy, never)).toBe(1000);
  });

  it('cools a quota_exceeded down for quotaCooldownMs or the server’s longer retryAfterMs', () => {
    expect(credentialBackoffMs(1, new KitError('quota_exceeded', 'no credit'), policy, never)).toBe(3_600_000);
    expect(credentialBackoffMs(1, new KitError('quota_exceeded', 'no credit', { retryAfterMs: 86_400_000 }), policy, never)).toBe(86_400_000);
    expect(credentialBackoffMs(7, new KitError('quota_exceeded', 'no credit'), { ...policy, quotaCooldownMs: 0 }, never)).toBe(60_000);
  });

  it('caps transient faults at maxTransientBackoffMs, after jitter; credential faults run the whole schedule', () => {
    const capped = { ...policy, maxTransientBackoffMs: 5_000 };
    for (const code of ['server_error', 'timeout', 'network', 'invalid_response'] as const) {
      expect([1, 2, 3, 4, 9].map((failures) => credentialBackoffMs(failures, new KitError(code, 'x'), capped, never))).toEqual([1000, 2000, 4000, 5000, 5000]);
    }
    expect(credentialBackoffMs(3, new KitError('server_error', 'x'), { ...capped, jitter: 0.5 }, () => 0.99)).toBe(5000);
    expect(credentialBackoffMs(7, new KitError('permission', 'x'), capped, never)).toBe(60_000);
    expect(credentialBackoffMs(7, new KitError('authentication', 'x'), capped, never)).toBe(60_000);
    // Without the cap (a third party's policy), transient faults follow the full schedule as before.
    expect(credentialBackoffMs(7, new KitError('server_error', 'x'), policy, never)).toBe(60_000);
  });

  it('treats a code this copy of core does not know like no error', () => {
    const foreign = new KitError('server_error', 'x');
    (foreign as { code: string }).code = 'brand_new_code';
    expect(credentialBackoffMs(2, foreign, { ...policy, maxTransientBackoffMs: 500 }, never)).toBe(2000);
  });
});
