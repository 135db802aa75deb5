import {
  abortedError,
  createEventEmitter,
  credentialBackoffMs,
  errorPolicies,
  KitError,
  maskSecrets,
  toKitError,
  type AcquireOptions,
  type CredentialLease,
  type CredentialSource,
  type CredentialSuccessInfo,
  type KitEvent,
  type KitEventListener,
  type RateLimitInfo,
} from '@kit/core';
import { abortable, throwIfAborted } from './abort';
import { check, isRecord } from './invalid-config';
import { toKeyHealth, type KeyHealth, type KeyManagerStatus } from './key-health';
import { isFilled, normaliseKeyInput, type KeyInput } from './key-input';
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

const DUPLICATE = 'is a duplicate';

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
  readonly #cursor: SelectionCursor = { next: 0 };
  readonly #options: ResolvedKeyManagerOptions;
  readonly #emit: KitEventListener | undefined;

  /**
   * @param providerName - names the provider in events and errors (e.g. `'openai'`).
   * @param keys - at least one key: strings (ids `key-1`, `key-2`, … by position) or `{ id?, key, weight? }`.
   * @param options - strategy, backoff, health threshold, clock and event listener; see {@link KeyManagerOptions}.
   * @throws KitError `invalid_config` naming the bad field: empty list, empty or duplicate key, duplicate id, bad option.
   */
  constructor(providerName: string, keys: readonly KeyInput[], options?: KeyManagerOptions) {
    check(isFilled(providerName), String(providerName), 'providerName');
    this.providerName = providerName;
    const { onEvent } = (this.#options = resolveKeyManagerOptions(options, providerName));
    this.#emit = onEvent && createEventEmitter([onEvent]);
    this.#check(Array.isArray(keys) && keys.length, 'keys');
    keys.forEach((key, index) => this.#add(key, `keys[${index}]`, `key-${index + 1}`));
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
    return this.#pick().secret;
  }

  /**
   * `CredentialSource.acquire`: the next key as a lease `{ id, secret, kind: 'api-key' }`.
   * With `id`, that key is returned when it is available; otherwise the normal selection applies. Keys in `exclude`
   * (those that failed for good in the current call) are never handed out.
   * @throws KitError `aborted` if the signal has fired, `credentials_exhausted` when every key is in backoff.
   */
  async acquire({ signal, id, exclude }: AcquireOptions = {}): Promise<CredentialLease> {
    throwIfAborted(signal, this.providerName);
    const state = exclude ? this.#pick(exclude) : this.#pick(undefined, this.#keys.find((key) => key.id === id));
    if (!state) throw this.#exhausted(undefined, exclude);
    return { id: state.id, secret: state.secret, kind: 'api-key' };
  }

  /**
   * Records a success: consecutive failures → 0, healthy, backoff cleared. Emits `credential-recovered`
   * when the key was unhealthy. `info.rateLimit` is applied like {@link KeyManager.reportRateLimit}.
   * @param keyOrId - the key's id or the key itself; an unknown one is ignored (e.g. a key removed meanwhile).
   */
  reportSuccess(keyOrId: string, info?: CredentialSuccessInfo): void {
    this.#report(this.#find(keyOrId));
    if (info?.rateLimit) this.reportRateLimit(keyOrId, info.rateLimit);
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
    this.#report(this.#find(keyOrId), error);
  }

  /**
   * Rate-limit headers seen on a response of this key: when `requestsRemaining` is 0 and
   * `requestsResetAt` is in the future, the key is skipped until then (not counted as a failure);
   * a later report with requests remaining lifts the skip.
   */
  reportRateLimit(keyOrId: string, info: RateLimitInfo): void {
    const state = this.#find(keyOrId);
    this.#check(isRecord(info as unknown), 'info');
    const { requestsRemaining: remaining, requestsResetAt: resetAt } = info;
    // Requests left lift the skip; none left skips the key until a future reset. A missing count, or none left with a
    // missing or past reset, changes nothing (`undefined >= 0` and `undefined > now` are false).
    if (state && remaining! >= 0 && (remaining || resetAt! > this.#now)) state.rateLimitedUntil = remaining ? 0 : resetAt!;
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
    this.#check(typeof operation == 'function', 'operation');
    this.#check(isRecord(options as unknown), 'options');
    const { signal, maxAttempts = this.#keys.length } = options;
    this.#check(Number.isInteger(maxAttempts) && maxAttempts > 0, 'maxAttempts');

    const provider = this.providerName;
    const tried = new Set<string>();
    let last: KitError | undefined;
    let from = '';
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      throwIfAborted(signal, provider);
      const state = this.#pick(tried);
      if (!state) break;
      tried.add(state.id);
      if (last) this.#event('failover', from, { from, to: state.id, reason: last.code });
      from = state.id;
      try {
        const result = await abortable(operation(state.secret, attempt), signal, provider);
        this.#report(state);
        return result;
      } catch (thrown) {
        // The caller's abort, or an operation giving up because of one (an `AbortError`), is `aborted`: never the key's fault.
        const error = signal?.aborted || (thrown as Error)?.name == 'AbortError' ? abortedError(provider) : thrown;
        if (!(last = this.#report(state, error))) throw error;
      }
    }
    throw this.#exhausted(last);
  }

  /** A secret-free health snapshot of every key, in pool order. */
  getKeyHealth(): KeyHealth[] {
    const now = this.#now;
    return this.#keys.map((state) => toKeyHealth(state, now));
  }

  /** Counts of the pool: total, healthy, unhealthy, in backoff, available now. */
  getStatus(): KeyManagerStatus {
    const health = this.getKeyHealth();
    const total = health.length;
    let healthy = 0;
    let available = 0;
    for (const key of health) {
      healthy += +key.healthy;
      available += +key.available;
    }
    return { provider: this.providerName, total, healthy, unhealthy: total - healthy, inBackoff: total - available, available };
  }

  /**
   * Adds a key at the end of the pool and returns its id (default: the first free `key-<n>`, n ≥ size + 1).
   * @throws KitError `invalid_config` for an empty or duplicate key or a duplicate id.
   */
  addKey(key: KeyInput): string {
    let position = this.#keys.length;
    while (this.#find(`key-${++position}`));
    return this.#add(key, 'key', `key-${position}`);
  }

  /**
   * Removes a key, by id or by the key itself.
   * @throws KitError `invalid_config` when no key matches or when it is the last key.
   */
  removeKey(idOrKey: string): void {
    const keys = this.#keys;
    const index = keys.indexOf(this.#find(idOrKey, 'idOrKey')!);
    this.#check(index >= 0 && keys.length > 1, 'idOrKey', 'is unknown or the last key');
    keys.splice(index, 1);
    if (index < this.#cursor.next) this.#cursor.next--;
  }

  /** The status summary: a manager serialises without its keys. */
  toJSON(): KeyManagerStatus {
    return this.getStatus();
  }

  get #now(): number {
    return this.#options.now();
  }

  #check(ok: unknown, field: string, problem?: string): asserts ok {
    check(ok, this.providerName, field, problem);
  }

  #add(input: unknown, field: string, defaultId: string): string {
    const key = normaliseKeyInput(input, field, defaultId, this.providerName);
    // Ids and keys must stay distinguishable, as reports accept either.
    this.#check(!this.#find(key.secret), field, DUPLICATE);
    this.#check(!this.#find(key.id), typeof input == 'string' ? field : `${field}.id`, DUPLICATE);
    this.#keys.push(createKeyState(key));
    return key.id;
  }

  #find(keyOrId: string, field = 'keyOrId'): KeyState | undefined {
    this.#check(typeof keyOrId == 'string', field);
    return this.#keys.find((state) => state.id === keyOrId || state.secret === keyOrId);
  }

  /**
   * Hands out `wanted` when it is available, else the next key by the strategy (skipping `excluded` ids), and counts
   * the request. Without `excluded`, throws `credentials_exhausted` when no key is available.
   */
  #pick(excluded?: undefined, wanted?: KeyState): KeyState;
  #pick(excluded: ReadonlySet<string>): KeyState | undefined;
  #pick(excluded?: ReadonlySet<string>, wanted?: KeyState): KeyState | undefined {
    const now = this.#now;
    const { strategy, random } = this.#options;
    const state = wanted && availableAt(wanted) <= now ? wanted : selectKey(this.#keys, strategy, this.#cursor, now, random, excluded);
    if (!state) {
      if (excluded) return;
      throw this.#exhausted();
    }
    state.requests++;
    // An unhealthy key handed out is a probe: until it is reported (or one more backoff period passes) healthy keys go first.
    if (!state.healthy) state.probeUntil = now + state.backoffUntil - state.lastFailureAt!;
    return state;
  }

  /** Emits an event of this key (`at` is now); nothing is built without a listener. */
  #event(type: KitEvent['type'], credentialId: string, extra?: object): void {
    this.#emit?.({ type, at: this.#now, provider: this.providerName, credentialId, ...extra } as KitEvent);
  }

  /**
   * Records a success (no `failure` argument) or a failure of the key, if any. A failure becomes a `KitError` (masked;
   * nothing at all counts as `server_error`) and counts unless its code does not penalise credentials.
   * Returns the error when it counted.
   */
  #report(state: KeyState | undefined, ...failure: unknown[]): KitError | undefined {
    if (!state) return;
    const options = this.#options;
    const now = this.#now;
    const { id, secret, healthy } = state;
    if (!failure.length) {
      state.successes++;
      state.lastSuccessAt = now;
      state.healthy = true;
      state.consecutiveFailures = state.backoffUntil = state.probeUntil = 0;
      if (!healthy) this.#event('credential-recovered', id);
      return;
    }
    const error = toKitError(failure[0] ?? new KitError('server_error', 'unspecified failure'), 'network', {
      provider: this.providerName,
      credentialId: id,
      secrets: [secret],
    });
    // A code from a foreign copy of core that we do not know penalises, to be safe.
    if (errorPolicies[error.code]?.penalisesCredential == false) return;
    const consecutiveFailures = ++state.consecutiveFailures;
    state.failures++;
    state.lastFailureAt = now;
    state.lastErrorCode = error.code;
    state.probeUntil = 0;
    // Never shorten a longer sleep already in force (e.g. a quota cooldown hit by a late, concurrent failure).
    state.backoffUntil = Math.max(state.backoffUntil, now + credentialBackoffMs(consecutiveFailures, error, options, options.random));
    this.#event('credential-failure', id, {
      error: { code: error.code, status: error.status, message: maskSecrets(error.message, [secret]) },
      consecutiveFailures,
      backoffMs: state.backoffUntil - now,
    });
    if (healthy && consecutiveFailures >= options.unhealthyAfter) {
      state.healthy = false;
      this.#event('credential-unhealthy', id, { consecutiveFailures });
    }
    return error;
  }

  /** `credentials_exhausted`, with `retryAfterMs` until the soonest key wakes (outside `excluded`, when any is). */
  #exhausted(cause?: KitError, excluded?: ReadonlySet<string>): KitError {
    const now = this.#now;
    const candidates = this.#keys.filter((state) => !excluded?.has(state.id));
    const retryAfterMs = Math.max(0, Math.min(...(candidates.length > 0 ? candidates : this.#keys).map((state) => availableAt(state) - now)));
    return new KitError(
      'credentials_exhausted',
      `KeyManager(${this.providerName}): no key available${cause ? `, last error: ${cause.message}` : ''}`,
      { provider: this.providerName, cause, retryAfterMs },
    );
  }
}
