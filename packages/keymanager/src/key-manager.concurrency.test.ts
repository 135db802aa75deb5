// Health under real traffic: concurrent leases reported by sequence, panic mode, rate-limit cooldowns, the monotonic
// clock and per-status rules. Every clock is injected; nothing sleeps.
import { KitError, type CredentialLease, type KitErrorCode, type KitEvent } from '@kit/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KeyManager } from './key-manager';
import type { KeyManagerOptions } from './key-manager-options';
import type { KeyInput } from './key-input';

const START = 1_700_000_000_000;
const HOUR = 3_600_000;

function setup(keys: readonly KeyInput[], options: KeyManagerOptions = {}) {
  const clock = { time: START };
  const events: KitEvent[] = [];
  const manager = new KeyManager('openai', keys, { now: () => clock.time, onEvent: (event) => events.push(event), ...options });
  const health = (id: string) => {
    const found = manager.getKeyHealth().find((entry) => entry.id === id);
    if (!found) throw new Error(`no key ${id}`);
    return found;
  };
  const failureEvents = () => events.filter((event) => event.type === 'credential-failure');
  return { manager, clock, events, health, failureEvents };
}

const kitError = (code: KitErrorCode, extra: { retryAfterMs?: number; status?: number } = {}) => new KitError(code, `upstream said ${code}`, extra);
const serverError = () => kitError('server_error', { status: 500 });

/** What a promise rejects with. */
const rejectionOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as KitError,
  );

/** `count` leases taken at once, as concurrent callers do. */
const concurrentLeases = (manager: KeyManager, count: number) => Promise.all(Array.from({ length: count }, () => manager.acquire({})));

/** Reports every lease as failed, concurrently and in the reverse order of their hand-out (late ones first). */
const failAll = (manager: KeyManager, leases: readonly CredentialLease[], error: () => KitError) =>
  Promise.all([...leases].reverse().map(async (lease) => manager.reportFailure(lease.id, error(), { sequence: lease.sequence })));

describe('concurrent failures are one failure event', () => {
  it('50 concurrent hand-outs of one key then 50 failures of those leases: one event, backoff 1 s (not 60 s)', async () => {
    const { manager, clock, health, failureEvents } = setup(['test-key-1']);
    const leases = await concurrentLeases(manager, 50);
    expect(new Set(leases.map((lease) => lease.sequence)).size).toBe(50);
    await failAll(manager, leases, serverError);
    expect(health('key-1')).toMatchObject({ consecutiveFailures: 1, failures: 50, healthy: true, backoffUntil: clock.time + 1000 });
    expect(failureEvents()).toEqual([expect.objectContaining({ consecutiveFailures: 1, backoffMs: 1000 })]);
  });

  it('keeps the schedule 1 s → 2 s → 4 s … 60 s when each step has 50 concurrent in-flight failures', async () => {
    const { manager, clock, health } = setup(['test-key-1']);
    const sleeps: number[] = [];
    for (let step = 0; step < 8; step++) {
      const leases = await concurrentLeases(manager, 50);
      await failAll(manager, leases, () => kitError('permission', { status: 403 }));
      const sleep = (health('key-1').backoffUntil ?? 0) - clock.time;
      sleeps.push(sleep);
      clock.time += sleep;
    }
    expect(sleeps).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
    expect(health('key-1')).toMatchObject({ consecutiveFailures: 8, failures: 400 });
  });

  it('keeps the transient schedule 1 s → 2 s → 4 s → 5 s under concurrency, handing the cooling key out meanwhile', async () => {
    const { manager, clock, health } = setup(['test-key-1']);
    const sleeps: number[] = [];
    for (let step = 0; step < 5; step++) {
      // No time passes between steps: the cooling key is handed out in panic mode.
      const leases = await concurrentLeases(manager, 50);
      await failAll(manager, leases, serverError);
      sleeps.push((health('key-1').backoffUntil ?? 0) - clock.time);
    }
    expect(sleeps).toEqual([1000, 2000, 4000, 5000, 5000]);
  });

  it('a failure of a lease handed out before the last success does not count', async () => {
    const { manager, health } = setup(['test-key-1']);
    const [slow, fast] = await concurrentLeases(manager, 2);
    manager.reportSuccess(fast!.id, { sequence: fast!.sequence });
    manager.reportFailure(slow!.id, serverError(), { sequence: slow!.sequence });
    expect(health('key-1')).toMatchObject({ consecutiveFailures: 0, available: true, failures: 1, successes: 1 });
  });

  it('a success of a lease handed out before the current cooldown began does not lift it; a newer one does', async () => {
    const { manager, clock, health, events } = setup(['test-key-1', 'test-key-2']);
    const early = await manager.acquire({ id: 'key-1' });
    const late = await manager.acquire({ id: 'key-1' });
    manager.reportFailure('key-1', kitError('rate_limit', { status: 429, retryAfterMs: 30_000 }), { sequence: late.sequence });
    manager.reportSuccess('key-1', { sequence: early.sequence });
    expect(health('key-1')).toMatchObject({ available: false, consecutiveFailures: 1, backoffUntil: clock.time + 30_000, successes: 1 });
    clock.time += 30_000;
    const next = await manager.acquire({ id: 'key-1' });
    manager.reportSuccess('key-1', { sequence: next.sequence });
    expect(health('key-1')).toMatchObject({ available: true, consecutiveFailures: 0 });
    expect(events.map((event) => event.type)).toEqual(['credential-failure']);
  });

  it('reports without a sequence count as before (third-party callers)', () => {
    const { manager, health } = setup(['test-key-1']);
    for (let n = 0; n < 3; n++) manager.reportFailure('key-1', kitError('permission'));
    expect(health('key-1')).toMatchObject({ consecutiveFailures: 3, healthy: false });
  });
});

