import type { CredentialHealthRecord } from './credential-health';
import type { CredentialClock } from './credential-health-options';
import type { KitError } from './kit-error';
import type { KitEventListener } from './kit-event';

// The contract between the credential managers (`KeyManager`, `OAuthManager`) and a shared state store — Redis,
// an HTTP key-value service, anything several processes can reach. Web-standard: nothing here needs Node.
//
// Two sides:
// - what a manager sees (`CredentialStateStore`): it attaches its pool once and reports local changes; reads stay in
//   memory. `createStateStore(backend)` builds one from a backend.
// - what a store author writes (`StateStoreBackend`): a handful of atomic operations and a change feed.

/**
 * What processes share about one credential's health. Deadlines are wall-clock epoch ms (0: none); `unhealthy` and
 * `disabled` are 0 or 1. Every field merges the same way ({@link mergeSharedHealth}): a larger value always wins; a
 * smaller one only replaces a value its writer knew about. So a later, longer cooldown is never shortened by an
 * earlier one, and a success clears only the cooldowns its process had seen.
 */
export interface SharedHealth {
  /** End of the cooldown after the credential's own fault (rate limit, revoked key, quota, forbidden). */
  penaltyUntil: number;
  /** End of a rate-limit window with no request left (from rate-limit headers). */
  rateLimitedUntil: number;
  /** Failure events in a row. */
  consecutiveFailures: number;
  /** 1 once the credential is unhealthy. */
  unhealthy: number;
  /** 1 while a `policies` rule with action `'disable'` keeps it out. */
  disabled: number;
}

/** The fields of {@link SharedHealth}, in the order backends store them. */
export const SHARED_HEALTH_FIELDS = ['penaltyUntil', 'rateLimitedUntil', 'consecutiveFailures', 'unhealthy', 'disabled'] as const;

/** A credential's shared health as the store holds it: `version` grows with every merge. */
export interface SharedHealthRecord {
  version: number;
  health: SharedHealth;
}

/** A health change: the values a process has now (`next`) and those it last saw in the store (`known`). */
export interface SharedHealthUpdate {
  next: SharedHealth;
  known: SharedHealth;
}

/**
 * The merge every backend applies atomically, field by field: `next` wins when it is larger than the stored value, or
 * when it is smaller and the stored value is one its writer knew (`stored ≤ known`); otherwise the stored value stays.
 */
export function mergeSharedHealth(stored: SharedHealth, update: SharedHealthUpdate): SharedHealth {
  const merged = { ...stored };
  for (const field of SHARED_HEALTH_FIELDS) {
    const next = update.next[field];
    const current = stored[field];
    if (next > current || (next < current && current <= update.known[field])) merged[field] = next;
  }
  return merged;
}

/** An OAuth credential's tokens as processes share them (plain, in memory only). */
export interface SharedToken {
  accessToken: string;
  refreshToken?: string;
  /** Epoch ms. */
  expiresAt?: number;
  /** Epoch ms of the refresh that produced these tokens. */
  lastRefreshAt?: number;
  refreshCount?: number;
  resourceUrl?: string;
}

/**
 * An OAuth credential's tokens as the store holds them: `accessToken` and `refreshToken` sealed by the store's
 * cipher (or in clear only when the user opted in); `version` grows with every commit.
 */
export interface StoredToken extends SharedToken {
  version: number;
}

/** A change another process (or this one) made, as the backend's feed delivers it. */
export type SharedStateChange =
  | { type: 'health'; key: string; record: SharedHealthRecord }
  | { type: 'token'; key: string; token: StoredToken }
  /** A refresh lock was released without a new token (the refresh failed): waiters may try themselves. */
  | { type: 'unlock'; key: string };

/**
 * What a store author implements: atomic operations on per-credential records, a refresh lock with fencing tokens and
 * a change feed. `key` is opaque (it names one credential of one pool); use it inside your own key names. Every
 * operation may reject when the store cannot be reached: the managers then go on with their own state.
 */
