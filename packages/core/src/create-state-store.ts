import * as z from 'zod/mini';
import { SharedPoolBinding, type StateStoreSettings } from './shared-pool-binding';
import { durationMsSchema, implementsSchema } from './setting-schemas';
import type { CredentialStateStore, SharedStateBinding, SharedStatePool, StateCipher, StateStoreBackend } from './state-store';
import { parseOrThrow } from './validate';

/** Strict: an unknown or misspelt option is an `invalid_config` error naming it. */
function stateStoreOptionsSchema() {
  return z.strictObject({
    /**
     * Seals the OAuth tokens the store writes (e.g. `createPassphraseCipher(passphrase)`). Without it, an
     * `OAuthManager` refuses the store unless `plaintextSecrets` is `true`. API keys are never written: only their ids.
     */
    cipher: z.optional(implementsSchema<StateCipher>(['seal', 'open'], 'must have seal and open functions')),
    /** Opt-in: write OAuth tokens in clear (only for a store nobody else can read). Default `false`. */
    plaintextSecrets: z.optional(z.boolean()),
    /**
     * How long a process holds the refresh lock of an OAuth credential without renewing it. The holder renews it every
     * third of this while its refresh runs; if it dies, another process takes over after at most this long. Default 10 000.
     */
    lockTtlMs: z.optional(durationMsSchema()),
    /** While another process refreshes, a waiter looks again after this long if no change arrived first. Default 200. */
    lockPollMs: z.optional(durationMsSchema()),
    /** One store operation that takes longer counts as the store being unavailable. Default 1 000. */
    operationTimeoutMs: z.optional(durationMsSchema()),
  });
}

/** Options of `createStateStore(backend, options)` (and of stores built on it, such as `createRedisStateStore`). */
export type StateStoreOptions = z.infer<ReturnType<typeof stateStoreOptionsSchema>>;

/** A state store that can be closed: it stops the backend's change feed (the backend's connections are the backend's). */
export interface ClosableStateStore extends CredentialStateStore {
  /** Detaches every manager and stops the change feed. */
  close(): void;
}

/**
 * Builds the `stateStore` of `KeyManager` / `OAuthManager` over a {@link StateStoreBackend}: memory-first reads (the
 * managers read only their own records; the backend's change feed updates them), one merge per local change, the
 * OAuth refresh lock with waiters that adopt the committed token, sealed tokens, and local fallback with a
 * `store-unavailable` event when the backend cannot be reached.
 * @throws KitError `invalid_config` naming a bad option.
 */
export function createStateStore(backend: StateStoreBackend, options?: StateStoreOptions): ClosableStateStore {
  const given = parseOrThrow(stateStoreOptionsSchema(), options ?? {}, 'invalid_config', { what: 'createStateStore', prefix: 'options' });
  const settings: StateStoreSettings = {
    cipher: given.cipher,
    plaintextSecrets: given.plaintextSecrets ?? false,
    lockTtlMs: given.lockTtlMs ?? 10_000,
    lockPollMs: given.lockPollMs ?? 200,
    operationTimeoutMs: given.operationTimeoutMs ?? 1_000,
  };
  const bindings = new Set<SharedPoolBinding>();
  let unsubscribe: (() => void) | undefined;
  const stop = () => {
    unsubscribe?.();
    unsubscribe = undefined;
  };
  return {
    attach(pool: SharedStatePool): SharedStateBinding {
      // The feed starts with the first pool, before its first read, so no change between the two is missed.
      unsubscribe ??= backend.subscribe(
        (change) => {
          for (const binding of bindings) binding.receive(change);
        },
        (available, reason) => {
          for (const binding of bindings) binding.availability(available, reason);
        },
      );
      let binding: SharedPoolBinding;
      try {
        binding = new SharedPoolBinding(pool, backend, settings, () => {
          bindings.delete(binding);
          if (bindings.size === 0) stop();
        });
      } catch (error) {
        if (bindings.size === 0) stop();
        throw error;
      }
      bindings.add(binding);
      return binding;
    },
    close() {
      for (const binding of [...bindings]) binding.detach();
      stop();
    },
  };
}
