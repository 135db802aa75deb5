import type { CredentialStateStore, KitEventListener } from '@kit/core';
import {
  credentialHealthOptionsShape,
  credentialStateStoreSchema,
  parseOrThrow,
  resolveCredentialHealthPolicy,
  type CredentialHealthPolicy,
} from '@kit/core/provider-utils';
import * as z from 'zod/mini';

/** Strict: an unknown or misspelt option is an `invalid_config` error naming it. */
function keyManagerOptionsSchema() {
  return z.strictObject({
    /**
     * How the next key is picked among the available ones:
     * - `'round-robin'` (default) — in list order, starting at the first key;
     * - `'weighted'` — smooth weighted round-robin by each key's `weight` (deterministic);
     * - `'random'` — uniformly at random.
     */
    strategy: z.optional(z.literal(['round-robin', 'weighted', 'random'])),
    ...credentialHealthOptionsShape(),
    /**
     * Shares health, failure counters, cooldowns and rate-limit windows with the other processes using the same store
     * (`createRedisStateStore` from `@kit/store-redis`). Reads stay in memory; only the keys' ids are written, never a key.
     */
    stateStore: z.optional(credentialStateStoreSchema()),
  });
}

/**
 * Options of `new KeyManager(providerName, keys, options)`. Every field is optional: `strategy`, the backoff and
 * health numbers (`initialBackoffMs` 1 000, `maxBackoffMs` 60 000, `maxTransientBackoffMs` 5 000, `unhealthyAfter`
 * 3, `quotaCooldownMs` 1 h, `jitter` 0), per-status / per-code `policies`, the clocks (`now`, `monotonicNow`),
 * `random`, `onEvent` and `stateStore`.
 */
export type KeyManagerOptions = z.infer<ReturnType<typeof keyManagerOptionsSchema>>;

/**
 * How `KeyManager` picks the next key among the available ones:
 * - `'round-robin'` — in list order, starting at the first key;
 * - `'weighted'` — smooth weighted round-robin by each key's `weight` (deterministic);
 * - `'random'` — uniformly at random.
 */
export type KeySelectionStrategy = NonNullable<KeyManagerOptions['strategy']>;

/** Options with every default applied (internal). */
export interface ResolvedKeyManagerOptions {
  strategy: KeySelectionStrategy;
  /** Backoff, health, rules and clocks, shared with `OAuthManager`. */
  health: CredentialHealthPolicy;
  onEvent: KitEventListener | undefined;
  stateStore: CredentialStateStore | undefined;
}

/**
 * Validates `options` (every problem names its field, e.g. `options.maxBackoffMs`) and fills in the defaults.
 * Without `maxBackoffMs`, the cap is 60 s or the initial backoff, whichever is larger.
 */
export function resolveKeyManagerOptions(options: unknown, provider: string): ResolvedKeyManagerOptions {
  const what = `KeyManager(${provider})`;
  const given = parseOrThrow(keyManagerOptionsSchema(), options === undefined ? {} : options, 'invalid_config', { what, provider, prefix: 'options' });
  return {
    strategy: given.strategy ?? 'round-robin',
    health: resolveCredentialHealthPolicy(given, what, provider),
    onEvent: given.onEvent,
    stateStore: given.stateStore,
  };
}
