import { custom, literal, number, optional, parseOrThrow, strictObject, type KitEventListener } from '@kit/core';
import { check } from './invalid-config';

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

const isFunction = (value: unknown) => typeof value === 'function';

/** Strict: an unknown or misspelt option is an `invalid_config` error naming it (the same checker as every provider). */
const optionsSchema = /* @__PURE__ */ (() =>
  strictObject({
    strategy: optional(literal('round-robin', 'weighted', 'random')),
    initialBackoffMs: optional(number({ min: 0 })),
    maxBackoffMs: optional(number({ min: 0 })),
    unhealthyAfter: optional(number({ int: true, min: 1 })),
    quotaCooldownMs: optional(number({ min: 0 })),
    jitter: optional(number({ min: 0, max: 1 })),
    now: optional(custom(isFunction, 'must be a function')),
    random: optional(custom(isFunction, 'must be a function')),
    onEvent: optional(custom(isFunction, 'must be a function')),
  }))();

/**
 * Validates `options` (every problem names its field, e.g. `options.maxBackoffMs`) and fills in the defaults.
 * Without `maxBackoffMs`, the cap is 60 s or the initial backoff, whichever is larger.
 */
export function resolveKeyManagerOptions(options: unknown = {}, provider: string): ResolvedKeyManagerOptions {
  const given = parseOrThrow(optionsSchema, options, 'invalid_config', { what: `KeyManager(${provider})`, provider, prefix: 'options' }) as Record<string, unknown>;
  const resolved: Record<string, unknown> = { ...defaults, maxBackoffMs: undefined };
  for (const name in given) if (given[name] !== undefined) resolved[name] = given[name];
  const { initialBackoffMs } = resolved as { initialBackoffMs: number };
  resolved.maxBackoffMs ??= Math.max(60_000, initialBackoffMs);
  check((resolved.maxBackoffMs as number) >= initialBackoffMs, provider, 'options.maxBackoffMs', 'must be at least options.initialBackoffMs');
  return resolved as unknown as ResolvedKeyManagerOptions;
}