describe('panic mode: transient faults never make the pool refuse calls', () => {
  it('pool [revoked, good], 50 concurrent server errors on good: acquire keeps handing out good, shown available', async () => {
    const { manager, health } = setup(['test-key-revoked', 'test-key-good']);
    manager.reportFailure('key-1', kitError('authentication', { status: 401 }));
    const leases = await concurrentLeases(manager, 50);
    expect(new Set(leases.map((lease) => lease.id))).toEqual(new Set(['key-2']));
    await failAll(manager, leases, serverError);
    expect(health('key-2')).toMatchObject({ available: false, consecutiveFailures: 1 });
    for (let call = 0; call < 50; call++) {
      const lease = await manager.acquire({});
      expect(lease.id).toBe('key-2');
      // At the moment it is handed out, the key is not shown in backoff.
      const good = health('key-2');
      expect(good.available).toBe(true);
      expect(good.backoffUntil).toBeUndefined();
    }
    expect(manager.getNextKey()).toBe('test-key-good');
    expect(health('key-1')).toMatchObject({ requests: 0, available: false });
  });

  it('a 300 ms blip under 50 concurrent callers costs no refused call and leaves good healthy', async () => {
    const { manager, clock, health } = setup(['test-key-revoked', 'test-key-good']);
    manager.reportFailure('key-1', kitError('authentication', { status: 401 }));
    const blipEndsAt = clock.time + 300;
    let refused = 0;
    for (let round = 0; round < 6; round++) {
      // Each caller acquires, the upstream answers 100 ms later: 500 during the blip, 200 after it.
      const leases = await Promise.all(
        Array.from({ length: 50 }, () =>
          manager.acquire({}).catch((error: unknown) => {
            refused++;
            throw error;
          }),
        ),
      );
      const failing = clock.time < blipEndsAt;
      clock.time += 100;
      await Promise.all(
        leases.map(async (lease) =>
          failing
            ? manager.reportFailure(lease.id, serverError(), { sequence: lease.sequence })
            : manager.reportSuccess(lease.id, { sequence: lease.sequence }),
        ),
      );
    }
    expect(refused).toBe(0);
    expect(health('key-2')).toMatchObject({ healthy: true, available: true, consecutiveFailures: 0, requests: 300, failures: 150, successes: 150 });
  });

  it('hands out the key whose transient cooldown ends soonest, not one that cools after its own fault', async () => {
    const { manager, health } = setup(['test-key-1', 'test-key-2', 'test-key-3']);
    manager.reportFailure('key-1', kitError('rate_limit', { retryAfterMs: 500 }));
    manager.reportFailure('key-2', serverError());
    manager.reportFailure('key-2', serverError());
    manager.reportFailure('key-3', serverError());
    expect((await manager.acquire({})).id).toBe('key-3');
    expect(health('key-3')).toMatchObject({ available: true });
    expect(health('key-2')).toMatchObject({ available: false });
  });

  it('credentials_exhausted only when every key failed for good or cools after its own fault', async () => {
    const { manager, clock } = setup(['test-key-1', 'test-key-2']);
    manager.reportFailure('key-1', kitError('authentication', { status: 401 }));
    manager.reportFailure('key-2', kitError('rate_limit', { status: 429, retryAfterMs: 30_000 }));
    await expect(manager.acquire({})).rejects.toMatchObject({ code: 'credentials_exhausted', retryAfterMs: 1000 });
    // The engine excludes the revoked key for the rest of its call: only the rate limit can be waited for.
    await expect(manager.acquire({ exclude: new Set(['key-1']) })).rejects.toMatchObject({ code: 'credentials_exhausted', retryAfterMs: 30_000 });
    // Nothing left to wait for.
    const error = await rejectionOf(manager.acquire({ exclude: new Set(['key-1', 'key-2']) }));
    expect(error).toMatchObject({ code: 'credentials_exhausted' });
    expect(error.retryAfterMs).toBeUndefined();
    expect(() => manager.getNextKey()).toThrow(expect.objectContaining({ code: 'credentials_exhausted', retryAfterMs: 1000 }));
    clock.time += 1000;
    expect(manager.getNextKey()).toBe('test-key-1');
  });

  it('20 concurrent executeWithFailover calls failing together count as one failure event per key', async () => {
    const { manager } = setup(['test-key-1', 'test-key-2']);
    // Every operation is in flight before any fails (a burst of 500s), as under real traffic.
    let release: () => void = () => {};
    const burst = new Promise<void>((resolve) => {
      release = resolve;
    });
    const operation = async () => {
      await burst;
      throw serverError();
    };
    const calls = Array.from({ length: 20 }, () => manager.executeWithFailover(operation, { maxAttempts: 1 }).catch((error: unknown) => error));
    release();
    await Promise.all(calls);
    for (const key of manager.getKeyHealth()) expect(key).toMatchObject({ consecutiveFailures: 1, healthy: true, failures: 10 });
  });

  it('executeWithFailover does not panic: it tries only available keys, as before', async () => {
    const { manager } = setup(['test-key-1']);
    manager.reportFailure('key-1', serverError());
    const operation = vi.fn(async () => 'ok');
    await expect(manager.executeWithFailover(operation)).rejects.toMatchObject({ code: 'credentials_exhausted', retryAfterMs: 1000 });
    expect(operation).not.toHaveBeenCalled();
  });
});

