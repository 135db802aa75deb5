import {
  createEventEmitter,
  errorPolicies,
  KitError,
  maskSecrets,
  penalisesCredential,
  toKitError,
  type AcquireOptions,
  type CredentialLease,
  type CredentialSource,
  type CredentialSuccessInfo,
  type KitErrorCode,
  type KitEventListener,
  type RateLimitInfo,
} from '@kit/core';
import { abortable, abortedError, isAbortError, throwIfAborted } from './abort';
import { computeBackoffMs, type BackoffPolicy } from './compute-backoff';
import { invalidConfig } from './invalid-config';
import { toKeyHealth, type KeyHealth, type KeyManagerStatus } from './key-health';
import { normaliseKeyInput, type KeyInput, type NormalisedKey } from './key-input';
import { resolveKeyManagerOptions, type KeyManagerOptions, type ResolvedKeyManagerOptions } from './key-manager-options';
import { availableAt, createKeyState, type KeyState } from './key-state';
import { selectKey, type SelectionCursor } from './select-key';

/** The work `executeWithFailover` runs with one key; `attempt` counts from 1. */
export type FailoverOperation<T> = (key: string, attempt: number) => Promise<T>;

/** Options of `KeyManager.executeWithFailover`. */
export interface ExecuteWithFailoverOptions {
  /** Aborts the whole call: pending work is abandoned and a `KitError` `aborted` is thrown. */
  signal?: AbortSignal;
  /** How many distinct keys to try at most. Default: every key once. */
  maxAttempts?: number;
}

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

// A code from a foreign copy of core we do not know penalises, to be safe.
const penalises = (code: KitErrorCode): boolean => (code in errorPolicies ? penalisesCredential(code) : true);

/**
 * A pool of API keys for one provider: picks a key per request (round-robin, weighted or random),
 * skips keys in backoff, tracks health, and fails over. Implements `CredentialSource`, so it can be
 * passed as `credentials` to any provider factory.
 *
 * Keys never appear in events, health reports, errors or `JSON.stringify(manager)`.
 *
 * @example
 * ```ts
 * const keys = new KeyManager('openai', ['test-key-1', 'test-key-2']);
 * const provider = createOpenAI({ credentials: keys });
 * ```
 */
export class KeyManager implements CredentialSource {
  /** The provider name given to the constructor; it labels events and errors. */
  readonly providerName: string;

  readonly #keys: KeyState[] = [];
  readonly #byId = new Map<string, KeyState>();
  readonly #bySecret = new Map<string, KeyState>();
  readonly #cursor: SelectionCursor = { next: 0 };
  readonly #options: ResolvedKeyManagerOptions;
  readonly #backoffPolicy: BackoffPolicy;
  readonly #emit: KitEventListener | undefined;

  /**
   * @param providerName - names the provider in events and errors (e.g. `'openai'`).
   * @param keys - at least one key: strings (ids `key-1`, `key-2`, … by position) or `{ id?, key, weight? }`.
   * @param options - strategy, backoff, health threshold, clock and event listener; see {@link KeyManagerOptions}.
   * @throws KitError `invalid_config` naming the bad field: empty list, empty or duplicate key, duplicate id, bad option.
   */
  constructor(providerName: string, keys: readonly KeyInput[], options?: KeyManagerOptions) {
    if (typeof providerName !== 'string' || providerName.trim() === '') {
      throw invalidConfig(String(providerName), 'providerName', 'must be a non-empty string');
    }
    this.providerName = providerName;
    this.#options = resolveKeyManagerOptions(options, providerName);
    this.#backoffPolicy = this.#options;
    this.#emit = this.#options.onEvent ? createEventEmitter([this.#options.onEvent]) : undefined;

    if (!Array.isArray(keys)) throw invalidConfig(providerName, 'keys', 'must be an array of keys');
    if (keys.length === 0) throw invalidConfig(providerName, 'keys', 'must hold at least one key');
    const normalised: NormalisedKey[] = [];
    const positionOfId = new Map<string, number>();
    const positionOfSecret = new Map<string, number>();
    keys.forEach((input: unknown, index) => {
      const field = `keys[${index}]`;
      const key = normaliseKeyInput(input, field, `key-${index + 1}`, providerName);
      const sameSecret = positionOfSecret.get(key.secret);
      if (sameSecret !== undefined) throw invalidConfig(providerName, field, `duplicates the key of keys[${sameSecret}]`);
      const sameId = positionOfId.get(key.id);
      if (sameId !== undefined) {
        const idField = typeof input === 'string' ? field : `${field}.id`;
        throw invalidConfig(providerName, idField, `has the id "${key.id}", already used by keys[${sameId}]`);
      }
      positionOfSecret.set(key.secret, index);
      positionOfId.set(key.id, index);
      normalised.push(key);
    });
    normalised.forEach((key, index) => {
      const owner = positionOfId.get(key.secret);
      if (owner !== undefined && owner !== index) {
        throw invalidConfig(providerName, `keys[${index}]`, `equals the id of keys[${owner}]; ids and keys must be distinguishable`);
      }
    });
    for (const key of normalised) this.#insert(createKeyState(key));
  }

