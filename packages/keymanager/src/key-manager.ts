import {
  KitError,
  policyOf,
  toKitError,
  type AcquireOptions,
  type CredentialLease,
  type CredentialReportInfo,
  type CredentialSource,
  type CredentialSuccessInfo,
  type KitEvent,
  type KitEventListener,
  type RateLimitInfo,
} from '@kit/core';
import {
  abortedError,
  createEventEmitter,
  credentialFailureDisposition,
  maskSecrets,
  selectPanicCredential,
  soonestCredentialRecoveryMs,
  type CredentialReportMoment,
  type SharedStateBinding,
} from '@kit/core/provider-utils';
import { abortable, throwIfAborted } from './abort';
import { isRecord } from '@kit/core/provider-utils';
import { check, UNKNOWN } from './invalid-config';
import { toKeyHealth, type KeyHealth, type KeyManagerStatus } from './key-health';
import { isFilled, normaliseKeyInput, type KeyInput } from './key-input';
import { resolveKeyManagerOptions, type KeyManagerOptions, type ResolvedKeyManagerOptions } from './key-manager-options';
import { createKeyState, type KeyState } from './key-state';
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
 * A pool of API keys for one provider: picks a key per request (round-robin, weighted or random), skips keys that
 * cool down, tracks health, and fails over. Implements `CredentialSource`, so it can be passed as `credentials` to any
 * provider factory.
 *
 * Health follows `@kit/core`'s credential health machine (shared with `OAuthManager`): a burst of concurrent failures
 * is one failure event (judged by each lease's `sequence`); only the credential's own faults (401, 403, 429, quota)
 * bench a key for long; faults that hit every key alike (5xx, timeouts, resets) cool it briefly and never make the
 * pool refuse calls (panic mode); per-status rules (`policies`) override the defaults; durations run on a monotonic
 * clock.
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
  /** The number of the latest hand-out (`CredentialLease.sequence`). */
  #sequence = 0;
  /** The link to `options.stateStore`, when one is set. */
  readonly #shared: SharedStateBinding | undefined;

  /**
   * @param providerName - names the provider in events and errors (e.g. `'openai'`).
   * @param keys - at least one key: strings (ids `key-1`, `key-2`, … by position) or `{ id?, key, weight? }`.
   * @param options - strategy, backoff, health threshold, per-status rules, clocks and event listener; see {@link KeyManagerOptions}.
   * @throws KitError `invalid_config` naming the bad field: empty list, empty or duplicate key, duplicate id, bad option.
   */
  constructor(providerName: string, keys: readonly KeyInput[], options?: KeyManagerOptions) {
    check(isFilled(providerName), String(providerName), 'providerName');
    this.providerName = providerName;
    this.#options = resolveKeyManagerOptions(options, providerName);
    const { onEvent } = this.#options;
    this.#emit = onEvent && createEventEmitter([onEvent]);
    this.#check(Array.isArray(keys) && keys.length > 0, 'keys');
    keys.forEach((key, index) => {
      this.#add(key, `keys[${index}]`, `key-${index + 1}`);
    });
    this.#shared = this.#options.stateStore?.attach({
      kind: 'api-key',
      provider: providerName,
      credentials: () => this.#keys,
      sequence: () => this.#sequence,
      clock: this.#options.health.clock,
      emit: this.#emit,
    });
  }

  /** Number of keys in the pool. */
  get size(): number {
    return this.#keys.length;
  }

  /**
   * The key for the next request, by the configured strategy (round-robin starts at the first key).
   * Keys that cool down, are rate-limited or disabled are skipped; healthy keys are preferred, and an unhealthy key
   * whose cooldown has ended gets its turn again as a probe (that is how it recovers). When every key that is not out
   * for good only cools down after a transient fault (5xx, timeout, reset), the one whose cooldown ends soonest is
   * handed out (panic mode) and is available from then on.
   * @throws KitError `credentials_exhausted` when every key is disabled or cools down after its own fault (rate limit,
   *   revoked key, quota), with `retryAfterMs` = time until the soonest one is free (absent when all are disabled).
   */
  getNextKey(): string {
    const state = this.#handOut(undefined, undefined, true);
    if (!state) throw this.#exhausted();
    return state.secret;
  }

  /**
   * `CredentialSource.acquire`: the next key as a lease `{ id, secret, kind: 'api-key', sequence }`, selected as
   * {@link KeyManager.getNextKey} does. With `id`, that key is returned when it is available; otherwise the normal
   * selection applies. Keys in `exclude` (those that failed for good in the current call) are never handed out.
   * Pass `sequence` back with the report of the attempt (`reportFailure(id, error, { sequence })`,
   * `reportSuccess(id, { sequence })`): a late failure of a burst then counts once.
   * @throws KitError `aborted` if the signal has fired, `credentials_exhausted` as `getNextKey` (with `retryAfterMs`
   *   absent when every key outside `exclude` is disabled, or none is left).
   */
  async acquire({ signal, id, exclude }: AcquireOptions = {}): Promise<CredentialLease> {
    throwIfAborted(signal, this.providerName);
    // With a state store, the first call waits until the shared state was read (bounded by the store's timeout).
    const ready = this.#shared?.ready;
    if (ready) await ready;
    const wanted = id === undefined || exclude?.has(id) ? undefined : this.#keys.find((key) => key.id === id);
    const state = this.#handOut(exclude, wanted, true);
    if (!state) throw this.#exhausted(undefined, exclude);
    return { id: state.id, secret: state.secret, kind: 'api-key', sequence: this.#sequence };
  }

  /**
   * Records a success. Unless it is late (`info.sequence` names a lease handed out before the failure that started the
   * key's current cooldown), the key is reset: consecutive failures → 0, healthy, cooldown cleared, enabled. Emits
   * `credential-recovered` when the key was unhealthy. `info.rateLimit` is applied like {@link KeyManager.reportRateLimit}.
   * A report without `sequence` (your own probe, for instance) always counts.
   * @param keyOrId - the key's id or the key itself; an unknown one is ignored (e.g. a key removed meanwhile).
   */
  reportSuccess(keyOrId: string, info?: CredentialSuccessInfo): void {
    const state = this.#find(keyOrId);
    if (state) this.#recordSuccess(state, sequenceOf(info));
    if (info?.rateLimit) this.reportRateLimit(keyOrId, info.rateLimit);
  }

  /**
   * Records a failure. An error that is not the key's business (`invalid_request`, `not_found`, `context_length`,
   * `content_filter`, `aborted`, a code this copy of `@kit/core` does not know, or a `policies` rule `'ignore'`)
   * changes nothing. A late failure of a burst (`info.sequence` names a lease handed out before the key's last
   * success or before the failure that started its current cooldown) only counts in `failures`. Otherwise it is a
   * failure event: consecutive failures +1 and
   * - by default a cooldown of `min(initialBackoffMs × 2^(n−1), maxBackoffMs)` (1 s → 2 s → … → 60 s), at most
   *   `maxTransientBackoffMs` (5 s) for a transient fault, at least `retryAfterMs` for `rate_limit`, `quotaCooldownMs`
   *   for `quota_exceeded` — never shortening a cooldown in force;
   * - or what the `policies` rule for its status or code says (`cooldownMs`, or `'disable'`).
   * The key turns unhealthy after `unhealthyAfter` events in a row. Emits `credential-failure` (and
   * `credential-unhealthy`).
   * @param keyOrId - the key's id or the key itself; an unknown one is ignored.
   * @param error - what went wrong; anything that is not a `KitError` counts as a `network` failure, nothing as `server_error`.
   * @param info - `sequence`: the `CredentialLease.sequence` of the attempt (from `acquire`).
   */
  reportFailure(keyOrId: string, error?: unknown, info?: CredentialReportInfo): void {
    const state = this.#find(keyOrId);
    if (state) this.#recordFailure(state, error, sequenceOf(info));
  }

  /**
   * Rate-limit headers seen on a response of this key: when `requestsRemaining` is 0 and `requestsResetAt` is in the
   * future, the key is skipped until then (not counted as a failure); a later report with requests remaining lifts the
   * skip. A missing count, or none left with a missing or past reset, changes nothing.
   */
  reportRateLimit(keyOrId: string, info: RateLimitInfo): void {
    const state = this.#find(keyOrId);
    this.#check(isRecord(info as unknown), 'info');
    const { requestsRemaining: remaining, requestsResetAt: resetAt } = info;
    if (!state || typeof remaining !== 'number' || !(remaining >= 0)) return;
    const { clock } = this.#options.health;
    const wallNow = clock.wall();
    if (remaining > 0) state.health.skipUntil(0);
    // The reset is a wall-clock time: from now on it is a duration on the monotonic clock.
    else if (typeof resetAt === 'number' && resetAt > wallNow) state.health.skipUntil(clock.monotonic() + (resetAt - wallNow));
    this.#shared?.healthChanged(state);
  }

  /**
   * Enables a key that a `policies` rule with action `'disable'` took out (or resets any key): healthy, no failures,
   * no cooldown. Emits `credential-recovered` when the key was unhealthy.
   * @throws KitError `invalid_config` when no key matches.
   */
  enableKey(idOrKey: string): void {
    const state = this.#find(idOrKey, 'idOrKey');
    this.#check(state, 'idOrKey', UNKNOWN);
    const wasHealthy = state.health.healthy;
    state.health.enable();
    this.#shared?.healthChanged(state);
    if (!wasHealthy) this.#event('credential-recovered', state.id);
  }

  /**
   * Runs `operation` with one key after another until it succeeds. Each key is tried at most once
   * (default: every key once, or `maxAttempts`), only while available (no panic mode here: it gives up instead).
   * Thrown values become `KitError`s; an error that is not the key's business (e.g. `invalid_request`, `aborted`) is
   * rethrown at once; the others are reported against the key and the next key is tried.
   * @throws KitError `credentials_exhausted` (with the last error as `cause` and `retryAfterMs`) when every attempt failed
   *   or no key is available; `aborted` when `signal` fires.
   */
  async executeWithFailover<T>(operation: FailoverOperation<T>, options: ExecuteWithFailoverOptions = {}): Promise<T> {
    this.#check(typeof operation === 'function', 'operation');
    this.#check(isRecord(options as unknown), 'options');
    const { signal, maxAttempts = this.#keys.length } = options;
    this.#check(Number.isInteger(maxAttempts) && maxAttempts > 0, 'maxAttempts');

    const provider = this.providerName;
    const tried = new Set<string>();
    let last: KitError | undefined;
    let from = '';
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      throwIfAborted(signal, provider);
      const state = this.#handOut(tried, undefined, false);
      if (!state) break;
      // Reports carry this hand-out's number, so concurrent calls failing together count as one failure event.
      const sequence = this.#sequence;
      tried.add(state.id);
      if (last) this.#event('failover', from, { from, to: state.id, reason: last.code });
      from = state.id;
      try {
        const result = await abortable(operation(state.secret, attempt), signal, provider);
        this.#recordSuccess(state, sequence);
        return result;
      } catch (thrown) {
        // The caller's abort, or an operation giving up because of one (an `AbortError`), is `aborted`: never the key's fault.
        const aborted = signal?.aborted === true || (thrown as Error | undefined)?.name === 'AbortError';
        const error = aborted ? abortedError(provider) : thrown;
        const recorded = this.#recordFailure(state, error, sequence);
        if (!movesToNextKey(recorded, this.#options)) throw error;
        last = recorded;
      }
    }
    throw this.#exhausted(last);
  }

  /** A secret-free health snapshot of every key, in pool order. */
  getKeyHealth(): KeyHealth[] {
    const { clock } = this.#options.health;
    const now = clock.monotonic();
    const wallNow = clock.wall();
    return this.#keys.map((state) => toKeyHealth(state, now, wallNow));
  }

  /** Counts of the pool: total, healthy, unhealthy, in backoff, available now, disabled. */
  getStatus(): KeyManagerStatus {
    const now = this.#options.health.clock.monotonic();
    const total = this.#keys.length;
    let healthy = 0;
    let available = 0;
    let disabled = 0;
    for (const { health } of this.#keys) {
      if (health.healthy) healthy++;
      if (health.availableAt() <= now) available++;
      if (health.disabled) disabled++;
    }
    return { provider: this.providerName, total, healthy, unhealthy: total - healthy, inBackoff: total - available, available, disabled };
  }

  /**
   * Adds a key at the end of the pool and returns its id (default: the first free `key-<n>`, n ≥ size + 1).
   * A key removed and added again starts fresh (that also enables a disabled one).
   * @throws KitError `invalid_config` for an empty or duplicate key or a duplicate id.
   */
  addKey(key: KeyInput): string {
    let position = this.#keys.length + 1;
    while (this.#find(`key-${position}`)) position++;
    return this.#add(key, 'key', `key-${position}`);
  }

  /**
   * Removes a key, by id or by the key itself.
   * @throws KitError `invalid_config` when no key matches or when it is the last key.
   */
  removeKey(idOrKey: string): void {
    const keys = this.#keys;
    const state = this.#find(idOrKey, 'idOrKey');
    const index = state ? keys.indexOf(state) : -1;
    this.#check(index >= 0 && keys.length > 1, 'idOrKey', 'is unknown or the last key');
    keys.splice(index, 1);
    if (index < this.#cursor.next) this.#cursor.next--;
  }

  /** The status summary: a manager serialises without its keys. */
  toJSON(): KeyManagerStatus {
    return this.getStatus();
  }

  #check(ok: unknown, field: string, problem?: string): asserts ok {
    check(ok, this.providerName, field, problem);
  }

  #add(input: unknown, field: string, defaultId: string): string {
    const key = normaliseKeyInput(input, field, defaultId, this.providerName);
    // Ids and keys must stay distinguishable, as reports accept either.
    this.#check(!this.#find(key.secret), field, DUPLICATE);
    this.#check(!this.#find(key.id), typeof input === 'string' ? field : `${field}.id`, DUPLICATE);
    this.#keys.push(createKeyState(key));
    return key.id;
  }

  #find(keyOrId: string, field = 'keyOrId'): KeyState | undefined {
    this.#check(typeof keyOrId === 'string', field);
    return this.#keys.find((state) => state.id === keyOrId || state.secret === keyOrId);
  }

  /**
   * Hands out `wanted` when it is available, else the next key by the strategy (skipping `excluded` ids), else — with
   * `panic` — the key whose transient cooldown ends soonest; counts the hand-out. `undefined` when none can go.
   */
  #handOut(excluded: ReadonlySet<string> | undefined, wanted: KeyState | undefined, panic: boolean): KeyState | undefined {
    const { strategy, health: policy } = this.#options;
    const now = policy.clock.monotonic();
    let state = wanted && wanted.health.availableAt() <= now ? wanted : selectKey(this.#keys, strategy, this.#cursor, now, policy.random, excluded);
    if (!state && panic) state = selectPanicCredential(this.#keys, now, excluded && ((key) => excluded.has(key.id)));
    if (!state) return undefined;
    this.#sequence++;
    state.health.handOut(now, policy);
    return state;
  }

  /** When a report arrives, for the health record. */
  #moment(sequence: number | undefined): CredentialReportMoment {
    const { clock } = this.#options.health;
    return { now: clock.monotonic(), wallNow: clock.wall(), currentSequence: this.#sequence, sequence };
  }

  #recordSuccess(state: KeyState, sequence: number | undefined): void {
    const { health } = state;
    const wasHealthy = health.healthy;
    const outcome = health.recordSuccess(this.#moment(sequence));
    this.#shared?.healthChanged(state);
    if (outcome === 'counted' && !wasHealthy) this.#event('credential-recovered', state.id);
  }

  /**
   * Records a failure of the key (a `KitError`, masked; anything else becomes one, nothing at all a `server_error`) and
   * emits the events of a failure event. Returns the error.
   */
  #recordFailure(state: KeyState, failure: unknown, sequence: number | undefined): KitError {
    const { id, secret, health } = state;
    const error = toKitError(failure ?? new KitError('server_error', 'unspecified failure'), 'network', {
      provider: this.providerName,
      credentialId: id,
      secrets: [secret],
    });
    const wasHealthy = health.healthy;
    const moment = this.#moment(sequence);
    const outcome = health.recordFailure(error, moment, this.#options.health);
    this.#shared?.healthChanged(state);
    if (outcome !== 'counted') return error;
    this.#event('credential-failure', id, {
      error: { code: error.code, status: error.status, message: maskSecrets(error.message, [secret]) },
      consecutiveFailures: health.consecutiveFailures,
      backoffMs: health.disabled ? 0 : Math.max(0, health.cooldownUntil() - moment.now),
    });
    if (wasHealthy && !health.healthy) this.#event('credential-unhealthy', id, { consecutiveFailures: health.consecutiveFailures });
    return error;
  }

  /** Emits an event of this key (`at` is the wall clock); nothing is built without a listener. */
  #event(type: KitEvent['type'], credentialId: string, extra?: object): void {
    this.#emit?.({ type, at: this.#options.health.clock.wall(), provider: this.providerName, credentialId, ...extra } as KitEvent);
  }

  /**
   * `credentials_exhausted`, with `retryAfterMs` until the soonest key (outside `excluded`, not disabled) is free;
   * without one when nothing can be waited for.
   */
  #exhausted(cause?: KitError, excluded?: ReadonlySet<string>): KitError {
    const now = this.#options.health.clock.monotonic();
    const retryAfterMs = soonestCredentialRecoveryMs(this.#keys, now, excluded && ((key) => excluded.has(key.id)));
    const provider = this.providerName;
    return new KitError('credentials_exhausted', `KeyManager(${provider}): no key available${cause ? `, last error: ${cause.message}` : ''}`, {
      provider,
      cause,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
}

/** The `sequence` of a report, when it carries a usable one. */
function sequenceOf(info: CredentialReportInfo | undefined): number | undefined {
  const sequence = info?.sequence;
  // Number.isFinite is false for anything that is not a number.
  return Number.isFinite(sequence) ? sequence : undefined;
}

/** Whether `executeWithFailover` tries the next key after `error`: the key is to blame, or a pool rule says it matters. */
function movesToNextKey(error: KitError, options: ResolvedKeyManagerOptions): boolean {
  return policyOf(error.code).penalisesCredential || credentialFailureDisposition(error, options.health).action !== 'ignore';
}
