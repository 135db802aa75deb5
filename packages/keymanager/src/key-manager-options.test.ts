import { describe, expect, it } from 'vitest';
import { resolveKeyManagerOptions } from './key-manager-options';

describe('resolveKeyManagerOptions', () => {
  it('applies the documented defaults', () => {
    const resolved = resolveKeyManagerOptions(undefined, 'openai');
    expect(resolved).toMatchObject({
      strategy: 'round-robin',
      initialBackoffMs: 1000,
      maxBackoffMs: 60_000,
      unhealthyAfter: 3,
      quotaCooldownMs: 3_600_000,
      jitter: 0,
      onEvent: undefined,
    });
    expect(resolved.now).toBe(Date.now);
    expect(resolved.random).toBe(Math.random);
  });

  it('keeps given values', () => {
    const now = () => 5;
    const onEvent = () => {};
    expect(
      resolveKeyManagerOptions({ strategy: 'weighted', initialBackoffMs: 0, maxBackoffMs: 10, unhealthyAfter: 1, jitter: 1, now, onEvent }, 'openai'),
    ).toMatchObject({ strategy: 'weighted', initialBackoffMs: 0, maxBackoffMs: 10, unhealthyAfter: 1, jitter: 1, now, onEvent });
  });

  it('raises the default cap to a larger initial backoff', () => {
    expect(resolveKeyManagerOptions({ initialBackoffMs: 120_000 }, 'openai').maxBackoffMs).toBe(120_000);
  });

  it.each<[unknown, string]>([
    [null, 'options'],
    ['fast', 'options'],
    [{ initialBackoffMs: '1000' }, 'options.initialBackoffMs'],
    [{ maxBackoffMs: -1 }, 'options.maxBackoffMs'],
    [{ unhealthyAfter: Number.NaN }, 'options.unhealthyAfter'],
    [{ jitter: -0.1 }, 'options.jitter'],
    [{ random: 0.5 }, 'options.random'],
    [{ strategy: 'least-latency' }, 'options.strategy'],
    [{ retries: 2 }, 'options.retries'],
  ])('rejects %j naming %s', (options, field) => {
    expect(() => resolveKeyManagerOptions(options, 'openai')).toThrow(
      expect.objectContaining({ code: 'invalid_config', message: expect.stringContaining(field) }),
    );
  });
});
