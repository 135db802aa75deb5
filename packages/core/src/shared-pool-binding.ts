import type { CredentialHealthRecord } from './credential-health';
import { KitError } from './kit-error';
import {
  SHARED_HEALTH_FIELDS,
  sharedCredentialKey,
  type SharedHealth,
  type SharedCredential,
  type SharedHealthRecord,
  type SharedStateBinding,
  type SharedStateChange,
  type SharedStatePool,
  type SharedToken,
  type StateCipher,
  type StateStoreBackend,
  type StoredToken,
} from './state-store';

/** The resolved settings of a state store (see `StateStoreOptions`). */
export interface StateStoreSettings {
  /** Seals tokens; `undefined` with `plaintextSecrets`. */
  cipher: StateCipher | undefined;
  plaintextSecrets: boolean;
  lockTtlMs: number;
  lockPollMs: number;
  operationTimeoutMs: number;
}

/** What the binding last saw in the store for one credential: the record, and its values on the local clock. */
interface HealthSnapshot {
  version: number;
  /** The stored values (wall-clock deadlines). */
  wall: SharedHealth;
  /** The same values as the local record holds them (monotonic deadlines, expired ones 0). */
  local: SharedHealth;
}

const NO_HEALTH: SharedHealth = { penaltyUntil: 0, rateLimitedUntil: 0, consecutiveFailures: 0, unhealthy: 0, disabled: 0 };
const NO_SNAPSHOT: HealthSnapshot = { version: 0, wall: NO_HEALTH, local: NO_HEALTH };

/**
 * While the store is unavailable, a probe (one bounded read) asks whether it is back: the first this long after it was
 * lost, then twice as long after each failed probe, up to {@link MAX_PROBE_MS}. A feed that never reports the store
 * back (a slow operation, a connection that never dropped) thus cannot keep the binding on local state for good.
 */
export const FIRST_PROBE_MS = 1_000;
/** The longest wait between two probes of an unavailable store. */
export const MAX_PROBE_MS = 30_000;

/** Two deadlines this close are one (converting between the clocks rounds to whole ms). */
const SAME_DEADLINE_MS = 5;

/** The shared fields of a local health record, deadlines on its monotonic clock (passed ones as 0). */
function localHealth(health: CredentialHealthRecord, now: number): SharedHealth {
  return {
    penaltyUntil: health.penaltyUntil > now ? health.penaltyUntil : 0,
    rateLimitedUntil: health.rateLimitedUntil > now ? health.rateLimitedUntil : 0,
    consecutiveFailures: health.consecutiveFailures,
    unhealthy: health.healthy ? 0 : 1,
    disabled: health.disabled ? 1 : 0,
  };
}

function sameHealth(a: SharedHealth, b: SharedHealth): boolean {
  return (
    a.penaltyUntil === b.penaltyUntil &&
    a.rateLimitedUntil === b.rateLimitedUntil &&
    a.consecutiveFailures === b.consecutiveFailures &&
    a.unhealthy === b.unhealthy &&
    a.disabled === b.disabled
  );
}

/** Settles like `promise`, or rejects after `ms` (the timer is cleared either way). */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timedOut]).finally(() => clearTimeout(timer));
}

const unref = (timer: ReturnType<typeof setTimeout>) => (timer as { unref?: () => void }).unref?.();

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * One manager's link to a shared state store. Reads stay in memory: the pool's own health records are the state, and
 * the store's change feed updates them as other processes report. A local change is written (one merge per change,
 * none when nothing shared changed); an OAuth refresh runs under the store's lock, or adopts the token another process
 * committed. When the store cannot be reached, the pool goes on with its own state, emits `store-unavailable` once,
 * and re-syncs when the store is back.
 */
export class SharedPoolBinding implements SharedStateBinding {
  ready: Promise<void> | undefined;