export interface StateStoreBackend {
  /** The shared health of a credential, or `undefined` when none is stored. */
  readHealth(key: string): Promise<SharedHealthRecord | undefined>;
  /**
   * Applies {@link mergeSharedHealth} atomically, increments the version, publishes a `'health'` change and resolves
   * to the merged record.
   */
  mergeHealth(key: string, update: SharedHealthUpdate): Promise<SharedHealthRecord>;
  /** The stored tokens of an OAuth credential, or `undefined`. */
  readToken(key: string): Promise<StoredToken | undefined>;
  /**
   * Takes the refresh lock of a credential for `ttlMs` when nobody holds it (Redis: `SET NX PX`), with a fencing
   * token that grows with every grant. Resolves to the fencing token, or `undefined` when another holds the lock.
   */
  lockRefresh(key: string, ttlMs: number): Promise<number | undefined>;
  /** Extends the lock while `fence` still holds it; resolves whether it did. */
  extendRefreshLock(key: string, fence: number, ttlMs: number): Promise<boolean>;
  /** Releases the lock if `fence` still holds it, and publishes an `'unlock'` change. */
  unlockRefresh(key: string, fence: number): Promise<void>;
  /**
   * Writes new tokens atomically (access token, expiry and rotated refresh token together), increments the version
   * and publishes a `'token'` change. With `fence`: only while that fencing token holds the lock and is newer than the
   * one of the stored tokens. Without (re-sync after an outage): only when `lastRefreshAt` is later than the stored
   * one. Resolves to the new version, or `undefined` when nothing was written.
   */
  commitToken(key: string, token: SharedToken, fence?: number): Promise<number | undefined>;
  /**
   * Starts the change feed: `onChange` for every change (including this process's own), `onAvailability(false)` when
   * the store becomes unreachable and `onAvailability(true)` when it is back (the managers then re-sync). Returns a
   * function that stops the feed.
   */
  subscribe(onChange: (change: SharedStateChange) => void, onAvailability: (available: boolean, reason?: string) => void): () => void;
}

/**
 * Seals the secrets a store writes (access and refresh tokens), with web-standard crypto. `context` names the record
 * and field a value belongs to: bind it (e.g. as AES-GCM additional data) so a sealed value cannot be moved elsewhere.
 */
export interface StateCipher {
  seal(plaintext: string, context: string): Promise<string>;
  /** Rejects when the value was not sealed by this cipher's key or was altered. */
  open(sealed: string, context: string): Promise<string>;
}

/** One credential of a pool: its id and its live health record (the binding reads it and folds shared changes in). */
export interface SharedCredential {
  readonly id: string;
  readonly health: CredentialHealthRecord;
}

/** What a manager shows its state store: its credentials, clocks and events (internal contract of the managers). */
export interface SharedStatePool {
  kind: 'api-key' | 'oauth';
  /** The pool's name (the provider name given to the manager). */
  provider: string;
  /** The pool's credentials now. */
  credentials(): readonly SharedCredential[];
  /** The pool's latest hand-out sequence: a remote cooldown makes earlier hand-outs' successes late. */
  sequence(): number;
  clock: CredentialClock;
  /** The manager's event listener (`store-unavailable`). */
  emit: KitEventListener | undefined;
  /** OAuth: the credential's tokens now. */
  token?(id: string): SharedToken | undefined;
  /** OAuth: another process refreshed: use these tokens (and persist them). */
  adoptToken?(id: string, token: SharedToken): Promise<void>;
  /** OAuth: whether the token must be refreshed before use. */
  needsRefresh?(id: string): boolean;
  /** OAuth: how long one refresh may take; a process waiting for another's refresh gives up after the lock time plus this. */
  refreshTimeoutMs?: number;
}

/** A manager's link to its state store. */
export interface SharedStateBinding {
  /**
   * Set while the shared state is first read; the manager's first `acquire` waits for it (bounded by the store's
   * operation timeout). `undefined` once settled.
   */
  readonly ready: Promise<void> | undefined;
  /** Call after every report about a credential: writes to the store only when a shared field changed. */
  healthChanged(credential: SharedCredential): void;
  /**
   * OAuth: runs `refresh` under the shared refresh lock, or adopts the token another process refreshed meanwhile.
   * Resolves to `refresh`'s error, or `undefined` when a fresh token is in place.
   */
  refresh(id: string, refresh: () => Promise<KitError | undefined>): Promise<KitError | undefined>;
  /** Stops following the store. */
  detach(): void;
}

/**
 * Shared credential state for `KeyManager` and `OAuthManager` (their `stateStore` option): per-credential health,
 * cooldowns and rate-limit windows, OAuth tokens and a cross-process refresh lock. `@kit/store-redis`'s
 * `createRedisStateStore` returns one; `createStateStore(backend)` from `@kit/core/provider-utils` builds one over
 * any {@link StateStoreBackend}.
 */
export interface CredentialStateStore {
  /** Links a manager's pool (called once, by the manager's constructor). */
  attach(pool: SharedStatePool): SharedStateBinding;
}

/** The opaque backend key of one credential of one pool. */
export function sharedCredentialKey(kind: SharedStatePool['kind'], provider: string, id: string): string {
  return `${kind}:${encodeURIComponent(provider)}:${encodeURIComponent(id)}`;
}
