import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { credentialHealthOptionsShape, resolveCredentialHealthPolicy } from './credential-health-options';
import { KitError } from './kit-error';
import { MAX_TIMER_MS } from './setting-schemas';
import { parseOrThrow } from './validate';

const schema = () => z.strictObject(credentialHealthOptionsShape());
const context = { what: 'Pool(test)', provider: 'test', prefix: 'options' };

function messageOf(input: unknown): string {
  try {
    parseOrThrow(schema(), input, 'invalid_config', context);
  } catch (error) {
    expect(KitError.is(error)).toBe(true);
    expect((error as KitError).code).toBe('invalid_config');
    return (error as KitError).message;
  }
  throw new Error('expected invalid_config');
}

describe('the health options schema (through parseOrThrow)', () => {
  it('returns the validated options', () => {
    const now = () => 1;
    expect(parseOrThrow(schema(), { initialBackoffMs: 0, policies: { 401: { action: 'disable' } }, now }, 'invalid_config', context)).toEqual({
      initialBackoffMs: 0,
      policies: { 401: { action: 'disable' } },
      now,
    });
  });

  it.each<[unknown, string]>([
    [{ initialBackoffMs: -1 }, 'options.initialBackoffMs: must be at least 0'],
    [{ maxBackoffMs: MAX_TIMER_MS + 1 }, 'options.maxBackoffMs: must be at most 2147483647'],
    [{ quotaCooldownMs: 1.5 }, 'options.quotaCooldownMs: must be an integer'],
    [{ jitter: 'some' }, 'options.jitter: must be a finite number'],
    [{ unhealthyAfter: 2.5 }, 'options.unhealthyAfter: must be an integer'],
    [{ now: 3 }, 'options.now: must be a function'],
    [{ policies: { 429: { action: 'wait' } } }, 'options.policies.429.action: must be one of "cooldown", "disable", "ignore"'],
    [{ policies: { 600: {} } }, 'options.policies.600: is not an HTTP error status (400–599) or a KitError code a credential can cause'],
    [{ policies: { credentials_exhausted: {} } }, 'options.policies.credentials_exhausted: is not an HTTP error status'],
    [{ policies: { 401: { action: 'ignore', cooldownMs: 1 } } }, 'options.policies.401.cooldownMs: goes only with action "cooldown"'],
  ])('names the field of %j in plain words', (input, message) => {
    expect(messageOf(input)).toContain(`Pool(test): ${message}`);
  });

  it('names each unknown key as a field of its own, and every problem at once', () => {
    expect(messageOf({ backoff: 1, retries: 2, jitter: 5 })).toBe(
      'Pool(test): options.jitter: must be at most 1; options.backoff: is not a known option; options.retries: is not a known option',
    );
  });

  it('never repeats a value in its message', () => {
    expect(messageOf({ policies: { 401: { action: 'test-key-secret-value' } } })).not.toContain('test-key-secret-value');
  });
});

describe('resolveCredentialHealthPolicy', () => {
  it('applies the defaults; durations run on performance.now unless a clock is injected', () => {
    const policy = resolveCredentialHealthPolicy({}, 'Pool(test)', 'test');
    expect(policy).toMatchObject({
      initialBackoffMs: 1000,
      maxBackoffMs: 60_000,
      maxTransientBackoffMs: 5000,
      unhealthyAfter: 3,
      quotaCooldownMs: 3_600_000,
      jitter: 0,
      rules: undefined,
    });
    expect(policy.clock.wall).toBe(Date.now);
    const before = performance.now();
    const reading = policy.clock.monotonic();
    expect(reading).toBeGreaterThanOrEqual(before);
    expect(reading).toBeLessThan(before + 60_000);
  });

  it('copies the rules into a null-prototype table (no inherited keys match)', () => {
    const policy = resolveCredentialHealthPolicy({ policies: { 401: { action: 'disable' } } }, 'Pool(test)', 'test');
    expect(Object.getPrototypeOf(policy.rules)).toBeNull();
    expect(policy.rules?.constructor).toBeUndefined();
    expect(policy.rules?.['401']).toEqual({ action: 'disable' });
  });

  it('rejects a cap below the initial backoff', () => {
    expect(() => resolveCredentialHealthPolicy({ initialBackoffMs: 10, maxBackoffMs: 5 }, 'Pool(test)', 'test')).toThrow(
      expect.objectContaining({ code: 'invalid_config', message: 'Pool(test): options.maxBackoffMs: must be at least options.initialBackoffMs' }),
    );
  });
});