  readonly #pool: SharedStatePool;
  readonly #backend: StateStoreBackend;
  readonly #settings: StateStoreSettings;
  readonly #keyPrefix: string;
  readonly #snapshots = new Map<string, HealthSnapshot>();
  /** Credentials whose merge is in flight / must be written again after it / could not be written (outage). */
  readonly #writing = new Set<string>();
  readonly #rewrite = new Set<string>();
  readonly #dirtyHealth = new Set<string>();
  /** OAuth: the stored token version each credential's tokens correspond to, and tokens refreshed during an outage. */
  readonly #tokenVersions = new Map<string, number>();
  readonly #dirtyTokens = new Set<string>();
  /** Callbacks waiting for the next token change of a credential. */
  readonly #waiters = new Map<string, Set<() => void>>();
  readonly #unreadableIds = new Set<string>();
  #available = true;
  /** While unavailable: when the next probe may run (monotonic), the wait after it, and the probe in flight. */
  #probeAt = 0;
  #probeDelayMs = FIRST_PROBE_MS;
  #probing: Promise<boolean> | undefined;
  #detached = false;
  readonly #onDetach: () => void;

  constructor(pool: SharedStatePool, backend: StateStoreBackend, settings: StateStoreSettings, onDetach: () => void) {
    this.#pool = pool;
    this.#backend = backend;
    this.#settings = settings;
    this.#onDetach = onDetach;
    this.#keyPrefix = sharedCredentialKey(pool.kind, pool.provider, '');
    if (pool.kind === 'oauth' && !settings.cipher && !settings.plaintextSecrets) {
      throw new KitError(
        'invalid_config',
        `OAuthManager(${pool.provider}): options.stateStore: sharing OAuth tokens needs a cipher (the store's "cipher" option) or "plaintextSecrets: true"`,
        { provider: pool.provider },
      );
    }
    this.ready = this.#load().finally(() => {
      this.ready = undefined;
    });
  }

  healthChanged({ id, health }: SharedCredential): void {
    if (!this.#available) this.#probe();
    const snapshot = this.#snapshots.get(id) ?? NO_SNAPSHOT;
    if (sameHealth(localHealth(health, this.#pool.clock.monotonic()), snapshot.local)) return;
    if (this.#writing.has(id)) {
      this.#rewrite.add(id);
      return;
    }
    if (!this.#available) {
      this.#dirtyHealth.add(id);
      return;
    }
    this.#writeHealth(id, health, snapshot);
  }

  async refresh(id: string, refresh: () => Promise<KitError | undefined>): Promise<KitError | undefined> {
    const pool = this.#pool;
    const key = this.#key(id);
    const { lockTtlMs, lockPollMs } = this.#settings;
    const giveUpAt = pool.clock.monotonic() + lockTtlMs + (pool.refreshTimeoutMs ?? 30_000);
    for (let round = 0; ; round++) {
      // Another process's token arrived while this one waited.
      if (round > 0 && !pool.needsRefresh?.(id)) return undefined;
      if (!this.#available && !(await this.#probe())) return this.#refreshLocally(id, refresh);
      const changed = this.#nextChange(id);
      let fence: number | undefined;
      let stored: StoredToken | undefined;
      try {
        fence = await this.#op(this.#backend.lockRefresh(key, lockTtlMs));
        stored = await this.#op(this.#backend.readToken(key));
      } catch {
        if (fence !== undefined) this.#backend.unlockRefresh(key, fence).catch(() => {});
        // A lock call without an answer may still have been granted: while the store answers, this process must not
        // refresh on its own (that lock expires after lockTtlMs). Only a store that does not answer a probe either is
        // unreachable for real, and then the refresh runs locally.
        if (!(await this.#probe(true))) {
          changed.cancel();
          return this.#refreshLocally(id, refresh);
        }
        if (pool.clock.monotonic() > giveUpAt) {
          changed.cancel();
          return this.#lockHeldTooLong(id);
        }
        await changed.within(lockPollMs);
        continue;
      }
      if (stored) await this.#adopt(id, stored).catch((error: unknown) => this.#unreadable(id, error));
      if (!pool.needsRefresh?.(id)) {
        changed.cancel();
        if (fence !== undefined) this.#backend.unlockRefresh(key, fence).catch(() => {});
        return undefined;
      }
      if (fence !== undefined) {
        changed.cancel();
        return this.#refreshUnderLock(id, key, fence, refresh);
      }
      if (pool.clock.monotonic() > giveUpAt) {
        changed.cancel();
        return this.#lockHeldTooLong(id);
      }
      await changed.within(lockPollMs);
    }
  }

  detach(): void {
    this.#detached = true;
    for (const callbacks of this.#waiters.values()) for (const wake of callbacks) wake();
    this.#waiters.clear();
    this.#onDetach();
  }

  /** A change from the store's feed; ignored unless it is about this pool. */
  receive(change: SharedStateChange): void {
    if (this.#detached || !change.key.startsWith(this.#keyPrefix)) return;
    const id = decodeURIComponent(change.key.slice(this.#keyPrefix.length));
    if (change.type === 'health') this.#applyHealth(id, change.record);
    else if (change.type === 'unlock') this.#wake(id);
    else
      this.#adopt(id, change.token)
        .catch((error: unknown) => this.#unreadable(id, error))
        .finally(() => this.#wake(id));
  }

  /** The store became unreachable (`false`) or is back (`true`). */
  availability(available: boolean, reason?: string): void {
    if (available) this.#backAgain();
    else this.#lost(reason ?? 'the state store is not reachable');
  }

  #lockHeldTooLong(id: string): KitError {
    const { provider } = this.#pool;
    return new KitError('timeout', `${provider}: another process held the token refresh lock of ${id} for too long`, { provider, credentialId: id });
  }

  #health(id: string): CredentialHealthRecord | undefined {
    return this.#pool.credentials().find((credential) => credential.id === id)?.health;
  }

  #key(id: string): string {
    return this.#keyPrefix + encodeURIComponent(id);
  }

  /** A backend operation, bounded by the operation timeout; its outcome tells whether the store is reachable. */
  async #op<T>(operation: Promise<T>): Promise<T> {
    try {
      const result = await withTimeout(operation, this.#settings.operationTimeoutMs);
      this.#backAgain();
      return result;
    } catch (error) {
      this.#lost(reasonOf(error));
      throw error;
    }
  }

  #lost(reason: string): void {
    if (!this.#available || this.#detached) return;
    this.#available = false;
    const { emit, clock, provider } = this.#pool;
    this.#probeDelayMs = FIRST_PROBE_MS;
    this.#probeAt = clock.monotonic() + FIRST_PROBE_MS;
    emit?.({ type: 'store-unavailable', at: clock.wall(), provider, message: `shared credential state unavailable, using local state: ${reason}` });
  }

  /** Stored tokens this process cannot open (another cipher key, altered data): reported once per credential. */
  #unreadable(id: string, error: unknown): void {
    if (this.#unreadableIds.has(id)) return;
    this.#unreadableIds.add(id);
    const { emit, clock, provider } = this.#pool;
    const message = `the shared tokens of ${id} could not be opened (is the cipher key the same in every process?): ${reasonOf(error)}`;
    emit?.({ type: 'store-unavailable', at: clock.wall(), provider, credentialId: id, message });
  }

  /**
   * While unavailable: reads one credential's health (bounded by the operation timeout) when the next probe is due, or
   * at once when `now`; a success brings the binding back (and re-syncs). At most one probe runs at a time. Resolves
   * whether the store is available.
   */
  #probe(now = false): Promise<boolean> {
    if (this.#available) return Promise.resolve(true);
    if (this.#probing) return this.#probing;
    const { clock, credentials } = this.#pool;
    const first = credentials()[0];
    const at = clock.monotonic();
    if (this.#detached || !first || (!now && at < this.#probeAt)) return Promise.resolve(false);
    this.#probeDelayMs = Math.min(this.#probeDelayMs * 2, MAX_PROBE_MS);
    this.#probeAt = at + this.#probeDelayMs;
    const probing = this.#op(this.#backend.readHealth(this.#key(first.id))).then(
      () => true,
      () => false,
    );
    this.#probing = probing.finally(() => {
      this.#probing = undefined;
    });
    return this.#probing;
  }

  #backAgain(): void {
    if (this.#available || this.#detached) return;
    this.#available = true;
    this.#resync().catch(() => {});
  }

  /** Reads the shared state of every credential of the pool (at attach, and after an outage). Never rejects. */
  async #load(): Promise<void> {
    const pool = this.#pool;
    try {
      await Promise.all(
        pool.credentials().map(async ({ id }) => {
          const key = this.#key(id);
          const record = await this.#op(this.#backend.readHealth(key));
          if (record) this.#applyHealth(id, record);
          if (pool.kind !== 'oauth') return;
          const token = await this.#op(this.#backend.readToken(key));
          if (token) await this.#adopt(id, token).catch((error: unknown) => this.#unreadable(id, error));
        }),
      );
    } catch {
      // Unavailable (already reported): the pool starts from its own state.
    }
  }

  /** After an outage: writes what changed meanwhile, then reads everything again. */
  async #resync(): Promise<void> {
    for (const id of [...this.#dirtyHealth]) {
      this.#dirtyHealth.delete(id);
      const health = this.#health(id);
      if (health) this.healthChanged({ id, health });
    }
    for (const id of [...this.#dirtyTokens]) {
      this.#dirtyTokens.delete(id);
      await this.#commit(id, undefined).catch(() => this.#dirtyTokens.add(id));
    }
    await this.#load();
  }

  #writeHealth(id: string, health: CredentialHealthRecord, snapshot: HealthSnapshot): void {
    const { clock } = this.#pool;
    const now = clock.monotonic();
    const wallNow = clock.wall();
    const toWall = (deadline: number) => (deadline > now ? Math.round(wallNow + (deadline - now)) : 0);
    const local = localHealth(health, now);
    const next = { ...local, penaltyUntil: toWall(local.penaltyUntil), rateLimitedUntil: toWall(local.rateLimitedUntil) };
    this.#writing.add(id);
    this.#op(this.#backend.mergeHealth(this.#key(id), { next, known: snapshot.wall }))
      .then(
        (record) => this.#applyHealth(id, record),
        () => this.#dirtyHealth.add(id),
      )
      .finally(() => {
        this.#writing.delete(id);
        const current = this.#health(id);
        if (this.#rewrite.delete(id) && current) this.healthChanged({ id, health: current });
      });
  }

  /**
   * Folds a stored record into the local one: what grew in the store since the last look grows locally (to the larger
   * of both); what shrank in the store (a success or an enable elsewhere) shrinks locally unless the local value
   * changed meanwhile. A cooldown that arrives this way makes earlier hand-outs' successes late.
   */
  #applyHealth(id: string, record: SharedHealthRecord): void {
    const health = this.#health(id);
    const snapshot = this.#snapshots.get(id) ?? NO_SNAPSHOT;
    if (!health || record.version <= snapshot.version) return;
    const { clock } = this.#pool;
    const now = clock.monotonic();
    const wallNow = clock.wall();
    const toLocal = (deadline: number) => (deadline > wallNow ? now + (deadline - wallNow) : 0);
    const stored = record.health;
    const storedLocal = { ...stored, penaltyUntil: toLocal(stored.penaltyUntil), rateLimitedUntil: toLocal(stored.rateLimitedUntil) };
    const local = localHealth(health, now);
    const merged = { ...local };
    for (const field of SHARED_HEALTH_FIELDS) {
      if (stored[field] > snapshot.wall[field]) merged[field] = Math.max(local[field], storedLocal[field]);
      else if (stored[field] < snapshot.wall[field] && local[field] === snapshot.local[field]) merged[field] = storedLocal[field];
    }
    // The store's deadlines as this record holds them: equal to the local ones up to the rounding of the conversion.
    for (const field of ['penaltyUntil', 'rateLimitedUntil'] as const) {
      if (Math.abs(merged[field] - storedLocal[field]) <= SAME_DEADLINE_MS) storedLocal[field] = merged[field];
    }
    if (merged.penaltyUntil > local.penaltyUntil || merged.disabled > local.disabled) {
      health.failureSequence = Math.max(health.failureSequence, this.#pool.sequence());
    }
    health.penaltyUntil = merged.penaltyUntil;
    health.rateLimitedUntil = merged.rateLimitedUntil;
    health.consecutiveFailures = merged.consecutiveFailures;
    health.exemptFailures = Math.min(health.exemptFailures, merged.consecutiveFailures);
    health.healthy = merged.unhealthy === 0;
    health.disabled = merged.disabled === 1;
    this.#snapshots.set(id, { version: record.version, wall: { ...stored }, local: storedLocal });
    // The local record may hold more than the store (a report while the merge was in flight): write it too.
    this.healthChanged({ id, health });
  }

  /**
   * OAuth: takes a stored token when its version is newer than the one the pool holds. The store's version (ordered by
   * the lock's fence) decides, not the processes' wall clocks; only a token the pool refreshed itself during an outage
   * (`#dirtyTokens`) stays, to be written back by the re-sync. Resolves whether the pool now holds the stored token.
   */
  async #adopt(id: string, stored: StoredToken): Promise<boolean> {
    const pool = this.#pool;
    if (stored.version <= (this.#tokenVersions.get(id) ?? 0) || !pool.adoptToken) return false;
    const token = await this.#open(id, stored);
    if (stored.version <= (this.#tokenVersions.get(id) ?? 0) || this.#dirtyTokens.has(id)) return false;
    const local = pool.token?.(id);
    if (!local) return false;
    // Set before the adoption settles, so an older token read meanwhile is not adopted over it.
    const previous = this.#tokenVersions.get(id);
    this.#tokenVersions.set(id, stored.version);
    if (local.accessToken === token.accessToken) return true;
    try {
      await pool.adoptToken(id, token);
    } catch (error) {
      if (this.#tokenVersions.get(id) === stored.version) {
        if (previous === undefined) this.#tokenVersions.delete(id);
        else this.#tokenVersions.set(id, previous);
      }
      throw error;
    }
    return true;
  }

  async #refreshUnderLock(id: string, key: string, fence: number, refresh: () => Promise<KitError | undefined>): Promise<KitError | undefined> {
    const { lockTtlMs } = this.#settings;
    const backend = this.#backend;
    // Keeps the lock while the refresh runs; a holder that dies stops extending it, and it expires.
    const keepAlive = setInterval(() => {
      backend.extendRefreshLock(key, fence, lockTtlMs).catch(() => {});
    }, lockTtlMs / 3);
    unref(keepAlive);
    let error: KitError | undefined;
    try {
      error = await refresh();
      if (!error) await this.#commit(id, fence).catch(() => this.#dirtyTokens.add(id));
    } finally {
      clearInterval(keepAlive);
      backend.unlockRefresh(key, fence).catch(() => {});
    }
    return error;
  }

  /** Without the store: refreshes in this process only, and writes the tokens back once the store returns. */
  async #refreshLocally(id: string, refresh: () => Promise<KitError | undefined>): Promise<KitError | undefined> {
    const error = await refresh();
    if (!error) this.#dirtyTokens.add(id);
    return error;
  }

  /** Writes the pool's current tokens of `id` (sealed), under the lock's `fence` or, without one, if newer. */
  async #commit(id: string, fence: number | undefined): Promise<void> {
    const token = this.#pool.token?.(id);
    if (!token) return;
    const sealed = await this.#seal(id, token);
    const version = await this.#op(this.#backend.commitToken(this.#key(id), sealed, fence));
    if (version !== undefined && version > (this.#tokenVersions.get(id) ?? 0)) this.#tokenVersions.set(id, version);
  }

  async #seal(id: string, token: SharedToken): Promise<SharedToken> {
    const cipher = this.#settings.cipher;
    if (!cipher) return { ...token };
    const key = this.#key(id);
    const sealed: SharedToken = { ...token, accessToken: await cipher.seal(token.accessToken, `${key}#accessToken`) };
    if (token.refreshToken !== undefined) sealed.refreshToken = await cipher.seal(token.refreshToken, `${key}#refreshToken`);
    return sealed;
  }

  async #open(id: string, stored: StoredToken): Promise<SharedToken> {
    const { version: _version, ...token } = stored;
    const cipher = this.#settings.cipher;
    if (!cipher) return token;
    const key = this.#key(id);
    token.accessToken = await cipher.open(token.accessToken, `${key}#accessToken`);
    if (token.refreshToken !== undefined) token.refreshToken = await cipher.open(token.refreshToken, `${key}#refreshToken`);
    return token;
  }

  /** A handle on the next token change (or unlock) of `id`: wait for it at most some ms, or cancel. */
  #nextChange(id: string): { within(ms: number): Promise<void>; cancel(): void } {
    let wake: () => void = () => {};
    const woken = new Promise<void>((resolve) => {
      wake = resolve;
    });
    const callbacks = this.#waiters.get(id) ?? new Set<() => void>();
    this.#waiters.set(id, callbacks);
    callbacks.add(wake);
    const cancel = () => {
      callbacks.delete(wake);
      if (callbacks.size === 0 && this.#waiters.get(id) === callbacks) this.#waiters.delete(id);
    };
    return {
      cancel,
      within: async (ms) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const elapsed = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, ms);
        });
        await Promise.race([woken, elapsed]);
        clearTimeout(timer);
        cancel();
      },
    };
  }

  #wake(id: string): void {
    const callbacks = this.#waiters.get(id);
    if (!callbacks) return;
    this.#waiters.delete(id);
    for (const wake of callbacks) wake();
  }
}
