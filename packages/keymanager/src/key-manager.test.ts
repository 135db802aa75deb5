import { inspect } from 'node:util';
import { KitError, type KitErrorCode, type KitEvent } from '@kit/core';
import { describe, expect, it, vi } from 'vitest';
import { KeyManager } from './key-manager';
import type { KeyManagerOptions } from './key-manager-options';
import type { KeyInput } from './key-input';

const SECRETS = ['test-key-alpha-1', 'test-key-beta-2', 'test-key-gamma-3'];

function setup(keys: readonly KeyInput[] = SECRETS, options: KeyManagerOptions = {}) {
  const clock = { time: 1_700_000_000_000 };
  const events: KitEvent[] = [];
  const manager = new KeyManager('openai', keys, { now: () => clock.time, onEvent: (event) => events.push(event), ...options });
  const health = (id: string) => {
    const found = manager.getKeyHealth().find((entry) => entry.id === id);
    if (!found) throw new Error(`no key ${id}`);
    return found;
  };
  const picks = (count: number) => Array.from({ length: count }, () => manager.getNextKey());
  return { manager, clock, events, health, picks };
}

const kitError = (code: KitErrorCode, extra: { retryAfterMs?: number; status?: number } = {}) => new KitError(code, `upstream said ${code}`, extra);

function expectKitError(action: () => unknown, code: KitErrorCode, messagePart?: string): KitError {
  try {
    action();
  } catch (error) {
    expect(KitError.is(error)).toBe(true);
    const kit = error as KitError;
    expect(kit.code).toBe(code);
    if (messagePart !== undefined) expect(kit.message).toContain(messagePart);
    return kit;
  }
  throw new Error('expected a KitError to be thrown');
}

describe('KeyManager construction', () => {
  it('gives string keys the ids key-<position+1> and keeps explicit ids', () => {
    const { manager } = setup(['test-key-1', { id: 'primary', key: 'test-key-2' }, 'test-key-3']);
    expect(manager.getKeyHealth().map((entry) => entry.id)).toEqual(['key-1', 'primary', 'key-3']);
    expect(manager.size).toBe(3);
    expect(manager.providerName).toBe('openai');
  });

  it.each<[string, readonly unknown[], string]>([
    ['an empty list', [], 'keys'],
    ['an empty key', ['test-key-1', 'test-key-2', ''], 'keys[2]'],
    ['a blank key', ['   '], 'keys[0]'],
    ['a duplicate key', ['test-key-1', 'test-key-2', 'test-key-1'], 'keys[2]'],
    [
      'a duplicate explicit id',
      [
        { id: 'a', key: 'test-key-1' },
        { id: 'a', key: 'test-key-2' },
      ],
      'keys[1].id',
    ],
    ['an explicit id clashing with a generated one', ['test-key-1', { id: 'key-1', key: 'test-key-2' }], 'keys[1].id'],
    ['an object without key', [{ id: 'a' }], 'keys[0].key'],
    ['a zero weight', [{ key: 'test-key-1', weight: 0 }], 'keys[0].weight'],
    ['a non-number weight', [{ key: 'test-key-1', weight: '2' }], 'keys[0].weight'],
    ['an unknown field', [{ key: 'test-key-1', secret: 'x' }], 'keys[0].secret'],
    ['an id containing the key', [{ id: 'test-key-1-main', key: 'test-key-1' }], 'keys[0].id'],
    ['a number as key', [42], 'keys[0]'],
  ])('rejects %s with invalid_config naming %s', (_label, keys, field) => {
    const error = expectKitError(() => new KeyManager('openai', keys as KeyInput[]), 'invalid_config', field);
    for (const key of keys) if (typeof key === 'string' && key.trim() !== '') expect(error.message).not.toContain(key);
  });

  it('rejects a missing provider name and a keys value that is not an array', () => {
    expectKitError(() => new KeyManager('', ['test-key-1']), 'invalid_config', 'providerName');
    expectKitError(() => new KeyManager('openai', 'test-key-1' as unknown as string[]), 'invalid_config', 'keys');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a negative initialBackoffMs', { initialBackoffMs: -1 }, 'options.initialBackoffMs'],
    ['a maxBackoffMs below initialBackoffMs', { initialBackoffMs: 5000, maxBackoffMs: 1000 }, 'options.maxBackoffMs'],
    ['an infinite maxBackoffMs', { maxBackoffMs: Number.POSITIVE_INFINITY }, 'options.maxBackoffMs'],
    ['a zero unhealthyAfter', { unhealthyAfter: 0 }, 'options.unhealthyAfter'],
    ['a fractional unhealthyAfter', { unhealthyAfter: 1.5 }, 'options.unhealthyAfter'],
    ['a negative quotaCooldownMs', { quotaCooldownMs: -5 }, 'options.quotaCooldownMs'],
    ['a jitter above 1', { jitter: 2 }, 'options.jitter'],
    ['an unknown strategy', { strategy: 'least-latency' }, 'options.strategy'],
    ['a clock that is not a function', { now: 5 }, 'options.now'],
    ['an onEvent that is not a function', { onEvent: 'log' }, 'options.onEvent'],
    ['an unknown option', { backoff: 5 }, 'options.backoff'],
  ])('rejects %s naming %s', (_label, options, field) => {
    expectKitError(() => new KeyManager('openai', ['test-key-1'], options as KeyManagerOptions), 'invalid_config', field);
  });
});