describe('rate-limit cooldowns', () => {
  it('a late, shorter report never shortens a longer cooldown; a later, longer one extends it', async () => {
    const { manager, clock, health } = setup(['test-key-1', 'test-key-2']);
    const early = await manager.acquire({ id: 'key-1' });
    const late = await manager.acquire({ id: 'key-1' });
    const rateLimit = (retryAfterMs: number) => kitError('rate_limit', { status: 429, retryAfterMs });
    manager.reportFailure('key-1', rateLimit(30_000), { sequence: late.sequence });
    manager.reportFailure('key-1', rateLimit(10_000), { sequence: early.sequence });
    expect(health('key-1')).toMatchObject({ backoffUntil: START + 30_000, consecutiveFailures: 1 });
    // A report that names no lease counts as a new event, yet its shorter wait does not shorten the cooldown either.
    manager.reportFailure('key-1', rateLimit(5_000));
    expect(health('key-1')).toMatchObject({ backoffUntil: START + 30_000, consecutiveFailures: 2 });
    // Re-cooled for longer later: the new deadline, not the first, shorter one.
    clock.time += 5_000;
    manager.reportFailure('key-1', rateLimit(60_000));
    expect(health('key-1').backoffUntil).toBe(START + 65_000);
    // The server's own longer wait is honoured even from a late report of the same burst.
    manager.reportFailure('key-1', rateLimit(120_000), { sequence: early.sequence });
    expect(health('key-1')).toMatchObject({ backoffUntil: START + 125_000, consecutiveFailures: 3 });
    expect(manager.getNextKey()).toBe('test-key-2');
  });

  it('a transient fault during a rate-limit cooldown does not make the key a panic candidate', async () => {
    const { manager } = setup(['test-key-1']);
    manager.reportFailure('key-1', kitError('rate_limit', { retryAfterMs: 20_000 }));
    manager.reportFailure('key-1', serverError());
    await expect(manager.acquire({})).rejects.toMatchObject({ code: 'credentials_exhausted', retryAfterMs: 20_000 });
  });
});