  /** Number of keys in the pool. */
  get size(): number {
    return this.#keys.length;
  }

  /**
   * The key for the next request, by the configured strategy (round-robin starts at the first key).
   * Keys in backoff or rate-limited are skipped; healthy keys are preferred, and an unhealthy key whose
   * backoff has expired gets its turn again as a probe (that is how it recovers).
   * @throws KitError `credentials_exhausted` with `retryAfterMs` = time until the soonest key is free.
   */
  getNextKey(): string {
    const now = this.#options.now();
    const state = this.#select(now, undefined);
    if (state === undefined) throw this.#allInBackoff(now);
    return state.secret;
  }

  /**
   * `CredentialSource.acquire`: the next key as a lease `{ id, secret, kind: 'api-key' }`.
   * With `id`, that key is returned when it is available; otherwise the normal selection applies.
   * @throws KitError `aborted` if the signal has fired, `credentials_exhausted` when every key is in backoff.
   */
  async acquire(options: AcquireOptions = {}): Promise<CredentialLease> {
    throwIfAborted(options.signal, this.providerName);
    const now = this.#options.now();
    let state: KeyState | undefined;
    if (options.id !== undefined) {
      const wanted = this.#byId.get(options.id);
      if (wanted !== undefined && availableAt(wanted) <= now) state = this.#take(wanted, now);
    }
    state ??= this.#select(now, undefined);
    if (state === undefined) throw this.#allInBackoff(now);
    return { id: state.id, secret: state.secret, kind: 'api-key' };
  }

  /**
   * Records a success: consecutive failures → 0, healthy, backoff cleared. Emits `credential-recovered`
   * when the key was unhealthy. `info.rateLimit` is applied like {@link KeyManager.reportRateLimit}.
   * @param keyOrId - the key's id or the key itself; an unknown one is ignored (e.g. a key removed meanwhile).
   */
  reportSuccess(keyOrId: string, info?: CredentialSuccessInfo): void {
    const state = this.#find(keyOrId, 'reportSuccess');
    if (state === undefined) return;
    const now = this.#options.now();
    this.#recordSuccess(state, now);
    if (info?.rateLimit !== undefined) this.#applyRateLimit(state, info.rateLimit, now);
  }

  /**
   * Records a failure. A `KitError` whose code does not penalise credentials (`invalid_request`,
   * `not_found`, `context_length`, `content_filter`, `aborted`, …) changes nothing. Otherwise the key's
   * consecutive failures grow by one and it sleeps `min(initialBackoffMs × 2^(n−1), maxBackoffMs)`
   * (at least `retryAfterMs` for `rate_limit`; `quotaCooldownMs` for `quota_exceeded`); it turns
   * unhealthy after `unhealthyAfter` failures in a row. Emits `credential-failure` (and `credential-unhealthy`).
   * @param keyOrId - the key's id or the key itself; an unknown one is ignored.
   * @param error - what went wrong; anything that is not a `KitError` counts as a failure.
   */
  reportFailure(keyOrId: string, error?: unknown): void {
    const state = this.#find(keyOrId, 'reportFailure');
    if (state === undefined) return;
    const kitError = error === undefined ? undefined : this.#toKitError(error, state);
    if (kitError !== undefined && !penalises(kitError.code)) return;
    this.#recordFailure(state, kitError, this.#options.now());
  }

  /**
   * Rate-limit headers seen on a response of this key: when `requestsRemaining` is 0 and
   * `requestsResetAt` is in the future, the key is skipped until then (not counted as a failure);
   * a later report with requests remaining lifts the skip.
   */
  reportRateLimit(keyOrId: string, info: RateLimitInfo): void {
    const state = this.#find(keyOrId, 'reportRateLimit');
    if (state === undefined) return;
    if (info === null || typeof info !== 'object') throw invalidConfig(this.providerName, 'info', 'must be a RateLimitInfo object');
    this.#applyRateLimit(state, info, this.#options.now());
  }

