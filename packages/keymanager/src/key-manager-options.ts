import type { KitEventListener } from '@kit/core';
import { check, isRecord, UNKNOWN } from './invalid-config';

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

const defaults: ResolvedKeyManagerOptions = {
  strategy: 'round-robin',
  initialBackoffMs: 1000,
  maxBackoffMs: 60_000,
  unhealthyAfter: 3,
  quotaCooldownMs: 3_600_000,
  jitter: 0,
  now: Date.now,
  random: Math.random,
  onEvent: undefined,
};

/**
 * Validates the options and applies the defaults; a bad value throws `invalid_config` naming the option
 * (numbers must be finite and ≥ 0, `maxBackoffMs` ≥ `initialBackoffMs`, `unhealthyAfter` an integer ≥ 1,
 * `jitter` ≤ 1; `now`, `random` and `onEvent` functions).
 */
export function resolveKeyManagerOptions(options: unknown = {}, provider: string): ResolvedKeyManagerOptions {
  check(isRecord(options), provider, 'options');
  const resolved: Record<string, unknown> = { ...defaults, maxBackoffMs: undefined, ...options };
  for (const name in resolved) {
    const field = `options.${name}`;
    const fallback = defaults[name as keyof typeof defaults];
    check(Object.hasOwn(defaults, name), provider, field, UNKNOWN);
    let value = resolved[name] as number;
    // The default cap never undercuts a larger initial backoff.
    if (value === undefined) value = resolved[name] = (name == 'maxBackoffMs' ? Math.max(60_000, resolved.initialBackoffMs as number) : fallback) as number;
    const type = typeof value;
    check(
      // Only `onEvent` may stay undefined. Every value has the type of its default (`onEvent`: a function).
      value === undefined ||
        (type == typeof (fallback ?? check) &&
          (type == 'number'
            ? isFinite(value) &&
              value >= (name == 'maxBackoffMs' ? (resolved.initialBackoffMs as number) : +(name == 'unhealthyAfter')) &&
              (name != 'jitter' || value <= 1) &&
              (name != 'unhealthyAfter' || value % 1 == 0)
            : type != 'string' || /^(round-robin|weighted|random)$/.test(value as never))),
      provider,
      field,
    );
  }
  return resolved as unknown as ResolvedKeyManagerOptions;
}