describe('monotonic durations', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('an injected wall clock stepping back 1 h does not change a 1 s backoff', () => {
    const clock = { wall: START, monotonic: 50_000 };
    const manager = new KeyManager('openai', ['test-key-1', 'test-key-2'], { now: () => clock.wall, monotonicNow: () => clock.monotonic });
    const health = () => manager.getKeyHealth()[0]!;
    manager.reportFailure('key-1', kitError('permission'));
    expect(health()).toMatchObject({ available: false, backoffUntil: START + 1000, lastFailureAt: START });
    clock.wall -= HOUR;
    clock.monotonic += 999;
    // Reported in epoch ms of the (stepped) wall clock: 1 ms left.
    expect(health()).toMatchObject({ available: false, backoffUntil: clock.wall + 1 });
    expect(manager.getNextKey()).toBe('test-key-2');
    clock.monotonic += 1;
    expect(health().available).toBe(true);
    // A step forward does not end a cooldown either.
    manager.reportFailure('key-1', kitError('permission'));
    clock.wall += 10 * HOUR;
    expect(health()).toMatchObject({ available: false, backoffUntil: clock.wall + 2000 });
  });

  it('by default durations run on performance.now, not Date.now', () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'], now: START });
    const manager = new KeyManager('openai', ['test-key-1']);
    manager.reportFailure('key-1', kitError('permission'));
    vi.setSystemTime(START - HOUR);
    expect(manager.getKeyHealth()[0]).toMatchObject({ available: false, backoffUntil: START - HOUR + 1000 });
    vi.advanceTimersByTime(1000);
    expect(manager.getKeyHealth()[0]).toMatchObject({ available: true });
    expect(manager.getNextKey()).toBe('test-key-1');
  });

  it('a rate-limit reset in epoch ms becomes a monotonic skip', () => {
    const clock = { wall: START, monotonic: 0 };
    const manager = new KeyManager('openai', ['test-key-1', 'test-key-2'], { now: () => clock.wall, monotonicNow: () => clock.monotonic });
    manager.reportRateLimit('key-1', { requestsRemaining: 0, requestsResetAt: START + 5000 });
    clock.wall += HOUR;
    expect(manager.getNextKey()).toBe('test-key-2');
    clock.monotonic += 5000;
    expect(manager.getKeyHealth()[0]).toMatchObject({ available: true });
  });
});