  /**
   * Runs `operation` with one key after another until it succeeds. Each key is tried at most once
   * (default: every key once, or `maxAttempts`). Thrown values become `KitError`s; an error that does not
   * penalise the credential (e.g. `invalid_request`, `aborted`) is rethrown at once; the others are
   * reported against the key and the next key is tried.
   * @throws KitError `credentials_exhausted` (with the last error as `cause` and `retryAfterMs`) when every attempt failed
   *   or no key is available; `aborted` when `signal` fires.
   */
  async executeWithFailover<T>(operation: FailoverOperation<T>, options: ExecuteWithFailoverOptions = {}): Promise<T> {
    const provider = this.providerName;
    if (typeof operation !== 'function') throw invalidConfig(provider, 'operation', 'must be a function');
    if (options === null || typeof options !== 'object') throw invalidConfig(provider, 'options', 'must be an object');
    const { signal, maxAttempts = this.#keys.length } = options;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
      throw invalidConfig(provider, 'maxAttempts', 'must be an integer ≥ 1');
    }

    const tried = new Set<string>();
    let lastError: KitError | undefined;
    let lastFailedId: string | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      throwIfAborted(signal, provider);
      const now = this.#options.now();
      const state = this.#select(now, tried);
      if (state === undefined) break;
      tried.add(state.id);
      if (lastFailedId !== undefined && lastError !== undefined && this.#emit !== undefined) {
        this.#emit({ type: 'failover', at: now, provider, credentialId: lastFailedId, from: lastFailedId, to: state.id, reason: lastError.code });
      }

      let result: T;
      try {
        result = await abortable(operation(state.secret, attempt), signal, provider);
      } catch (thrown) {
        if (signal?.aborted) throw abortedError(signal, provider);
        const error = isAbortError(thrown) && !KitError.is(thrown) ? abortedError(signal, provider) : this.#toKitError(thrown, state);
        if (!penalises(error.code)) throw error;
        this.#recordFailure(state, error, this.#options.now());
        lastError = error;
        lastFailedId = state.id;
        continue;
      }
      this.#recordSuccess(state, this.#options.now());
      return result;
    }

    const now = this.#options.now();
    if (lastError === undefined) throw this.#allInBackoff(now);
    throw new KitError(
      'credentials_exhausted',
      `${provider}: ${tried.size} key(s) tried and all failed; last error (${lastError.code}): ${lastError.message}`,
      { provider, cause: lastError, retryAfterMs: this.#soonestAvailableIn(now) },
    );
  }

  /** A secret-free health snapshot of every key, in pool order. */
  getKeyHealth(): KeyHealth[] {
    const now = this.#options.now();
    return this.#keys.map((state) => toKeyHealth(state, now));
  }

  /** Counts of the pool: total, healthy, unhealthy, in backoff, available now. */
  getStatus(): KeyManagerStatus {
    const now = this.#options.now();
    let healthy = 0;
    let available = 0;
    for (const state of this.#keys) {
      if (state.healthy) healthy++;
      if (availableAt(state) <= now) available++;
    }
    const total = this.#keys.length;
    return { provider: this.providerName, total, healthy, unhealthy: total - healthy, inBackoff: total - available, available };
  }