describe('round-robin selection', () => {
  it('starts at the first key and cycles in order', () => {
    const { picks } = setup();
    expect(picks(7)).toEqual([...SECRETS, ...SECRETS, SECRETS[0]]);
  });

  it('skips keys in backoff', () => {
    const { manager, picks } = setup();
    manager.reportFailure('key-2', kitError('server_error'));
    expect(picks(4)).toEqual(['test-key-alpha-1', 'test-key-gamma-3', 'test-key-alpha-1', 'test-key-gamma-3']);
  });

  it('makes a key eligible again exactly when its backoff expires', () => {
    const { manager, clock, picks } = setup(['test-key-1', 'test-key-2']);
    manager.reportFailure('key-1', kitError('server_error'));
    clock.time += 999;
    expect(picks(3)).toEqual(['test-key-2', 'test-key-2', 'test-key-2']);
    clock.time += 1;
    expect(picks(2).sort()).toEqual(['test-key-1', 'test-key-2']);
  });

  it('gives an expired unhealthy key one probe, then prefers healthy keys until it is reported', () => {
    const { manager, clock, picks } = setup(['test-key-1', 'test-key-2']);
    for (let failure = 0; failure < 3; failure++) manager.reportFailure('key-1', kitError('server_error'));
    expect(manager.getKeyHealth()[0]?.healthy).toBe(false);
    clock.time += 4000;
    expect(picks(4)).toEqual(['test-key-1', 'test-key-2', 'test-key-2', 'test-key-2']);
    manager.reportSuccess('key-1');
    expect(picks(4)).toEqual(['test-key-1', 'test-key-2', 'test-key-1', 'test-key-2']);
  });

  it('still hands out an unhealthy key when no healthy key is available', () => {
    const { manager, clock, picks } = setup(['test-key-1']);
    for (let failure = 0; failure < 3; failure++) manager.reportFailure('key-1', kitError('timeout'));
    clock.time += 4000;
    expect(picks(3)).toEqual(['test-key-1', 'test-key-1', 'test-key-1']);
  });

  it('counts every hand-out as a request', () => {
    const { manager, picks } = setup(['test-key-1', 'test-key-2']);
    picks(5);
    expect(manager.getKeyHealth().map((entry) => entry.requests)).toEqual([3, 2]);
  });
});

