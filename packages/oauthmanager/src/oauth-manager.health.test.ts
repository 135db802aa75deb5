// OAuthManager on core's credential health machine: concurrent reports by lease sequence, panic mode, per-status rules,
// the monotonic clock, refresh buffers for short-lived tokens, and user updates that land during a refresh.
import type { CredentialLease, KitError } from '@kit/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RefreshFunction } from './oauth-credential';
import { OAuthManager } from './oauth-manager';
import {
  accessTokenOf,
  credential,
  expectNoSecrets,
  HOUR,
  kitError,
  MINUTE,
  refreshTokenOf,
  rejectionOf,
  scriptedRefresh,
  secretsIn,
  setup,
  START,
} from './test-helpers';

const concurrentLeases = (manager: OAuthManager, count: number) => Promise.all(Array.from({ length: count }, () => manager.acquire()));

const failAll = (manager: OAuthManager, leases: readonly CredentialLease[], error: () => KitError) =>
  Promise.all([...leases].reverse().map(async (lease) => manager.reportFailure(lease.id, error(), { sequence: lease.sequence })));

afterEach(() => {
  vi.useRealTimers();
});

describe('concurrent failures are one failure event', () => {
  it('50 concurrent leases of one credential then 50 server errors: one event, backoff 1 s', async () => {
    const { manager, clock, ofType } = setup([credential('a')], scriptedRefresh().refresh);
    const leases = await concurrentLeases(manager, 50);
    await failAll(manager, leases, () => kitError('server_error', { status: 500 }));
    expect(manager.getCredentialHealth('a')).toMatchObject({ consecutiveFailures: 1, healthy: true, backoffUntil: clock.time + 1000 });
    expect(manager.getCredentialMetrics('a')).toMatchObject({ requests: 50, errors: 50 });
    expect(ofType('credential-failure')).toEqual([expect.objectContaining({ consecutiveFailures: 1, backoffMs: 1000 })]);
  });

  it('keeps the schedule 1 s → 2 s → 4 s … 60 s when each step has 50 concurrent in-flight failures', async () => {
    const { manager, clock } = setup([credential('a', { expiresAt: START + 100 * HOUR })], scriptedRefresh().refresh);
    const sleeps: number[] = [];
    for (let step = 0; step < 8; step++) {
      const leases = await concurrentLeases(manager, 50);
      await failAll(manager, leases, () => kitError('permission', { status: 403 }));
      const sleep = manager.getCredentialHealth('a')!.backoffUntil! - clock.time;
      sleeps.push(sleep);
      clock.time += sleep;
    }
    expect(sleeps).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
  });

  it('a late success does not lift the cooldown a newer failure started', async () => {
    const { manager, clock } = setup([credential('a'), credential('b')], scriptedRefresh().refresh);
    const early = await manager.acquire({ id: 'a' });
    const late = await manager.acquire({ id: 'a' });
    manager.reportFailure('a', kitError('rate_limit', { retryAfterMs: 20_000 }), { sequence: late.sequence });
    manager.reportSuccess('a', { sequence: early.sequence, latencyMs: 40 });
    expect(manager.getCredentialHealth('a')).toMatchObject({ available: false, backoffUntil: clock.time + 20_000 });
    expect(manager.getCredentialMetrics('a')).toMatchObject({ successes: 1, averageLatencyMs: 40 });
    // A late, shorter rate limit does not shorten it.
    manager.reportFailure('a', kitError('rate_limit', { retryAfterMs: 1_000 }), { sequence: early.sequence });
    expect(manager.getCredentialHealth('a')!.backoffUntil).toBe(clock.time + 20_000);
  });
});

describe('panic mode', () => {
  it('pool [revoked, good], 50 concurrent server errors on good: acquire keeps handing out good, shown available', async () => {
    const { manager } = setup([credential('revoked'), credential('good')], scriptedRefresh().refresh);
    manager.reportFailure('revoked', kitError('authentication', { status: 401 }));
    const leases = await concurrentLeases(manager, 50);
    expect(new Set(leases.map((lease) => lease.id))).toEqual(new Set(['good']));
    await failAll(manager, leases, () => kitError('server_error', { status: 503 }));
    for (let call = 0; call < 50; call++) {
      expect((await manager.acquire()).id).toBe('good');
      const good = manager.getCredentialHealth('good')!;
      expect(good.available).toBe(true);
      expect(good.backoffUntil).toBeUndefined();
    }
    expect(manager.getCredentialMetrics('revoked')!.requests).toBe(0);
  });

  it('never hands out a credential in refresh backoff; credentials_exhausted waits for its end', async () => {
    const { refresh } = scriptedRefresh({ fail: () => kitError('network') });
    const { manager, clock } = setup([credential('a')], refresh, { refreshFailuresBeforeUnhealthy: 1 });
    clock.time = START + 2 * HOUR;
    const error = await rejectionOf(manager.acquire());
    expect(error).toMatchObject({ code: 'credentials_exhausted', retryAfterMs: 60_000 });
    // The transient cooldown of the failed refresh alone would be cut short; the refresh backoff is not.
    clock.time += 1000;
    expect(await rejectionOf(manager.acquire())).toMatchObject({ code: 'credentials_exhausted', retryAfterMs: 59_000 });
  });
});

