import type { KitEventListener } from '@kit/core';
import { invalidConfig } from './invalid-config';

/**
 * How `KeyManager` picks the next key among the available ones:
 * - `'round-robin'` — in list order, starting at the first key;
 * - `'weighted'` — smooth weighted round-robin by each key's `weight` (deterministic);
 * - `'random'` — uniformly at random.
 */
export type KeySelectionStrategy = 'round-robin' | 'weighted' | 'random';

/** Options of `new KeyManager(providerName, keys, options)`. Every field is optional. */
export interface KeyManagerOptions {
  /** Selection strategy. Default `'round-robin'`. */
  strategy?: KeySelectionStrategy;
  /** Backoff after the first failure, in ms. Default 1000. */
  initialBackoffMs?: number;
  /** Cap of the exponential backoff, in ms. Default 60 000. */
  maxBackoffMs?: number;
  /** Consecutive failures after which a key is reported unhealthy. Default 3. */
  unhealthyAfter?: number;
  /** How long a key sleeps after `quota_exceeded`, in ms (longer if the server says so). Default 3 600 000 (1 h). */
  quotaCooldownMs?: number;
  /** Jitter ratio in [0, 1]: each backoff becomes `backoff × (1 ± jitter·random)`. Default 0. */
  jitter?: number;
  /** Clock in epoch ms. Default `Date.now`. */
  now?: () => number;
  /** Random source in [0, 1) for jitter and the `'random'` strategy. Default `Math.random`. */
  random?: () => number;
  /** Receives `credential-failure`, `credential-unhealthy`, `credential-recovered` and `failover` events. A throwing listener is ignored. */
  onEvent?: KitEventListener;
}

/** Options with every default applied (internal). */
export interface ResolvedKeyManagerOptions {
  strategy: KeySelectionStrategy;
  initialBackoffMs: number;
  maxBackoffMs: number;
  unhealthyAfter: number;
  quotaCooldownMs: number;
  jitter: number;
  now: () => number;
  random: () => number;
  onEvent: KitEventListener | undefined;
}

const strategies: readonly KeySelectionStrategy[] = ['round-robin', 'weighted', 'random'];
const knownOptions = new Set([
  'strategy',
  'initialBackoffMs',
  'maxBackoffMs',
  'unhealthyAfter',
  'quotaCooldownMs',
  'jitter',
  'now',
  'random',
  'onEvent',
]);

/** Validates the options and applies the defaults; a bad value throws `invalid_config` naming the option. */
export function resolveKeyManagerOptions(options: unknown, provider: string): ResolvedKeyManagerOptions {
  if (options === undefined) options = {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw invalidConfig(provider, 'options', 'must be an object');
  }
  const given = options as Record<string, unknown>;
  for (const name of Object.keys(given)) {
    if (!knownOptions.has(name)) throw invalidConfig(provider, `options.${name}`, 'is not a known option');
  }

  const number = (name: string, fallback: number, check: (value: number) => boolean, expected: string): number => {
    const value = given[name];
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || !check(value)) {
      throw invalidConfig(provider, `options.${name}`, `must be ${expected}`);
    }
    return value;
  };
  const callback = <T>(name: string): T | undefined => {
    const value = given[name];
    if (value !== undefined && typeof value !== 'function') throw invalidConfig(provider, `options.${name}`, 'must be a function');
    return value as T | undefined;
  };

  const strategy = given.strategy ?? 'round-robin';
  if (!strategies.includes(strategy as KeySelectionStrategy)) {
    throw invalidConfig(provider, 'options.strategy', `must be one of ${strategies.map((name) => `'${name}'`).join(', ')}`);
  }
  const initialBackoffMs = number('initialBackoffMs', 1000, (value) => value >= 0, 'a finite number ≥ 0');
  const maxBackoffMs = number('maxBackoffMs', Math.max(60_000, initialBackoffMs), (value) => value >= initialBackoffMs, 'a finite number ≥ initialBackoffMs');
  const unhealthyAfter = number('unhealthyAfter', 3, (value) => Number.isInteger(value) && value >= 1, 'an integer ≥ 1');
  const quotaCooldownMs = number('quotaCooldownMs', 3_600_000, (value) => value >= 0, 'a finite number ≥ 0');
  const jitter = number('jitter', 0, (value) => value >= 0 && value <= 1, 'a number between 0 and 1');

  return {
    strategy: strategy as KeySelectionStrategy,
    initialBackoffMs,
    maxBackoffMs,
    unhealthyAfter,
    quotaCooldownMs,
    jitter,
    now: callback<() => number>('now') ?? Date.now,
    random: callback<() => number>('random') ?? Math.random,
    onEvent: callback<KitEventListener>('onEvent'),
  };
}