describe('weighted selection', () => {
  it('is smooth: weights 5,1,1 give a a b a c a a', () => {
    const { picks } = setup(
      [
        { id: 'a', key: 'test-key-a', weight: 5 },
        { id: 'b', key: 'test-key-b', weight: 1 },
        { id: 'c', key: 'test-key-c', weight: 1 },
      ],
      { strategy: 'weighted' },
    );
    expect(picks(7)).toEqual(['test-key-a', 'test-key-a', 'test-key-b', 'test-key-a', 'test-key-c', 'test-key-a', 'test-key-a']);
  });

  it('matches the weights exactly over 1000 picks', () => {
    const { picks } = setup(
      [
        { key: 'test-key-1', weight: 5 },
        { key: 'test-key-2', weight: 3 },
        { key: 'test-key-3', weight: 2 },
      ],
      { strategy: 'weighted' },
    );
    const counts = new Map<string, number>();
    for (const key of picks(1000)) counts.set(key, (counts.get(key) ?? 0) + 1);
    expect(Object.fromEntries(counts)).toEqual({ 'test-key-1': 500, 'test-key-2': 300, 'test-key-3': 200 });
  });

  it('defaults weights to 1 and skips keys in backoff', () => {
    const { manager, picks } = setup(['test-key-1', 'test-key-2', 'test-key-3'], { strategy: 'weighted' });
    manager.reportFailure('key-1', kitError('network'));
    const picked = picks(100);
    expect(picked).not.toContain('test-key-1');
    expect(picked.filter((key) => key === 'test-key-2')).toHaveLength(50);
  });
});

describe('random selection', () => {
  it('picks only available keys', () => {
    const { manager, picks } = setup(SECRETS, { strategy: 'random' });
    manager.reportFailure('key-2', kitError('server_error'));
    const picked = new Set(picks(300));
    expect(picked).toEqual(new Set(['test-key-alpha-1', 'test-key-gamma-3']));
  });

  it('uses the random source over the available keys', () => {
    const random = vi.fn(() => 0.99);
    const { manager, picks } = setup(SECRETS, { strategy: 'random', random });
    manager.reportFailure('key-3', kitError('server_error'));
    expect(picks(2)).toEqual(['test-key-beta-2', 'test-key-beta-2']);
    expect(random).toHaveBeenCalledTimes(2);
  });
});