describe('per-status and per-code policies', () => {
  it('401 cools down by default; with { 401: { action: "disable" } } the key stays out until enabled', async () => {
    const byDefault = setup(['test-key-1', 'test-key-2']);
    byDefault.manager.reportFailure('key-1', kitError('authentication', { status: 401 }));
    byDefault.clock.time += 1000;
    expect(byDefault.health('key-1')).toMatchObject({ available: true, disabled: false });

    const { manager, clock, health, events } = setup(['test-key-1', 'test-key-2'], { policies: { 401: { action: 'disable' } } });
    manager.reportFailure('key-1', kitError('authentication', { status: 401 }));
    clock.time += 30 * 86_400_000;
    expect(health('key-1')).toMatchObject({ available: false, disabled: true, healthy: false, consecutiveFailures: 1 });
    expect(health('key-1').backoffUntil).toBeUndefined();
    expect(manager.getStatus()).toMatchObject({ disabled: 1, available: 1 });
    expect([manager.getNextKey(), manager.getNextKey()]).toEqual(['test-key-2', 'test-key-2']);
    expect(events.map((event) => event.type)).toEqual(['credential-failure', 'credential-unhealthy']);
    expect(events[0]).toMatchObject({ backoffMs: 0 });

    // Nothing to wait for when only disabled keys are left.
    manager.reportFailure('key-2', kitError('authentication', { status: 401 }));
    const error = await rejectionOf(manager.acquire({}));
    expect(error.code).toBe('credentials_exhausted');
    expect(error.retryAfterMs).toBeUndefined();

    manager.enableKey('key-1');
    expect(health('key-1')).toMatchObject({ available: true, disabled: false, healthy: true, consecutiveFailures: 0 });
    expect(events.at(-1)).toMatchObject({ type: 'credential-recovered', credentialId: 'key-1' });
    // An explicit success (a probe of your own, no lease sequence) enables too; re-adding starts fresh.
    manager.reportSuccess('key-2');
    expect(health('key-2')).toMatchObject({ available: true, disabled: false });
    manager.reportFailure('key-2', kitError('authentication', { status: 401 }));
    manager.removeKey('key-2');
    manager.addKey({ id: 'key-2', key: 'test-key-2' });
    expect(health('key-2')).toMatchObject({ available: true, disabled: false, failures: 0 });
    expect(() => manager.enableKey('key-9')).toThrow(expect.objectContaining({ code: 'invalid_config', message: expect.stringContaining('idOrKey') }));
  });

  it('a late success of a lease handed out before the disable does not enable the key', async () => {
    const { manager, health } = setup(['test-key-1', 'test-key-2'], { policies: { 401: { action: 'disable' } } });
    const [before, rejected] = await Promise.all([manager.acquire({ id: 'key-1' }), manager.acquire({ id: 'key-1' })]);
    manager.reportFailure('key-1', kitError('authentication', { status: 401 }), { sequence: rejected!.sequence });
    manager.reportSuccess('key-1', { sequence: before!.sequence });
    expect(health('key-1')).toMatchObject({ disabled: true, available: false });
  });

  it('429 with a custom cooldown; a longer Retry-After still wins', () => {
    const { manager, clock, health } = setup(['test-key-1', 'test-key-2'], { policies: { 429: { cooldownMs: 30_000 } } });
    manager.reportFailure('key-1', kitError('rate_limit', { status: 429, retryAfterMs: 2000 }));
    expect(health('key-1').backoffUntil).toBe(clock.time + 30_000);
    manager.reportFailure('key-2', kitError('rate_limit', { status: 429, retryAfterMs: 90_000 }));
    expect(health('key-2').backoffUntil).toBe(clock.time + 90_000);
  });

  it('per-code rules, status rules winning over code rules, and ignore', async () => {
    const { manager, clock, health, events } = setup(['test-key-1', 'test-key-2', 'test-key-3'], {
      policies: {
        quota_exceeded: { cooldownMs: 600_000 },
        permission: { cooldownMs: 10 },
        403: { action: 'disable' },
        500: { action: 'ignore' },
        404: { cooldownMs: 5000 },
      },
    });
    manager.reportFailure('key-1', kitError('quota_exceeded', { status: 402 }));
    expect(health('key-1').backoffUntil).toBe(clock.time + 600_000);
    manager.reportFailure('key-2', kitError('permission', { status: 403 }));
    expect(health('key-2')).toMatchObject({ disabled: true });
    manager.reportFailure('key-3', kitError('permission'));
    expect(health('key-3').backoffUntil).toBe(clock.time + 10);
    clock.time += 10;
    manager.reportFailure('key-3', kitError('server_error', { status: 500 }));
    expect(health('key-3')).toMatchObject({ available: true, failures: 1, consecutiveFailures: 1 });
    // A code that never penalises can be made to.
    manager.reportFailure('key-3', kitError('not_found', { status: 404 }));
    expect(health('key-3').backoffUntil).toBe(clock.time + 5000);
    expect(events.filter((event) => event.type === 'credential-failure')).toHaveLength(4);
  });

  it('executeWithFailover still fails over on a 500 that a rule ignores for health', async () => {
    const { manager, health } = setup(['test-key-1', 'test-key-2'], { policies: { 500: { action: 'ignore' } } });
    const operation = vi.fn(async (key: string) => {
      if (key === 'test-key-1') throw kitError('server_error', { status: 500 });
      return key;
    });
    await expect(manager.executeWithFailover(operation)).resolves.toBe('test-key-2');
    expect(health('key-1')).toMatchObject({ consecutiveFailures: 0, available: true });
  });

  it('keeps every key out of the events and errors of these paths', async () => {
    const secrets = ['test-key-secret-aaaa', 'test-key-secret-bbbb'];
    const { manager, events } = setup(secrets, { policies: { 401: { action: 'disable' } } });
    const leases = await concurrentLeases(manager, 10);
    await Promise.all(
      leases.map(async (lease) =>
        manager.reportFailure(lease.id, new KitError('authentication', `rejected key ${lease.secret}`, { status: 401 }), { sequence: lease.sequence }),
      ),
    );
    manager.reportFailure('key-2', new KitError('server_error', `boom for ${secrets[1]}`, { status: 500 }));
    const exhausted = await manager.acquire({}).catch((error: unknown) => error);
    const observed = JSON.stringify([events, manager.getKeyHealth(), manager.getStatus(), exhausted, String(exhausted)]);
    for (const secret of secrets) expect(observed).not.toContain(secret);
  });
});

describe('acquire({ id, exclude })', () => {
  it('hands out the asked-for key even when other keys are excluded (a refreshed credential asked for again)', async () => {
    const manager = new KeyManager('openai', ['test-key-a-0123456789', 'test-key-b-0123456789', 'test-key-c-0123456789']);
    // Round-robin would give key-1; the engine asks for key-3 again while key-1 is excluded for the call.
    const lease = await manager.acquire({ id: 'key-3', exclude: new Set(['key-1']) });
    expect(lease.id).toBe('key-3');
    // An excluded id is never handed out, even when asked for.
    const other = await manager.acquire({ id: 'key-1', exclude: new Set(['key-1']) });
    expect(other.id).not.toBe('key-1');
  });
});
