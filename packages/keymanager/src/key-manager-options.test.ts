import { describe, expect, it } from 'vitest';
import { resolveKeyManagerOptions } from './key-manager-options';

describe('resolveKeyManagerOptions', () => {
  it('applies the documented defaults', () => {
    const resolved = resolveKeyManagerOptions(undefined, 'openai');
    expect(resolved.strategy).toBe('round-robin');
    expect(resolved.onEvent).toBeUndefined();
    expect(resolved.health).toMatchObject({
      initialBackoffMs: 1000,
      maxBackoffMs: 60_000,
      maxTransientBackoffMs: 5_000,
      unhealthyAfter: 3,
      quotaCooldownMs: 3_600_000,
      jitter: 0,
      rules: undefined,
    });
    expect(resolved.health.clock.wall).toBe(Date.now);
    expect(resolved.health.random).toBe(Math.random);
    // The default duration clock is monotonic (performance.now), not the wall clock.
    expect(resolved.health.clock.monotonic).not.toBe(Date.now);
  });

  it('keeps given values; an injected now alone also measures durations', () => {
    const now = () => 5;
    const onEvent = () => {};
    const resolved = resolveKeyManagerOptions(
      { strategy: 'weighted', initialBackoffMs: 0, maxBackoffMs: 10, unhealthyAfter: 1, jitter: 1, now, onEvent },
      'openai',
    );
    expect(resolved).toMatchObject({ strategy: 'weighted', onEvent, health: { initialBackoffMs: 0, maxBackoffMs: 10, unhealthyAfter: 1, jitter: 1 } });
    expect(resolved.health.clock).toEqual({ wall: now, monotonic: now });
    const monotonicNow = () => 7;
    expect(resolveKeyManagerOptions({ now, monotonicNow }, 'openai').health.clock).toEqual({ wall: now, monotonic: monotonicNow });
  });

  it('raises the default cap to a larger initial backoff', () => {
    expect(resolveKeyManagerOptions({ initialBackoffMs: 120_000 }, 'openai').health.maxBackoffMs).toBe(120_000);
  });

  it('keeps per-status and per-code rules', () => {
    const policies = {
      401: { action: 'disable' as const },
      429: { cooldownMs: 30_000 },
      quota_exceeded: { cooldownMs: 600_000 },
      500: { action: 'ignore' as const },
    };
    expect(resolveKeyManagerOptions({ policies }, 'openai').health.rules).toEqual({
      401: { action: 'disable' },
      429: { cooldownMs: 30_000 },
      quota_exceeded: { cooldownMs: 600_000 },
      500: { action: 'ignore' },
    });
  });

  it.each<[unknown, string]>([
    [null, 'options: must be an object'],
    ['fast', 'options: must be an object'],
    [{ initialBackoffMs: '1000' }, 'options.initialBackoffMs: must be a finite number'],
    [{ maxBackoffMs: -1 }, 'options.maxBackoffMs: must be at least 0'],
    [{ maxBackoffMs: 2 ** 31 }, 'options.maxBackoffMs: must be at most 2147483647'],
    [{ quotaCooldownMs: 30 * 86_400_000 }, 'options.quotaCooldownMs: must be at most 2147483647'],
    [{ maxTransientBackoffMs: Number.POSITIVE_INFINITY }, 'options.maxTransientBackoffMs: must be a finite number'],
    [{ unhealthyAfter: Number.NaN }, 'options.unhealthyAfter: must be a'],
    [{ unhealthyAfter: 1.5 }, 'options.unhealthyAfter: must be an integer'],
    [{ jitter: -0.1 }, 'options.jitter: must be at least 0'],
    [{ random: 0.5 }, 'options.random: must be a function'],
    [{ monotonicNow: 'performance' }, 'options.monotonicNow: must be a function'],
    [{ strategy: 'least-latency' }, 'options.strategy: must be one of "round-robin", "weighted", "random"'],
    [{ retries: 2 }, 'options.retries: is not a known option'],
    [{ policies: { 200: { action: 'disable' } } }, 'options.policies.200: is not an HTTP error status'],
    [{ policies: { aborted: { action: 'disable' } } }, 'options.policies.aborted: is not an HTTP error status'],
    [{ policies: { 401: { action: 'ban' } } }, 'options.policies.401.action: must be one of "cooldown", "disable", "ignore"'],
    [{ policies: { 401: { action: 'disable', cooldownMs: 5 } } }, 'options.policies.401.cooldownMs: goes only with action "cooldown"'],
    [{ policies: { 429: { cooldownMs: 2 ** 31 } } }, 'options.policies.429.cooldownMs: must be at most 2147483647'],
    [{ policies: { 429: { cooldown: 5 } } }, 'options.policies.429.cooldown: is not a known option'],
    [{ policies: [] }, 'options.policies: must be an object'],
  ])('rejects %j: %s', (options, message) => {
    expect(() => resolveKeyManagerOptions(options, 'openai')).toThrow(
      expect.objectContaining({ code: 'invalid_config', message: expect.stringContaining(`KeyManager(openai): ${message}`) }),
    );
  });

  it('rejects a maxBackoffMs below initialBackoffMs naming both', () => {
    expect(() => resolveKeyManagerOptions({ initialBackoffMs: 5000, maxBackoffMs: 1000 }, 'openai')).toThrow(
      expect.objectContaining({ code: 'invalid_config', message: 'KeyManager(openai): options.maxBackoffMs: must be at least options.initialBackoffMs' }),
    );
  });
});