describe('backoff and health', () => {
  // Was run with server_error: transient faults now cool for at most maxTransientBackoffMs (next test); the full
  // schedule is the one of the credential's own faults.
  it('follows the schedule 1s, 2s, 4s, 8s, 16s, 32s, 60s, 60s for the key’s own faults', () => {
    const { manager, clock, events, health } = setup(['test-key-1']);
    const sleeps: number[] = [];
    for (let failure = 0; failure < 8; failure++) {
      manager.reportFailure('key-1', kitError('permission', { status: 403 }));
      sleeps.push((health('key-1').backoffUntil ?? 0) - clock.time);
      clock.time += sleeps[sleeps.length - 1] ?? 0;
    }
    expect(sleeps).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
    const failureEvents = events.filter((event) => event.type === 'credential-failure');
    expect(failureEvents.map((event) => event.backoffMs)).toEqual(sleeps);
    expect(failureEvents.map((event) => event.consecutiveFailures)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('cools a key at most maxTransientBackoffMs (5 s) after transient faults: 1s, 2s, 4s, 5s, 5s', () => {
    const { manager, clock, health } = setup(['test-key-1']);
    const sleeps: number[] = [];
    for (let failure = 0; failure < 5; failure++) {
      manager.reportFailure('key-1', kitError('server_error', { status: 503 }));
      sleeps.push((health('key-1').backoffUntil ?? 0) - clock.time);
      clock.time += sleeps[sleeps.length - 1] ?? 0;
    }
    expect(sleeps).toEqual([1000, 2000, 4000, 5000, 5000]);
    const custom = setup(['test-key-1'], { maxTransientBackoffMs: 1500 });
    custom.manager.reportFailure('key-1', kitError('timeout'));
    custom.manager.reportFailure('key-1', kitError('timeout'));
    expect((custom.health('key-1').backoffUntil ?? 0) - custom.clock.time).toBe(1500);
  });

  it('honours custom initialBackoffMs and maxBackoffMs', () => {
    const { manager, clock, health } = setup(['test-key-1'], { initialBackoffMs: 250, maxBackoffMs: 700 });
    const sleeps: number[] = [];
    for (let failure = 0; failure < 4; failure++) {
      manager.reportFailure('key-1');
      sleeps.push((health('key-1').backoffUntil ?? 0) - clock.time);
    }
    expect(sleeps).toEqual([250, 500, 700, 700]);
  });

  it('applies jitter as backoff × (1 ± jitter·random)', () => {
    const low = setup(['test-key-1'], { jitter: 0.5, random: () => 0 });
    low.manager.reportFailure('key-1');
    expect((low.health('key-1').backoffUntil ?? 0) - low.clock.time).toBe(500);
    const high = setup(['test-key-1'], { jitter: 0.5, random: () => 0.999 });
    high.manager.reportFailure('key-1');
    expect((high.health('key-1').backoffUntil ?? 0) - high.clock.time).toBe(1499);
  });

  it('turns a key unhealthy after exactly 3 consecutive failures, with one event', () => {
    const { manager, events, health } = setup();
    manager.reportFailure('key-1', kitError('authentication', { status: 401 }));
    manager.reportFailure('key-1', kitError('authentication', { status: 401 }));
    expect(health('key-1').healthy).toBe(true);
    manager.reportFailure('key-1', kitError('authentication', { status: 401 }));
    expect(health('key-1').healthy).toBe(false);
    manager.reportFailure('key-1', kitError('authentication', { status: 401 }));
    const unhealthy = events.filter((event) => event.type === 'credential-unhealthy');
    expect(unhealthy).toEqual([{ type: 'credential-unhealthy', at: expect.any(Number), provider: 'openai', credentialId: 'key-1', consecutiveFailures: 3 }]);
    expect(manager.getStatus()).toMatchObject({ healthy: 2, unhealthy: 1 });
  });

  it('honours a custom unhealthyAfter', () => {
    const { manager, health } = setup(['test-key-1'], { unhealthyAfter: 1 });
    manager.reportFailure('key-1');
    expect(health('key-1').healthy).toBe(false);
  });

  it('resets on one success: failures 0, healthy, backoff cleared, schedule restarts', () => {
    const { manager, clock, events, health } = setup(['test-key-1', 'test-key-2']);
    for (let failure = 0; failure < 5; failure++) manager.reportFailure('key-1', kitError('server_error'));
    expect(health('key-1')).toMatchObject({ healthy: false, consecutiveFailures: 5, available: false });
    manager.reportSuccess('key-1');
    expect(health('key-1')).toMatchObject({ healthy: true, consecutiveFailures: 0, available: true, successes: 1, failures: 5 });
    expect(health('key-1').backoffUntil).toBeUndefined();
    expect(manager.getNextKey()).toBe('test-key-1');
    manager.reportFailure('key-1', kitError('server_error'));
    expect((health('key-1').backoffUntil ?? 0) - clock.time).toBe(1000);
    expect(events.filter((event) => event.type === 'credential-recovered')).toEqual([
      { type: 'credential-recovered', at: clock.time, provider: 'openai', credentialId: 'key-1' },
    ]);
  });

  it('emits no recovered event for a success of a healthy key', () => {
    const { manager, events } = setup();
    manager.reportFailure('key-1');
    manager.reportSuccess('key-1');
    expect(events.map((event) => event.type)).toEqual(['credential-failure']);
  });

  it.each<KitErrorCode>(['invalid_request', 'not_found', 'context_length', 'content_filter', 'aborted', 'invalid_config'])(
    'does not penalise a key for %s',
    (code) => {
      const { manager, events, health } = setup();
      manager.reportFailure('key-1', kitError(code));
      expect(health('key-1')).toEqual({
        id: 'key-1',
        healthy: true,
        available: true,
        disabled: false,
        consecutiveFailures: 0,
        requests: 0,
        successes: 0,
        failures: 0,
        weight: 1,
      });
      expect(events).toEqual([]);
      expect(manager.getNextKey()).toBe('test-key-alpha-1');
    },
  );

  it.each<KitErrorCode>(['authentication', 'permission', 'server_error', 'timeout', 'network', 'invalid_response'])('penalises a key for %s', (code) => {
    const { manager, health } = setup();
    manager.reportFailure('key-1', kitError(code));
    expect(health('key-1')).toMatchObject({ consecutiveFailures: 1, failures: 1, available: false, lastErrorCode: code });
  });

  it('penalises for a plain Error and for no error at all', () => {
    const { manager, health, events } = setup();
    manager.reportFailure('key-1', new Error('socket hang up'));
    manager.reportFailure('key-2');
    expect(health('key-1')).toMatchObject({ consecutiveFailures: 1, lastErrorCode: 'network' });
    expect(health('key-2')).toMatchObject({ consecutiveFailures: 1, lastErrorCode: 'server_error' });
    expect(events).toHaveLength(2);
  });

  it('sleeps at least retryAfterMs for rate_limit', () => {
    const { manager, clock, health } = setup();
    manager.reportFailure('key-1', kitError('rate_limit', { status: 429, retryAfterMs: 30_000 }));
    expect((health('key-1').backoffUntil ?? 0) - clock.time).toBe(30_000);
    manager.reportFailure('key-2', kitError('rate_limit', { status: 429, retryAfterMs: 200 }));
    expect((health('key-2').backoffUntil ?? 0) - clock.time).toBe(1000);
    manager.reportFailure('key-3', kitError('rate_limit', { status: 429 }));
    expect((health('key-3').backoffUntil ?? 0) - clock.time).toBe(1000);
  });

  it('cools a key down for quotaCooldownMs on quota_exceeded, longer when the server says so', () => {
    const { manager, clock, health, events } = setup();
    manager.reportFailure('key-1', kitError('quota_exceeded', { status: 402 }));
    expect((health('key-1').backoffUntil ?? 0) - clock.time).toBe(3_600_000);
    manager.reportFailure('key-2', kitError('quota_exceeded', { retryAfterMs: 7_200_000 }));
    expect((health('key-2').backoffUntil ?? 0) - clock.time).toBe(7_200_000);
    manager.reportFailure('key-3', kitError('quota_exceeded', { retryAfterMs: 10 }));
    expect((health('key-3').backoffUntil ?? 0) - clock.time).toBe(3_600_000);
    expect(events.map((event) => (event.type === 'credential-failure' ? event.backoffMs : -1))).toEqual([3_600_000, 7_200_000, 3_600_000]);

    const custom = setup(['test-key-1'], { quotaCooldownMs: 5000 });
    custom.manager.reportFailure('key-1', kitError('quota_exceeded'));
    expect((custom.health('key-1').backoffUntil ?? 0) - custom.clock.time).toBe(5000);
  });

  it('never shortens a longer sleep already in force', () => {
    const { manager, clock, health } = setup(['test-key-1']);
    manager.reportFailure('key-1', kitError('quota_exceeded'));
    manager.reportFailure('key-1', kitError('server_error'));
    expect((health('key-1').backoffUntil ?? 0) - clock.time).toBe(3_600_000);
  });

  it('accepts the key itself instead of its id in reports', () => {
    const { manager, health } = setup();
    manager.reportFailure('test-key-beta-2', kitError('server_error'));
    expect(health('key-2').consecutiveFailures).toBe(1);
    manager.reportSuccess('test-key-beta-2');
    expect(health('key-2')).toMatchObject({ consecutiveFailures: 0, successes: 1 });
  });

  it('ignores reports for unknown keys but rejects non-string ones', () => {
    const { manager } = setup();
    expect(() => manager.reportFailure('key-99', kitError('server_error'))).not.toThrow();
    expect(() => manager.reportSuccess('nope')).not.toThrow();
    expectKitError(() => manager.reportFailure(42 as unknown as string), 'invalid_config', 'keyOrId');
  });

  it('keeps working when the onEvent listener throws', () => {
    const onEvent = vi.fn(() => {
      throw new Error('listener exploded');
    });
    const { manager, health } = setup(SECRETS, { onEvent });
    for (let failure = 0; failure < 3; failure++) {
      expect(() => manager.reportFailure('key-1', kitError('server_error'))).not.toThrow();
    }
    expect(() => manager.reportSuccess('key-1')).not.toThrow();
    expect(onEvent).toHaveBeenCalledTimes(3 + 1 + 1);
    expect(health('key-1')).toMatchObject({ healthy: true, consecutiveFailures: 0, failures: 3 });
  });

  it('emits credential-failure with the error as plain data', () => {
    const { manager, clock, events } = setup();
    manager.reportFailure('key-2', kitError('authentication', { status: 401 }));
    expect(events).toEqual([
      {
        type: 'credential-failure',
        at: clock.time,
        provider: 'openai',
        credentialId: 'key-2',
        error: { code: 'authentication', status: 401, message: 'upstream said authentication' },
        consecutiveFailures: 1,
        backoffMs: 1000,
      },
    ]);
  });
});

describe('credentials_exhausted', () => {
  // key-2 failed with transient faults here before; those no longer make the pool refuse calls (panic mode, tested
  // in key-manager.concurrency.test.ts), so both keys now fail with their own faults.
  it('is thrown when every key cools down after its own fault, with retryAfterMs until the soonest is free', () => {
    const { manager, clock } = setup(['test-key-1', 'test-key-2']);
    manager.reportFailure('key-1', kitError('rate_limit', { retryAfterMs: 5000 }));
    manager.reportFailure('key-2', kitError('permission', { status: 403 }));
    manager.reportFailure('key-2', kitError('permission', { status: 403 }));
    let error = expectKitError(() => manager.getNextKey(), 'credentials_exhausted');
    expect(error.retryAfterMs).toBe(2000);
    expect(error.provider).toBe('openai');
    clock.time += 1500;
    error = expectKitError(() => manager.getNextKey(), 'credentials_exhausted');
    expect(error.retryAfterMs).toBe(500);
    clock.time += 500;
    expect(manager.getNextKey()).toBe('test-key-2');
  });

  it('counts rate-limit skips when computing retryAfterMs', () => {
    const { manager, clock } = setup(['test-key-1']);
    manager.reportRateLimit('key-1', { requestsRemaining: 0, requestsResetAt: clock.time + 7000 });
    expect(expectKitError(() => manager.getNextKey(), 'credentials_exhausted').retryAfterMs).toBe(7000);
  });
});

describe('reportRateLimit', () => {
  it('skips a key with no requests remaining until the reset, without counting a failure', () => {
    const { manager, clock, picks, health } = setup(['test-key-1', 'test-key-2']);
    manager.reportRateLimit('key-1', { requestsRemaining: 0, requestsResetAt: clock.time + 5000 });
    expect(picks(3)).toEqual(['test-key-2', 'test-key-2', 'test-key-2']);
    expect(health('key-1')).toMatchObject({ healthy: true, consecutiveFailures: 0, failures: 0, available: false, rateLimitedUntil: clock.time + 5000 });
    expect(manager.getStatus()).toMatchObject({ inBackoff: 1, available: 1, healthy: 2 });
    clock.time += 5000;
    expect(picks(2).sort()).toEqual(['test-key-1', 'test-key-2']);
  });

  it('ignores a reset in the past and lifts the skip when requests remain again', () => {
    const { manager, clock, picks } = setup(['test-key-1', 'test-key-2']);
    manager.reportRateLimit('key-1', { requestsRemaining: 0, requestsResetAt: clock.time - 1 });
    expect(picks(2)).toEqual(['test-key-1', 'test-key-2']);
    manager.reportRateLimit('test-key-1', { requestsRemaining: 0, requestsResetAt: clock.time + 60_000 });
    expect(picks(2)).toEqual(['test-key-2', 'test-key-2']);
    manager.reportRateLimit('key-1', { requestsRemaining: 10 });
    expect(picks(2)).toEqual(['test-key-1', 'test-key-2']);
  });

  it('applies the rate limit carried by reportSuccess', () => {
    const { manager, clock, picks } = setup(['test-key-1', 'test-key-2']);
    manager.reportSuccess('key-1', { latencyMs: 12, rateLimit: { requestsRemaining: 0, requestsResetAt: clock.time + 1000 } });
    expect(picks(2)).toEqual(['test-key-2', 'test-key-2']);
  });
});

describe('CredentialSource', () => {
  it('acquire returns the next key as an api-key lease', async () => {
    const { manager } = setup();
    await expect(manager.acquire({})).resolves.toEqual({ id: 'key-1', secret: 'test-key-alpha-1', kind: 'api-key', sequence: 1 });
    await expect(manager.acquire({})).resolves.toEqual({ id: 'key-2', secret: 'test-key-beta-2', kind: 'api-key', sequence: 2 });
    // getNextKey hands out too: the sequence counts every hand-out of the pool.
    manager.getNextKey();
    await expect(manager.acquire({})).resolves.toMatchObject({ id: 'key-1', sequence: 4 });
  });

  it('acquire with an id returns that key unless it is in backoff', async () => {
    const { manager, health } = setup();
    await expect(manager.acquire({ id: 'key-3' })).resolves.toMatchObject({ id: 'key-3' });
    expect(health('key-3').requests).toBe(1);
    manager.reportFailure('key-3', kitError('server_error'));
    await expect(manager.acquire({ id: 'key-3' })).resolves.toMatchObject({ id: 'key-1' });
    await expect(manager.acquire({ id: 'unknown' })).resolves.toMatchObject({ id: 'key-2' });
  });

  // The key failed with no error (a server_error) before: a transient fault no longer makes the pool refuse calls.
  it('acquire rejects aborted for an aborted signal and credentials_exhausted when all keys sleep', async () => {
    const { manager } = setup(['test-key-1']);
    await expect(manager.acquire({ signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'aborted' });
    manager.reportFailure('key-1', kitError('authentication', { status: 401 }));
    await expect(manager.acquire({})).rejects.toMatchObject({ code: 'credentials_exhausted', retryAfterMs: 1000 });
  });
});

describe('addKey and removeKey', () => {
  it('adds keys with the next free id and rejects duplicates naming the field', () => {
    const { manager } = setup(['test-key-1', 'test-key-2']);
    expect(manager.addKey('test-key-3')).toBe('key-3');
    expect(manager.addKey({ id: 'backup', key: 'test-key-4', weight: 2 })).toBe('backup');
    expectKitError(() => manager.addKey('test-key-1'), 'invalid_config', 'key');
    expectKitError(() => manager.addKey({ id: 'backup', key: 'test-key-5' }), 'invalid_config', 'key.id');
    expectKitError(() => manager.addKey(''), 'invalid_config', 'key');
    expectKitError(() => manager.addKey({ key: 'test-key-6', weight: -1 }), 'invalid_config', 'key.weight');
    manager.removeKey('key-2');
    expect(manager.addKey('test-key-7')).toBe('key-4');
    expect(manager.getKeyHealth().map((entry) => entry.id)).toEqual(['key-1', 'key-3', 'backup', 'key-4']);
  });

  it('removes by id or by key and keeps the round-robin order', () => {
    const { manager, picks } = setup();
    expect(picks(2)).toEqual(['test-key-alpha-1', 'test-key-beta-2']);
    manager.removeKey('test-key-alpha-1');
    expect(picks(3)).toEqual(['test-key-gamma-3', 'test-key-beta-2', 'test-key-gamma-3']);
    manager.removeKey('key-3');
    expect(picks(2)).toEqual(['test-key-beta-2', 'test-key-beta-2']);
  });

  it('rejects removing an unknown or the last key', () => {
    const { manager } = setup(['test-key-1']);
    const error = expectKitError(() => manager.removeKey('test-key-unknown'), 'invalid_config', 'idOrKey');
    expect(error.message).not.toContain('test-key-unknown');
    expectKitError(() => manager.removeKey('key-1'), 'invalid_config', 'idOrKey');
  });
});

describe('reports without secrets', () => {
  it('keeps every key out of health, status, events, errors and serialisations', async () => {
    const { manager, events } = setup();
    manager.getNextKey();
    manager.reportFailure('key-1', new Error('401 for key test-key-alpha-1'));
    manager.reportFailure('test-key-beta-2', kitError('rate_limit', { retryAfterMs: 100 }));
    for (let failure = 0; failure < 3; failure++) manager.reportFailure('key-3', new KitError('authentication', 'bad key test-key-gamma-3'));
    manager.reportRateLimit('key-1', { requestsRemaining: 0, requestsResetAt: Date.now() * 2 });
    let exhausted: unknown;
    try {
      manager.getNextKey();
    } catch (error) {
      exhausted = error;
    }
    const failed = await manager.executeWithFailover(async () => 'never', {}).catch((error: unknown) => error);
    manager.reportSuccess('key-3');

    const observed = [
      JSON.stringify(manager.getKeyHealth()),
      JSON.stringify(manager.getStatus()),
      JSON.stringify(events),
      JSON.stringify(manager),
      inspect(manager, { showHidden: true, depth: 10 }),
      JSON.stringify(exhausted),
      String(exhausted),
      JSON.stringify(failed),
    ].join('\n');
    expect(events.map((event) => event.type)).toEqual([
      'credential-failure',
      'credential-failure',
      'credential-failure',
      'credential-failure',
      'credential-failure',
      'credential-unhealthy',
      'credential-recovered',
    ]);
    for (const secret of SECRETS) expect(observed).not.toContain(secret);
    expect(observed).toContain('key-3');
  });
});

describe('performance', () => {
  it('keeps selection plus bookkeeping well under 10 µs per request', () => {
    const keys = Array.from({ length: 20 }, (_, index) => `test-key-${index + 1}`);
    for (const strategy of ['round-robin', 'weighted', 'random'] as const) {
      // A clock that advances 100 ms per request, so a failed key sleeps for ten requests.
      let time = 0;
      const manager = new KeyManager('openai', keys, { strategy, now: () => time });
      const rounds = 100_000;
      for (let warm = 0; warm < 10_000; warm++) manager.reportSuccess(manager.getNextKey());
      const started = performance.now();
      for (let round = 0; round < rounds; round++) {
        time += 100;
        const key = manager.getNextKey();
        if (round % 50 === 0) manager.reportFailure(key, new KitError('server_error', 'boom'));
        else manager.reportSuccess(key);
      }
      const microsecondsPerRequest = ((performance.now() - started) * 1000) / rounds;
      // Generous bound so a loaded CI machine passes; a sort or allocation per call would still fail it.
      expect(microsecondsPerRequest).toBeLessThan(10);
    }
  });
});