describe('per-status policies', () => {
  it('{ 401: { action: "disable" } } takes a credential out until enableCredential; by default it cools down', async () => {
    const { refresh, calls } = scriptedRefresh();
    const { manager, clock, ofType } = setup([credential('a'), credential('b')], refresh, { policies: { 401: { action: 'disable' } } });
    manager.reportFailure('a', kitError('authentication', { status: 401 }));
    clock.time += 10 * MINUTE;
    expect(manager.getCredentialHealth('a')).toMatchObject({ disabled: true, available: false, healthy: false });
    expect(manager.getHealthSummary()).toMatchObject({ disabled: 1, available: 1 });
    expect((await manager.acquire()).id).toBe('b');
    expect((await manager.acquire()).id).toBe('b');
    manager.enableCredential('a');
    expect(manager.getCredentialHealth('a')).toMatchObject({ disabled: false, available: true, healthy: true });
    expect(ofType('credential-recovered')).toEqual([expect.objectContaining({ credentialId: 'a' })]);
    // The 401 marked the token for a refresh before its next use.
    expect((await manager.acquire({ id: 'a' })).secret).toBe(accessTokenOf('a', 1));
    expect(calls).toHaveLength(1);
    expect(() => manager.enableCredential('nope')).toThrow(expect.objectContaining({ code: 'invalid_config' }));

    const byDefault = setup([credential('a')], scriptedRefresh().refresh);
    byDefault.manager.reportFailure('a', kitError('authentication', { status: 401 }));
    expect(byDefault.manager.getCredentialHealth('a')).toMatchObject({ disabled: false, backoffUntil: byDefault.clock.time + 1000 });
  });

  it('429 with a custom cooldown; validation names a bad rule', () => {
    const { manager, clock } = setup([credential('a')], scriptedRefresh().refresh, { policies: { 429: { cooldownMs: 45_000 } } });
    manager.reportFailure('a', kitError('rate_limit', { status: 429, retryAfterMs: 1000 }));
    expect(manager.getCredentialHealth('a')!.backoffUntil).toBe(clock.time + 45_000);
    expect(() => setup([credential('a')], scriptedRefresh().refresh, { policies: { 429: { action: 'wait' } } as never })).toThrow(
      expect.objectContaining({ code: 'invalid_config', message: expect.stringContaining('options.policies.429.action') }),
    );
    expect(() => setup([credential('a')], scriptedRefresh().refresh, { refreshTimeoutMs: 2 ** 31 })).toThrow(
      expect.objectContaining({ code: 'invalid_config', message: expect.stringContaining('options.refreshTimeoutMs: must be at most 2147483647') }),
    );
  });
});

describe('monotonic durations', () => {
  it('a wall clock stepping back 1 h changes no backoff; token expiry still follows the wall clock', async () => {
    const clock = { wall: START, monotonic: 0 };
    const { refresh, calls } = scriptedRefresh();
    const manager = new OAuthManager('gemini', [credential('a'), credential('b')], refresh, { now: () => clock.wall, monotonicNow: () => clock.monotonic });
    manager.reportFailure('a', kitError('permission'));
    clock.wall -= HOUR;
    clock.monotonic += 999;
    expect(manager.getCredentialHealth('a')).toMatchObject({ available: false, backoffUntil: clock.wall + 1 });
    clock.monotonic += 1;
    expect(manager.getCredentialHealth('a')!.available).toBe(true);
    // Expiry is a wall-clock fact: jump past it and the token is refreshed.
    clock.wall = START + 2 * HOUR;
    expect((await manager.acquire({ id: 'b' })).secret).toBe(accessTokenOf('b', 1));
    expect(calls).toHaveLength(1);
  });

  it('by default durations run on performance.now', () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'], now: START });
    const manager = new OAuthManager('gemini', [credential('a')], scriptedRefresh().refresh);
    manager.reportFailure('a', kitError('permission'));
    vi.setSystemTime(START - HOUR);
    expect(manager.getCredentialHealth('a')).toMatchObject({ available: false, backoffUntil: START - HOUR + 1000 });
    vi.advanceTimersByTime(1000);
    expect(manager.getCredentialHealth('a')!.available).toBe(true);
  });
});