  /**
   * Adds a key at the end of the pool and returns its id (default: the first free `key-<n>`, n ≥ size + 1).
   * @throws KitError `invalid_config` for an empty or duplicate key or a duplicate id.
   */
  addKey(key: KeyInput): string {
    let position = this.#keys.length + 1;
    while (this.#byId.has(`key-${position}`)) position++;
    const normalised = normaliseKeyInput(key, 'key', `key-${position}`, this.providerName);
    if (this.#bySecret.has(normalised.secret)) throw invalidConfig(this.providerName, 'key', 'is already in the pool');
    const idField = typeof key === 'string' ? 'key' : 'key.id';
    if (this.#byId.has(normalised.id)) throw invalidConfig(this.providerName, idField, `has the id "${normalised.id}", already in the pool`);
    if (this.#byId.has(normalised.secret)) throw invalidConfig(this.providerName, 'key', 'equals the id of another key');
    if (this.#bySecret.has(normalised.id)) throw invalidConfig(this.providerName, idField, 'equals another key of the pool');
    this.#insert(createKeyState(normalised));
    return normalised.id;
  }

  /**
   * Removes a key, by id or by the key itself.
   * @throws KitError `invalid_config` when no key matches or when it is the last key.
   */
  removeKey(idOrKey: string): void {
    const state = this.#find(idOrKey, 'removeKey');
    if (state === undefined) throw invalidConfig(this.providerName, 'idOrKey', 'matches no key of the pool');
    if (this.#keys.length === 1) throw invalidConfig(this.providerName, 'idOrKey', 'is the last key; a pool keeps at least one');
    const index = this.#keys.indexOf(state);
    this.#keys.splice(index, 1);
    this.#byId.delete(state.id);
    this.#bySecret.delete(state.secret);
    if (index < this.#cursor.next) this.#cursor.next--;
    if (this.#cursor.next >= this.#keys.length) this.#cursor.next = 0;
  }

  /** The status summary: a manager serialises without its keys. */
  toJSON(): KeyManagerStatus {
    return this.getStatus();
  }

  /** `util.inspect(manager)` on Node: the status summary, never the keys. */
  [inspectSymbol](): string {
    return `KeyManager ${JSON.stringify(this.getStatus())}`;
  }

  #insert(state: KeyState): void {
    this.#keys.push(state);
    this.#byId.set(state.id, state);
    this.#bySecret.set(state.secret, state);
  }

  #find(keyOrId: string, method: string): KeyState | undefined {
    if (typeof keyOrId !== 'string') throw invalidConfig(this.providerName, `${method}(keyOrId)`, 'must be a key id or a key string');
    return this.#byId.get(keyOrId) ?? this.#bySecret.get(keyOrId);
  }

  #select(now: number, excluded: ReadonlySet<string> | undefined): KeyState | undefined {
    const state = selectKey(this.#keys, this.#options.strategy, this.#cursor, now, this.#options.random, excluded);
    return state === undefined ? undefined : this.#take(state, now);
  }

  #take(state: KeyState, now: number): KeyState {
    state.requests++;
    // An unhealthy key handed out is a probe: until it is reported (or one more backoff period passes) healthy keys go first.
    if (!state.healthy) state.probeUntil = now + state.lastBackoffMs;
    return state;
  }

  #toKitError(error: unknown, state: KeyState): KitError {
    return toKitError(error, 'network', { provider: this.providerName, credentialId: state.id, secrets: [state.secret] });
  }

  #recordSuccess(state: KeyState, now: number): void {
    const wasUnhealthy = !state.healthy;
    state.successes++;
    state.lastSuccessAt = now;
    state.consecutiveFailures = 0;
    state.healthy = true;
    state.backoffUntil = 0;
    state.lastBackoffMs = 0;
    state.probeUntil = 0;
    if (wasUnhealthy && this.#emit !== undefined) {
      this.#emit({ type: 'credential-recovered', at: now, provider: this.providerName, credentialId: state.id });
    }
  }

  #recordFailure(state: KeyState, error: KitError | undefined, now: number): void {
    state.failures++;
    state.consecutiveFailures++;
    state.lastFailureAt = now;
    state.probeUntil = 0;
    const failure = error ?? new KitError('server_error', 'Failure reported without an error', { provider: this.providerName, credentialId: state.id });
    state.lastErrorCode = failure.code;
    const backoffMs = computeBackoffMs(state.consecutiveFailures, error, this.#backoffPolicy, this.#options.random);
    // Never shorten a longer sleep already in force (e.g. a quota cooldown hit by a late, concurrent failure).
    const until = now + backoffMs;
    if (until > state.backoffUntil) state.backoffUntil = until;
    state.lastBackoffMs = state.backoffUntil - now;
    const crossed = state.healthy && state.consecutiveFailures >= this.#options.unhealthyAfter;
    if (crossed) state.healthy = false;

    const emit = this.#emit;
    if (emit === undefined) return;
    const eventError: { code: KitErrorCode; status?: number; message: string } = {
      code: failure.code,
      message: maskSecrets(failure.message, [state.secret]),
    };
    if (failure.status !== undefined) eventError.status = failure.status;
    const base = { at: now, provider: this.providerName, credentialId: state.id };
    emit({ ...base, type: 'credential-failure', error: eventError, consecutiveFailures: state.consecutiveFailures, backoffMs: state.lastBackoffMs });
    if (crossed) emit({ ...base, type: 'credential-unhealthy', consecutiveFailures: state.consecutiveFailures });
  }

  #applyRateLimit(state: KeyState, info: RateLimitInfo, now: number): void {
    const remaining = info.requestsRemaining;
    if (remaining === 0 && info.requestsResetAt !== undefined && info.requestsResetAt > now) {
      state.rateLimitedUntil = info.requestsResetAt;
    } else if (remaining !== undefined && remaining > 0) {
      state.rateLimitedUntil = 0;
    }
  }

  #soonestAvailableIn(now: number): number {
    let soonest = Number.POSITIVE_INFINITY;
    for (const state of this.#keys) {
      const wait = availableAt(state) - now;
      if (wait < soonest) soonest = wait;
    }
    return soonest > 0 && Number.isFinite(soonest) ? soonest : 0;
  }

  #allInBackoff(now: number): KitError {
    const retryAfterMs = this.#soonestAvailableIn(now);
    return new KitError(
      'credentials_exhausted',
      `${this.providerName}: all ${this.#keys.length} key(s) are in backoff; the soonest is free in ${retryAfterMs} ms`,
      { provider: this.providerName, retryAfterMs },
    );
  }
}