describe('refresh buffer and token lifetime', () => {
  /** Acquires every `stepMs` for `durationMs`; returns how many refresh calls were made meanwhile. */
  async function refreshesWhileUsing(manager: OAuthManager, clock: { time: number }, calls: unknown[], stepMs: number, durationMs: number): Promise<number> {
    const before = calls.length;
    for (let elapsed = 0; elapsed < durationMs; elapsed += stepMs) {
      await manager.acquire();
      clock.time += stepMs;
    }
    return calls.length - before;
  }

  it('a 10-minute token with the 5-minute buffer is not refreshed on every call', async () => {
    const { refresh, calls } = scriptedRefresh({ lifetimeMs: 10 * MINUTE });
    const { manager, clock } = setup([credential('a', { expiresAt: START })], refresh);
    clock.time = START + 1;
    await manager.acquire();
    expect(calls).toHaveLength(1);
    // 20 calls over the first 5 minutes of the new token: no refresh; the next call after half its life: one.
    expect(await refreshesWhileUsing(manager, clock, calls, 15_000, 5 * MINUTE)).toBe(0);
    clock.time += 1;
    await manager.acquire();
    expect(calls).toHaveLength(2);
  });

  it('a 2-minute token is refreshed at half its life, not on every call (the buffer is at most half the lifetime)', async () => {
    const { refresh, calls } = scriptedRefresh({ lifetimeMs: 2 * MINUTE });
    const { manager, clock } = setup([credential('a', { expiresAt: START })], refresh);
    clock.time = START + 1;
    await manager.acquire();
    expect(await refreshesWhileUsing(manager, clock, calls, 5_000, MINUTE)).toBe(0);
    expect(calls).toHaveLength(1);
    // Over ten minutes of steady use: one refresh per minute, not one per call (120 calls).
    expect(await refreshesWhileUsing(manager, clock, calls, 5_000, 10 * MINUTE)).toBe(10);
  });

  it('caps a longer strategy buffer too (conservative 15 min on a 10-minute token), and a token first seen in code', async () => {
    const { refresh, calls } = scriptedRefresh({ lifetimeMs: 10 * MINUTE });
    const { manager, clock } = setup([credential('a', { expiresAt: START + 10 * MINUTE })], refresh, { refreshStrategy: 'conservative' });
    expect(await refreshesWhileUsing(manager, clock, calls, 10_000, 5 * MINUTE)).toBe(0);
    clock.time = START + 5 * MINUTE + 1;
    await manager.acquire();
    expect(calls).toHaveLength(1);
  });
});

describe('updates that land during a refresh', () => {
  /** A refresh that waits for `release()`; `started` resolves when the manager has called it. */
  function gatedRefresh() {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let markStarted!: () => void;
    const started = new Promise<void>((resolve) => {
      markStarted = resolve;
    });
    const scripted = scriptedRefresh({ gate });
    const refresh: RefreshFunction = (credential, context) => {
      markStarted();
      return scripted.refresh(credential, context);
    };
    return { refresh, calls: scripted.calls, release, started };
  }

  it('an updateCredential during an in-flight refresh is not overwritten by the refresh result', async () => {
    const { refresh, calls, release, started } = gatedRefresh();
    const { manager, clock } = setup([credential('a', { projectId: 'project-old' })], refresh);
    expect(calls).toHaveLength(0);
    clock.time = START + 2 * HOUR;
    const pending = manager.acquire();
    await started;
    await manager.updateCredential('a', { projectId: 'project-new', scopes: ['cloud-platform'] });
    release();
    expect(await pending).toMatchObject({ secret: accessTokenOf('a', 1), projectId: 'project-new' });
    const exported = manager.export({ includeSecrets: true }).credentials[0]!;
    expect(exported).toMatchObject({
      projectId: 'project-new',
      scopes: ['cloud-platform'],
      accessToken: accessTokenOf('a', 1),
      refreshToken: refreshTokenOf('a', 1),
      refreshCount: 1,
    });
  });

  it('a newer token imported during the refresh wins over the refresh result', async () => {
    const { refresh, calls, release, started } = gatedRefresh();
    const { manager, clock } = setup([credential('a')], refresh);
    clock.time = START + 2 * HOUR;
    const pending = manager.acquire();
    await started;
    const imported = credential('a', {
      accessToken: 'test-access-token-imported-abcdefgh',
      refreshToken: 'test-refresh-token-imported-abcdefgh',
      expiresAt: START + 5 * HOUR,
    });
    await manager.import([imported]);
    release();
    expect((await pending).secret).toBe('test-access-token-imported-abcdefgh');
    const exported = manager.export({ includeSecrets: true }).credentials[0]!;
    expect(exported).toMatchObject({
      accessToken: 'test-access-token-imported-abcdefgh',
      refreshToken: 'test-refresh-token-imported-abcdefgh',
      expiresAt: START + 5 * HOUR,
    });
    // The refresh itself worked: the credential is healthy and not refreshed again before its imported expiry.
    expect(manager.getCredentialHealth('a')).toMatchObject({ healthy: true, consecutiveRefreshFailures: 0 });
    await manager.acquire();
    expect(calls).toHaveLength(1);
  });

  it('keeps every token out of events and reports on these paths', async () => {
    const input = [credential('a'), credential('b')];
    const { manager, events } = setup(input, scriptedRefresh().refresh, { policies: { 401: { action: 'disable' } } });
    const leases = await concurrentLeases(manager, 6);
    await Promise.all(
      leases.map(async (lease) =>
        manager.reportFailure(lease.id, kitError('authentication', { status: 401, message: `bad token ${lease.secret}` }), { sequence: lease.sequence }),
      ),
    );
    const exhausted = await rejectionOf(manager.acquire());
    expectNoSecrets([events, manager.getHealthSummary(), exhausted, String(exhausted)], secretsIn(input));
  });
});
