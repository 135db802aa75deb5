import {
  KitError,
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
  credentialFailureDisposition,
  MAX_TIMER_MS,
  maskSecrets,
  soonestCredentialRecoveryMs,
  type CredentialReportMoment,
  type SharedStateBinding,
  type SharedToken,
} from '@kit/core/provider-utils';
import type { Alert } from './alert';
import { AlertDesk } from './alert-desk';
import { refreshBackoffMs } from './refresh-backoff';
import { exportCredential, type ExportOptions, type OAuthManagerExport } from './credential-export';
import { toCredentialHealth, toCredentialMetrics, type CredentialHealth, type CredentialMetrics, type OAuthHealthSummary } from './credential-report';
import {
  createCredentialState,
  isHealthy,
  observedLifetimeMs,
  recordOutcome,
  recordRefreshOutcome,
  recordTraffic,
  requestsPerMinute,
  type CredentialState,
} from './credential-state';
import { copyCredential } from './credential-store';
import { check } from './invalid-config';
import { normaliseCredential } from './normalise-credential';
import type { OAuthCredential, RefreshedToken, RefreshFunction } from './oauth-credential';
import { resolveOptions, type OAuthManagerOptions, type ResolvedOptions, type RotationNotice } from './oauth-manager-options';
import { resolveRefreshStrategy, type RefreshStrategy } from './refresh-strategy';
import { selectCredential, type Cursor } from './select-credential';

/** Non-secret fields of a credential that a provider or an app may update (`updateCredential`). */
export interface CredentialUpdate {
  projectId?: string;
  resourceUrl?: string;
  scopes?: string[];
}

const isFilled = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const secretsOf = ({ accessToken, refreshToken, clientSecret }: OAuthCredential) => [accessToken, refreshToken, clientSecret];
/** The secrets to mask in what concerns a credential: its tokens and the ones its last refresh replaced. */
const secretsOfState = ({ credential, replacedSecrets }: CredentialState) => [...secretsOf(credential), ...replacedSecrets];

/**
 * A pool of OAuth accounts for one provider. It picks an account per request like `KeyManager` (round-robin from the
 * first, skipping accounts in backoff, preferring healthy ones), refreshes tokens before they expire — one refresh per
 * account however many callers wait for it — and after a 401, persists rotated tokens before using them, and never
 * hands out a token it could not refresh. Implements `CredentialSource`: pass it as `credentials` to a provider.
 *
 * Tokens never appear in events, errors, alerts, health reports, metrics, `export()` (unless asked) or
 * `JSON.stringify(manager)`.
 *
 * @example
 * ```ts
 * const accounts = new OAuthManager('qwen', [{ id: 'work', accessToken, refreshToken, expiresAt }], qwenOAuthRefresh, {
 *   store: new FileCredentialStore({ path: '~/.config/my-app/qwen.json', passphrase }),
 * });
 * const qwen = createQwen({ credentials: accounts });
 * ```
 */
export class OAuthManager implements CredentialSource {
  /** The provider name given to the constructor; it labels events, alerts and errors. */
  readonly providerName: string;

  readonly #refresh: RefreshFunction;
  readonly #options: ResolvedOptions;
  readonly #strategy: RefreshStrategy;
  readonly #emit: KitEventListener | undefined;
  readonly #alerts: AlertDesk;
  readonly #states: CredentialState[] = [];
  readonly #cursor: Cursor = { next: 0 };
  #loading: Promise<void> | undefined;
  #loaded: boolean;
  /** The number of the latest hand-out (`CredentialLease.sequence`). */
  #sequence = 0;
  #monitor: ReturnType<typeof setInterval> | undefined;
  /** The link to `options.stateStore`, when one is set. */
  readonly #shared: SharedStateBinding | undefined;

  /**
   * @param providerName - names the provider in events, alerts and errors (e.g. `'gemini'`).
   * @param credentials - the accounts; may be empty only when `options.store` provides them.
   * @param refresh - trades a credential's refresh token for new tokens (`geminiOAuthRefresh`, `qwenOAuthRefresh`, or yours).
   * @param options - see {@link OAuthManagerOptions}.
   * @throws KitError `invalid_config` naming the bad field (a missing token, a duplicate id, a bad option, …).
   */
  constructor(providerName: string, credentials: readonly OAuthCredential[], refresh: RefreshFunction, options?: OAuthManagerOptions) {
    check(isFilled(providerName), String(providerName), 'providerName', 'must be a non-empty string');
    this.providerName = providerName;
    const resolved = resolveOptions(options, providerName);
    this.#options = resolved;
    check(typeof refresh === 'function', providerName, 'refresh', 'must be a function');
    this.#refresh = refresh;
    check(
      Array.isArray(credentials) && (credentials.length > 0 || resolved.store),
      providerName,
      'credentials',
      'must be a non-empty array (it may be empty only with a store)',
    );
    credentials.forEach((input, index) => {
      this.#add(normaliseCredential(input, `credentials[${index}]`, providerName, true), `credentials[${index}]`);
    });
    this.#strategy = resolveRefreshStrategy(resolved.refreshStrategy);
    const onEvent = resolved.onEvent;
    this.#emit = onEvent
      ? (event) => {
          try {
            onEvent(event);
          } catch {
            // A listener's failure never breaks a request.
          }
        }
      : undefined;
    this.#alerts = new AlertDesk(providerName, resolved, this.#emit);
    this.#loaded = !resolved.store;
    this.#shared = resolved.stateStore?.attach({
      kind: 'oauth',
      provider: providerName,
      credentials: () => this.#states.map(({ credential, health }) => ({ id: credential.id, health })),
      sequence: () => this.#sequence,
      clock: resolved.health.clock,
      emit: this.#emit,
      token: (id) => {
        const credential = this.#get(id)?.credential;
        return credential && sharedTokenOf(credential);
      },
      adoptToken: (id, token) => this.#adoptToken(id, token),
      needsRefresh: (id) => {
        const state = this.#get(id);
        return state !== undefined && this.#needsRefresh(state);
      },
      refreshTimeoutMs: resolved.refreshTimeoutMs,
    });
  }

  /** Number of credentials in the pool. */
  get size(): number {
    return this.#states.length;
  }

  /** The ids of the credentials, in pool order. */
  get ids(): string[] {
    return this.#states.map((state) => state.credential.id);
  }

  /**
   * Reads the store once (later calls share the first read; a failed read is tried again next time) and merges it into
   * the pool: a stored credential replaces the one given in code unless the latter was refreshed later; stored ones not
   * given in code are added; given ones the store lacks are saved to it. `acquire()` calls it before the first lease.
   * @throws whatever the store throws (`FileCredentialStore`: `invalid_config` for a wrong passphrase or unreadable file).
   */
  load(): Promise<void> {
    this.#loading ??= this.#loadStore().then(
      () => {
        this.#loaded = true;
      },
      (error: unknown) => {
        this.#loading = undefined;
        throw error;
      },
    );
    return this.#loading;
  }

  /**
   * `CredentialSource.acquire`: a lease `{ id, secret: accessToken, kind: 'oauth', baseURL?: resourceUrl, projectId? }`.
   * A token that expires within the refresh buffer (or was rejected) is refreshed first — callers waiting for the same
   * credential share one refresh. A credential whose refresh fails is not handed out: the failure counts against it and
   * the next credential is tried. With `id`, that credential is handed out if it is available; credentials in `exclude`
   * (those that failed for good in the current call) are never handed out. When every credential that is not out for
   * good only cools down after a transient fault, the one whose cooldown ends soonest is used (panic mode). The lease
   * carries a `sequence`: pass it back with the report of the attempt, so a burst of late failures counts once.
   * @throws KitError `credentials_exhausted` (with `retryAfterMs` until the soonest credential outside `exclude` that is
   *   not disabled is available — absent when there is none — and the last refresh error as `cause`) when no credential
   *   is usable; `aborted` when `signal` fires (a refresh in flight goes on for the other callers).
   */
  async acquire({ signal, id, exclude }: AcquireOptions = {}): Promise<CredentialLease> {
    const provider = this.providerName;
    if (signal?.aborted) throw abortedError(provider);
    if (!this.#loaded) await abortable(this.load(), signal, provider);
    // With a state store, the first call waits until the shared state was read (bounded by the store's timeout).
    const ready = this.#shared?.ready;
    if (ready) await abortable(ready, signal, provider);
    const tried = new Set<string>(exclude);
    let wanted = id === undefined || tried.has(id) ? undefined : this.#get(id);
    let lastError: KitError | undefined;
    for (;;) {
      const now = this.#mono;
      const state = wanted && wanted.health.availableAt() <= now ? wanted : this.#select(tried);
      wanted = undefined;
      if (!state) throw this.#exhausted(lastError, exclude);
      tried.add(state.credential.id);
      if (state.refreshing || this.#needsRefresh(state)) {
        const error = await abortable(this.#refreshShared(state, state.forceRefresh), signal, provider);
        if (error) {
          lastError = error;
          continue;
        }
        // Decommissioned or removed while it was refreshing.
        if (!this.#states.includes(state)) continue;
      }
      return this.#lease(state);
    }
  }

  /**
   * `CredentialSource.onUnauthorized`: the upstream answered 401 to a request of this credential; `rejected.secret` is
   * the token that request carried. `true` means "retry with the same credential":
   * - a 401 for a token that was already replaced (a concurrent request that still carried the old one) answers `true`
   *   at once — no refresh, no failure counted;
   * - a 401 for the current token refreshes it (sharing a refresh in flight) and answers whether the refresh worked.
   *
   * `false` when the refresh fails, the credential is unknown or in refresh backoff, or the 401 is the second one: the
   * current token came from a refresh after a 401 and has not succeeded yet. A refresh that fails here counts once: the
   * engine's following `reportFailure(id, authenticationError)` for the same 401 is not counted again.
   *
   * Without `rejected` (an older engine), a 401 after a refresh after a 401 is taken as one for the old token as long as
   * the new token has not been handed out, and as the second one once it has.
   */
  async onUnauthorized(id: string, rejected?: { secret: string }): Promise<boolean> {
    const state = this.#get(id);
    if (!state) return false;
    const secret = rejected?.secret;
    const known = typeof secret === 'string';
    if (known && secret !== state.credential.accessToken) return true;
    if (!state.refreshing) {
      if (state.health.heldUntil > this.#mono) return false;
      if (state.awaitingProof) return !known && state.handedOutSinceRefresh === 0;
    }
    const error = await this.#refreshShared(state, true);
    // Counted by the failed refresh: the engine's report of the 401 that led to it must not count again.
    if (error) state.countedUnauthorized++;
    return !error;
  }

  /**
   * Records a success. Unless it is late (`info.sequence` names a lease handed out before the failure that started the
   * credential's current cooldown), the credential is reset: consecutive failures → 0, healthy by reports, failure
   * backoff cleared, enabled (a refresh backoff stays: only a successful refresh lifts it). A report without `sequence`
   * always counts. `info` feeds the metrics (latency, tokens) and the rate-limit skip. An unknown id is ignored.
   */
  reportSuccess(id: string, info?: CredentialSuccessInfo): void {
    const state = this.#get(id);
    if (!state) return;
    const wasHealthy = this.#healthy(state);
    recordOutcome(state, false);
    if (state.health.recordSuccess(this.#moment(sequenceOf(info))) === 'counted') {
      state.countedUnauthorized = 0;
      state.awaitingProof = false;
    }
    this.#shared?.healthChanged({ id, health: state.health });
    if (info) {
      if (isTime(info.latencyMs)) {
        state.latencyTotalMs += info.latencyMs;
        state.latencySamples++;
      }
      if (isTime(info.inputTokens)) state.inputTokens += info.inputTokens;
      if (isTime(info.outputTokens)) state.outputTokens += info.outputTokens;
      if (info.rateLimit) this.reportRateLimit(id, info.rateLimit);
    }
    this.#transition(state, wasHealthy);
  }

  /**
   * Records a failure. An error that is not the credential's business (`invalid_request`, `not_found`,
   * `context_length`, `content_filter`, `aborted`, a code this copy of `@kit/core` does not know, or a `policies` rule
   * `'ignore'`) changes nothing. A late failure of a burst (`info.sequence` names a lease handed out before the
   * credential's last success or before the failure that started its current cooldown) only counts in the metrics.
   * Otherwise the credential sleeps `min(initialBackoffMs × 2^(n−1), maxBackoffMs)` (at most `maxTransientBackoffMs`
   * for a transient fault, at least `retryAfterMs` for `rate_limit`, `quotaCooldownMs` for `quota_exceeded`; or what
   * the `policies` rule for its status or code says) and turns unhealthy after `unhealthyAfter` failure events in a row
   * (failed refreshes in between are not counted towards it). An `authentication` failure event also marks the token
   * for a refresh before its next use; when it reports a 401 whose refresh in `onUnauthorized` failed, it is not counted
   * again (the failed refresh was). An unknown id is ignored.
   */
  reportFailure(id: string, error?: unknown, info?: CredentialReportInfo): void {
    const state = this.#get(id);
    if (!state) return;
    const kitError = toKitError(error ?? new KitError('server_error', 'unspecified failure'), 'network', {
      provider: this.providerName,
      credentialId: id,
      secrets: secretsOfState(state),
    });
    if (credentialFailureDisposition(kitError, this.#options.health).action === 'ignore') return;
    const unauthorized = kitError.code === 'authentication';
    if (unauthorized && state.countedUnauthorized > 0) {
      state.countedUnauthorized--;
      state.forceRefresh = true;
      state.awaitingProof = false;
      return;
    }
    if (this.#recordFailure(state, kitError, sequenceOf(info)) && unauthorized) {
      state.forceRefresh = true;
      state.awaitingProof = false;
    }
  }

  /**
   * Rate-limit headers seen on a response: with no requests remaining and a reset in the future, the credential is
   * skipped until then (not a failure); a later report with requests remaining lifts the skip.
   */
  reportRateLimit(id: string, info: RateLimitInfo): void {
    const state = this.#get(id);
    if (!state || !info) return;
    const { requestsRemaining: remaining, requestsResetAt: resetAt } = info;
    if (!isTime(remaining) || remaining < 0) return;
    const wallNow = this.#now;
    if (remaining > 0) state.health.skipUntil(0);
    // The reset is a wall-clock time: from now on it is a duration on the monotonic clock.
    else if (isTime(resetAt) && resetAt > wallNow) state.health.skipUntil(this.#mono + (resetAt - wallNow));
    this.#shared?.healthChanged({ id, health: state.health });
  }

  /**
   * Enables a credential that a `policies` rule with action `'disable'` took out (or resets any credential's failure
   * health): healthy by reports, no failures, no cooldown. The refresh health is left as it is. Emits
   * `credential-recovered` when that makes it healthy.
   * @throws KitError `invalid_config` for an unknown id.
   */
  enableCredential(id: string): void {
    const state = this.#get(id);
    check(state, this.providerName, 'id', 'is not a credential of this manager');
    const wasHealthy = this.#healthy(state);
    state.health.enable();
    this.#shared?.healthChanged({ id, health: state.health });
    this.#transition(state, wasHealthy);
  }

  /**
   * Checks every credential and raises the alerts due: `'failure-rate'` (above `failureRateThreshold` over at least
   * `minRequestsForFailureRate` recent requests), `'refresh-failure'`, `'token-expiring'` (a token that cannot be
   * refreshed expires within `expiryWarningMs`) and `'credential-unhealthy'`. Each kind is raised at most once per
   * `alertIntervalMs` (1 h) per credential, unless it is more severe than the last one raised (a `critical` after a
   * `warning`). Returns the alerts raised by this call.
   */
  checkAlerts(): Alert[] {
    const now = this.#now;
    const { failureRateThreshold, minRequestsForFailureRate, alertOnRefreshFailure, expiryWarningMs } = this.#options.monitoring;
    const threshold = this.#options.refreshFailuresBeforeUnhealthy;
    const raised: (Alert | undefined)[] = [];
    for (const state of this.#states) {
      const { credential, outcomes, consecutiveRefreshFailures } = state;
      const { id, expiresAt } = credential;
      const failures = outcomes.reduce((sum, failed) => sum + failed, 0);
      if (outcomes.length >= minRequestsForFailureRate && failures / outcomes.length > failureRateThreshold) {
        const percent = Math.round((100 * failures) / outcomes.length);
        raised.push(this.#alerts.raise('failure-rate', id, 'warning', `${percent}% of the last ${outcomes.length} requests of ${id} failed`));
      }
      if (alertOnRefreshFailure && consecutiveRefreshFailures > 0) {
        const severity = consecutiveRefreshFailures >= threshold ? 'critical' : 'warning';
        raised.push(this.#alerts.raise('refresh-failure', id, severity, `the token refresh of ${id} failed ${consecutiveRefreshFailures} time(s) in a row`));
      }
      // A client secret gets new tokens without a refresh token (Entra ID client credentials, service-account keys).
      const refreshable = Boolean(credential.refreshToken || credential.clientSecret);
      if (isTime(expiresAt) && (!refreshable || consecutiveRefreshFailures > 0) && expiresAt - now < expiryWarningMs) {
        const message =
          expiresAt <= now
            ? `the token of ${id} has expired and cannot be refreshed`
            : `the token of ${id} expires in ${Math.round((expiresAt - now) / 60_000)} min and cannot be refreshed`;
        raised.push(this.#alerts.raise('token-expiring', id, expiresAt <= now ? 'critical' : 'warning', message));
      }
      if (!this.#healthy(state)) {
        raised.push(this.#alerts.raise('credential-unhealthy', id, 'warning', `${id} is unhealthy (${state.health.lastErrorCode ?? 'failures'})`));
      }
    }
    return raised.filter((alert): alert is Alert => !!alert);
  }

  /**
   * Runs `checkAlerts()` (and, with rotation enabled, `checkRotationNeeded()` and — with `autoDecommission` —
   * `autoDecommissionExpired()`) every `intervalMs`. Nothing runs until this is called; calling it again replaces the
   * previous timer. The timer does not keep a Node process alive.
   * @returns a function that stops the monitoring.
   */
  startMonitoring(intervalMs: number): () => void {
    check(
      isTime(intervalMs) && intervalMs > 0 && intervalMs <= MAX_TIMER_MS,
      this.providerName,
      'intervalMs',
      'must be a number of ms greater than 0 and at most 2147483647',
    );
    if (this.#monitor !== undefined) clearInterval(this.#monitor);
    const timer = setInterval(() => this.#monitorTick(), intervalMs);
    (timer as { unref?: () => void }).unref?.();
    this.#monitor = timer;
    return () => {
      clearInterval(timer);
      if (this.#monitor === timer) this.#monitor = undefined;
    };
  }

  /**
   * With `rotation.enabled`: the credentials older than `rotationIntervalMs` (not already marked for rotation).
   * `onRotationNeeded` is called for each, at most once an hour per credential. Without it: `[]`.
   */
  checkRotationNeeded(): RotationNotice[] {
    const { enabled, rotationIntervalMs, onRotationNeeded } = this.#options.rotation;
    if (!enabled) return [];
    const now = this.#now;
    const notices: RotationNotice[] = [];
    for (const { credential, retiring } of this.#states) {
      const createdAt = credential.createdAt ?? now;
      if (retiring || now - createdAt < rotationIntervalMs) continue;
      const notice = { credentialId: credential.id, createdAt, ageMs: now - createdAt };
      notices.push(notice);
      if (onRotationNeeded && this.#alerts.claim(credential.id, 'rotation-needed')) settle(() => onRotationNeeded({ ...notice }));
    }
    return notices;
  }

  /**
   * Starts replacing `oldId` by `newCredential`: the new credential joins the pool (and the store), the old one serves
   * only when no other credential can, until `completeRotation` or the end of `gracePeriodMs`.
   * @throws KitError `invalid_config` for an unknown `oldId`, one already marked, or a bad or duplicate new credential.
   */
  async markForRotation(oldId: string, newCredential: OAuthCredential): Promise<void> {
    await this.load();
    const old = this.#get(oldId);
    check(old, this.providerName, 'oldId', 'is not a credential of this manager');
    check(!old.retiring, this.providerName, 'oldId', 'is already marked for rotation');
    const state = this.#add(normaliseCredential(newCredential, 'newCredential', this.providerName, true), 'newCredential');
    const now = this.#now;
    old.retiring = { replacementId: state.credential.id, markedAt: now, decommissionAt: now + this.#options.rotation.gracePeriodMs };
    await this.#persist(state.credential, false);
  }

  /**
   * Ends a rotation now: the credential marked for rotation (given by its id, or by its replacement's id) leaves the
   * pool, `onDecommission` is called and the store forgets it.
   * @throws KitError `invalid_config` when `id` is neither a credential marked for rotation nor a replacement.
   */
  async completeRotation(id: string): Promise<void> {
    const state = this.#states.find(({ credential, retiring }) => retiring && (credential.id === id || retiring.replacementId === id));
    check(state, this.providerName, 'id', 'is not a credential marked for rotation (nor its replacement)');
    await this.#decommission(state, true);
  }

  /** Decommissions every credential whose rotation grace period has ended; resolves with their ids. */
  async autoDecommissionExpired(): Promise<string[]> {
    const now = this.#now;
    const due = this.#states.filter(({ retiring }) => retiring && retiring.decommissionAt <= now);
    for (const state of due) await this.#decommission(state, true);
    return due.map(({ credential }) => credential.id);
  }

  /**
   * Adds a credential at the end of the pool (and saves it to the store).
   * @throws KitError `invalid_config` for a bad credential or a duplicate id.
   */
  async addCredential(credential: OAuthCredential): Promise<void> {
    await this.load();
    const state = this.#add(normaliseCredential(credential, 'credential', this.providerName, true), 'credential');
    await this.#persist(state.credential, false);
  }

  /**
   * Removes a credential from the pool (and the store). `onDecommission` is not called.
   * @throws KitError `invalid_config` for an unknown id.
   */
  async removeCredential(id: string): Promise<void> {
    const state = this.#get(id);
    check(state, this.providerName, 'id', 'is not a credential of this manager');
    await this.#decommission(state, false);
  }

  /**
   * Updates non-secret fields of a credential (e.g. a Gemini project found by discovery) and saves it to the store.
   * @throws KitError `invalid_config` for an unknown id or a bad field.
   */
  async updateCredential(id: string, update: CredentialUpdate): Promise<void> {
    const state = this.#get(id);
    check(state, this.providerName, 'id', 'is not a credential of this manager');
    check(update !== null && typeof update === 'object', this.providerName, 'update', 'must be an object');
    const { projectId, resourceUrl, scopes } = update;
    for (const name in update) check(/^(projectId|resourceUrl|scopes)$/.test(name), this.providerName, `update.${name}`, 'is not a field that can be updated');
    const merged = { ...state.credential };
    if (projectId !== undefined) merged.projectId = projectId;
    if (resourceUrl !== undefined) merged.resourceUrl = resourceUrl;
    if (scopes !== undefined) merged.scopes = scopes;
    state.credential = normaliseCredential(merged, 'update', this.providerName, true);
    await this.#persist(state.credential, false);
  }

  /** The health of a credential, or `undefined` for an unknown id. Holds no secret. */
  getCredentialHealth(id: string): CredentialHealth | undefined {
    const state = this.#get(id);
    return state && toCredentialHealth(state, this.#mono, this.#now, this.#options.refreshFailuresBeforeUnhealthy);
  }

  /** The usage metrics of a credential, or `undefined` for an unknown id. */
  getCredentialMetrics(id: string): CredentialMetrics | undefined {
    const state = this.#get(id);
    return state && toCredentialMetrics(state);
  }

  /** Counts of the pool and the health of every credential. */
  getHealthSummary(): OAuthHealthSummary {
    const now = this.#mono;
    const wallNow = this.#now;
    const credentials = this.#states.map((state) => toCredentialHealth(state, now, wallNow, this.#options.refreshFailuresBeforeUnhealthy));
    const count = (test: (health: CredentialHealth) => boolean) => credentials.filter(test).length;
    const total = credentials.length;
    const healthy = count((health) => health.healthy);
    const available = count((health) => health.available);
    return {
      provider: this.providerName,
      total,
      healthy,
      unhealthy: total - healthy,
      available,
      inBackoff: total - available,
      disabled: count((health) => health.disabled),
      retiring: count((health) => health.retiring),
      credentials,
    };
  }

  /**
   * The credentials as plain data, for backups and migrations. Without `{ includeSecrets: true }` the tokens and client
   * secrets are left out (safe to log, but not importable).
   */
  export(options: ExportOptions = {}): OAuthManagerExport {
    const includeSecrets = options?.includeSecrets === true;
    return {
      version: 1,
      provider: this.providerName,
      exportedAt: this.#now,
      includesSecrets: includeSecrets,
      credentials: this.#states.map(({ credential }) => exportCredential(credential, includeSecrets)),
    };
  }

  /**
   * Adds or replaces (by id) credentials from an export made with `includeSecrets: true`, or from a list of
   * credentials; saves them to the store. Everything is validated before anything changes.
   * @returns the ids imported.
   * @throws KitError `invalid_config` naming the bad field (a secret-free export lacks `accessToken`).
   */
  async import(data: OAuthManagerExport | readonly OAuthCredential[]): Promise<string[]> {
    await this.load();
    const list: unknown = Array.isArray(data) ? data : (data as OAuthManagerExport | undefined)?.credentials;
    check(Array.isArray(list), this.providerName, 'data', 'must be an export or an array of credentials');
    const field = Array.isArray(data) ? 'data' : 'data.credentials';
    const credentials = list.map((input, index) => normaliseCredential(input, `${field}[${index}]`, this.providerName, false));
    const ids = new Set<string>();
    credentials.forEach(({ id }, index) => {
      check(!ids.has(id), this.providerName, `${field}[${index}].id`, 'is a duplicate');
      ids.add(id);
    });
    for (const credential of credentials) {
      const state = this.#get(credential.id);
      if (!state) this.#add(credential, field);
      else {
        state.credential = { ...credential, createdAt: credential.createdAt ?? state.credential.createdAt };
        state.tokenLifetimeMs = observedLifetimeMs(state.credential, this.#now);
        state.forceRefresh = false;
        state.awaitingProof = false;
      }
    }
    for (const credential of credentials) await this.#persist(this.#get(credential.id)!.credential, false);
    return [...ids];
  }

  /** The health summary: a manager serialises without its tokens. */
  toJSON(): OAuthHealthSummary {
    return this.getHealthSummary();
  }

  /** `util.inspect(manager)` on Node: the health summary, never the tokens. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `OAuthManager ${JSON.stringify(this)}`;
  }

  /** Wall clock, epoch ms: expiries, timestamps, ages. */
  get #now(): number {
    return this.#options.health.clock.wall();
  }

  /** Monotonic clock, ms: every duration (backoffs, cooldowns, intervals, latencies). */
  get #mono(): number {
    return this.#options.health.clock.monotonic();
  }

  /** When a report arrives, for the health record. */
  #moment(sequence: number | undefined): CredentialReportMoment {
    return { now: this.#mono, wallNow: this.#now, currentSequence: this.#sequence, sequence };
  }

  #get(id: string): CredentialState | undefined {
    return this.#states.find((state) => state.credential.id === id);
  }

  #healthy(state: CredentialState): boolean {
    return isHealthy(state, this.#options.refreshFailuresBeforeUnhealthy);
  }

  #add(credential: OAuthCredential, field: string): CredentialState {
    check(!this.#get(credential.id), this.providerName, `${field}.id`, 'is a duplicate');
    credential.createdAt ??= this.#now;
    const state = createCredentialState(credential, observedLifetimeMs(credential, this.#now));
    this.#states.push(state);
    return state;
  }

  #select(excluded: ReadonlySet<string>): CredentialState | undefined {
    const { strategy, health, refreshFailuresBeforeUnhealthy } = this.#options;
    return selectCredential(this.#states, strategy, this.#cursor, this.#mono, health.random, refreshFailuresBeforeUnhealthy, excluded);
  }

  /**
   * Whether the token must be refreshed before use: it was rejected, or `now > expiresAt − buffer`, the buffer being
   * the strategy's, at most half the lifetime the token had when it was issued (a token living shorter than the
   * buffer is not refreshed on every call).
   */
  #needsRefresh(state: CredentialState): boolean {
    const { credential } = state;
    if (state.forceRefresh) return true;
    if (!isTime(credential.expiresAt)) return false;
    const now = this.#now;
    let buffer: number;
    try {
      buffer = this.#strategy.bufferMs({
        credentialId: credential.id,
        averageRefreshLatencyMs: state.refreshLatencyAverageMs,
        refreshFailureRate: state.refreshFailureRate,
        requestsPerMinute: requestsPerMinute(state, this.#mono),
        refreshCount: credential.refreshCount ?? 0,
      });
    } catch {
      buffer = Number.NaN;
    }
    // A strategy answering nonsense gets the default buffer.
    if (!isTime(buffer) || buffer < 0) buffer = 300_000;
    const lifetime = state.tokenLifetimeMs;
    if (lifetime !== undefined) buffer = Math.min(buffer, lifetime / 2);
    return now > credential.expiresAt - buffer;
  }

  #lease(state: CredentialState): CredentialLease {
    const now = this.#mono;
    const wallNow = this.#now;
    this.#sequence++;
    state.health.handOut(now, this.#options.health, !this.#healthy(state));
    state.handedOutSinceRefresh++;
    state.firstUsedAt ??= wallNow;
    state.lastUsedAt = wallNow;
    recordTraffic(state, now);
    const { id, accessToken, resourceUrl, projectId } = state.credential;
    const lease: CredentialLease = { id, secret: accessToken, kind: 'oauth', sequence: this.#sequence };
    if (resourceUrl) lease.baseURL = resourceUrl;
    if (projectId) lease.projectId = projectId;
    return lease;
  }

  /** The refresh in flight for this credential, or a new one; resolves to the (masked) error, or `undefined` on success. */
  #refreshShared(state: CredentialState, afterUnauthorized: boolean): Promise<KitError | undefined> {
    const run = () => this.#runRefresh(state, afterUnauthorized);
    // With a state store: one refresh across processes (its lock), or the token another process refreshed meanwhile.
    state.refreshing ??= (this.#shared ? this.#shared.refresh(state.credential.id, run) : run()).finally(() => {
      state.refreshing = undefined;
    });
    return state.refreshing;
  }

  /**
   * Another process refreshed this credential (the state store delivered its tokens): use them as if this process had
   * refreshed — the refresh health is forgiven, a rejected token is no longer rejected — and save them to the store.
   */
  async #adoptToken(id: string, token: SharedToken): Promise<void> {
    const state = this.#get(id);
    if (!state) return;
    const wasHealthy = this.#healthy(state);
    const previous = state.credential;
    const adopted: OAuthCredential = { ...previous, accessToken: token.accessToken };
    if (isFilled(token.refreshToken)) adopted.refreshToken = token.refreshToken;
    if (isFilled(token.resourceUrl)) adopted.resourceUrl = token.resourceUrl;
    for (const field of ['expiresAt', 'lastRefreshAt', 'refreshCount'] as const) {
      const value = token[field];
      if (isTime(value)) adopted[field] = value;
      else delete adopted[field];
    }
    state.replacedSecrets = [previous.accessToken];
    if (previous.refreshToken && previous.refreshToken !== adopted.refreshToken) state.replacedSecrets.push(previous.refreshToken);
    state.credential = adopted;
    state.tokenLifetimeMs = observedLifetimeMs(adopted, this.#now);
    state.health.forgiveExemptFailures();
    state.health.releaseHold();
    state.consecutiveRefreshFailures = 0;
    state.handedOutSinceRefresh = 0;
    state.countedUnauthorized = 0;
    state.forceRefresh = false;
    state.awaitingProof = false;
    this.#shared?.healthChanged({ id, health: state.health });
    this.#transition(state, wasHealthy);
    await this.#persist(adopted, false);
  }

  async #runRefresh(state: CredentialState, afterUnauthorized: boolean): Promise<KitError | undefined> {
    const { credential } = state;
    const provider = this.providerName;
    const startedAt = this.#mono;
    let result: RefreshedToken;
    try {
      result = await this.#callRefresh(credential);
      if (!result || !isFilled(result.accessToken)) {
        throw new KitError('invalid_response', 'the refresh function returned no accessToken', { provider, credentialId: credential.id });
      }
    } catch (thrown) {
      return this.#refreshFailed(state, this.#refreshError(thrown, credential), this.#mono - startedAt);
    }
    const wallNow = this.#now;
    const latencyMs = this.#mono - startedAt;
    const wasHealthy = this.#healthy(state);
    const refreshed = mergeRefreshResult(credential, state.credential, result, wallNow);
    state.replacedSecrets = [credential.accessToken];
    if (credential.refreshToken && credential.refreshToken !== refreshed.refreshToken) state.replacedSecrets.push(credential.refreshToken);
    state.credential = refreshed;
    // A token set by the user meanwhile keeps the lifetime observed when it was set.
    if (refreshed.accessToken === result.accessToken) state.tokenLifetimeMs = observedLifetimeMs(refreshed, wallNow);
    // A refresh that works forgives the failed refreshes in the streak; other failures wait for a success report.
    state.health.forgiveExemptFailures();
    state.health.releaseHold();
    state.consecutiveRefreshFailures = 0;
    state.handedOutSinceRefresh = 0;
    state.countedUnauthorized = 0;
    state.forceRefresh = false;
    state.awaitingProof = afterUnauthorized;
    this.#shared?.healthChanged({ id: credential.id, health: state.health });
    recordRefreshOutcome(state, latencyMs, false);
    this.#event('token-refresh', credential.id, { success: true, latencyMs });
    this.#transition(state, wasHealthy);
    // Persisted before anyone can use it: callers wait for this whole promise (each step for refreshTimeoutMs at most).
    await this.#persist(refreshed, true);
    return undefined;
  }

  /** Calls the refresh function with a copy of the credential, bounded by `refreshTimeoutMs`. */
  async #callRefresh(credential: OAuthCredential): Promise<RefreshedToken> {
    const controller = new AbortController();
    const timeoutMs = this.#options.refreshTimeoutMs;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new KitError('timeout', `the token refresh took longer than ${timeoutMs} ms`, {
          provider: this.providerName,
          credentialId: credential.id,
        });
        controller.abort(error);
        reject(error);
      }, timeoutMs);
    });
    try {
      const refreshing = Promise.resolve().then(() => this.#refresh(copyCredential(credential), { signal: controller.signal }));
      return await Promise.race([refreshing, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** What a refresh threw, as a masked `KitError` (code and status kept; no cause that could hold a token). */
  #refreshError(thrown: unknown, credential: OAuthCredential): KitError {
    const provider = this.providerName;
    const original = KitError.is(thrown) ? thrown : undefined;
    const message = original ? original.message : thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
    return new KitError(original?.code ?? 'network', `${provider}: token refresh of ${credential.id} failed: ${message}`, {
      provider,
      credentialId: credential.id,
      status: original?.status,
      retryAfterMs: original?.retryAfterMs,
      secrets: secretsOf(credential),
    });
  }

  #refreshFailed(state: CredentialState, error: KitError, latencyMs: number): KitError {
    const { id } = state.credential;
    const options = this.#options;
    const failures = ++state.consecutiveRefreshFailures;
    state.refreshFailures++;
    recordRefreshOutcome(state, latencyMs, true);
    this.#event('token-refresh', id, { success: false, latencyMs, error: eventError(error) });
    const wasHealthy = state.health.healthy && failures - 1 < options.refreshFailuresBeforeUnhealthy;
    const backoff = refreshBackoffMs(failures, options);
    if (backoff > 0) state.health.hold(this.#mono + backoff);
    // The short failure backoff applies (the token endpoint is not hammered); health is the refresh counter's business.
    this.#recordFailure(state, error, undefined, true, wasHealthy);
    if (options.monitoring.alertOnRefreshFailure) {
      const severity = failures >= options.refreshFailuresBeforeUnhealthy ? 'critical' : 'warning';
      this.#alerts.raise('refresh-failure', id, severity, `the token refresh of ${id} failed (${failures} in a row): ${error.message}`);
    }
    return error;
  }

  /**
   * Records a failure against the credential in its health record (cooldown, disable, counts) and the metrics, and
   * emits the events of a failure event. A failed refresh (`refreshFailed`) is an exempt failure: it drives the
   * backoff, not `unhealthyAfter` (its own counter, `refreshFailuresBeforeUnhealthy`, decides). Returns whether the
   * failure was a new failure event.
   */
  #recordFailure(state: CredentialState, error: KitError, sequence: number | undefined, refreshFailed = false, wasHealthy = this.#healthy(state)): boolean {
    const { health } = state;
    const moment = this.#moment(sequence);
    const outcome = health.recordFailure(error, moment, this.#options.health, refreshFailed);
    this.#shared?.healthChanged({ id: state.credential.id, health });
    if (outcome === 'ignored') return false;
    recordOutcome(state, true);
    if (outcome === 'stale') return false;
    this.#event('credential-failure', state.credential.id, {
      error: eventError(error, secretsOfState(state)),
      consecutiveFailures: health.consecutiveFailures,
      backoffMs: health.disabled ? 0 : Math.max(0, health.availableAt() - moment.now),
    });
    this.#transition(state, wasHealthy);
    return true;
  }

  /** Emits `credential-unhealthy` / `credential-recovered` when the health changed. */
  #transition(state: CredentialState, wasHealthy: boolean): void {
    const healthy = this.#healthy(state);
    if (healthy === wasHealthy) return;
    const { id } = state.credential;
    if (healthy) this.#event('credential-recovered', id);
    else this.#event('credential-unhealthy', id, { consecutiveFailures: Math.max(state.health.consecutiveFailures, state.consecutiveRefreshFailures) });
  }

  /**
   * Saves a credential through `onTokenRefresh` (after a refresh only) and the store, each given `refreshTimeoutMs` at
   * most; a failure or a timeout raises an alert (a save that timed out may still complete later).
   */
  async #persist(credential: OAuthCredential, refreshed: boolean): Promise<void> {
    const { onTokenRefresh, store, refreshTimeoutMs } = this.#options;
    const savers: [string, ((credential: OAuthCredential) => unknown) | undefined][] = [
      ['onTokenRefresh', refreshed ? onTokenRefresh : undefined],
      ['the credential store', store && ((copy) => store.save(copy))],
    ];
    for (const [what, save] of savers) {
      if (!save) continue;
      const saving = Promise.resolve().then(() => save(copyCredential(credential)));
      let timer: ReturnType<typeof setTimeout> | undefined;
      let late = false;
      const timedOut = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          late = true;
          resolve();
        }, refreshTimeoutMs);
      });
      try {
        await Promise.race([saving, timedOut]);
        if (late) {
          saving.catch(() => {}); // it may still settle; a late failure was already alerted as the timeout
          this.#persistenceFailed(credential, what, undefined, true);
        }
      } catch (error) {
        this.#persistenceFailed(credential, what, error);
      } finally {
        clearTimeout(timer);
      }
    }
  }

  /** Raises the `persistence-failure` alert of a save that failed with `error`, or that timed out. */
  #persistenceFailed(credential: OAuthCredential, what: string, error: unknown, timedOut = false): void {
    const { id } = credential;
    const state = this.#get(id);
    const reason = maskSecrets(error instanceof Error ? error.message : String(error), [...secretsOf(credential), ...(state ? secretsOfState(state) : [])]);
    const message = timedOut
      ? `${what} did not finish within ${this.#options.refreshTimeoutMs} ms saving ${id} (the tokens are used from memory; the save may still complete later)`
      : `${what} failed to save ${id} (the tokens stay usable in memory): ${reason}`;
    this.#alerts.raise('persistence-failure', id, 'critical', message);
  }

  async #decommission(state: CredentialState, rotated: boolean): Promise<void> {
    const index = this.#states.indexOf(state);
    if (index < 0) return;
    this.#states.splice(index, 1);
    if (index < this.#cursor.next) this.#cursor.next--;
    const { id } = state.credential;
    this.#alerts.forget(id);
    const { rotation, store } = this.#options;
    if (rotated && rotation.onDecommission)
      await Promise.resolve()
        .then(() => rotation.onDecommission?.(id))
        .catch(() => {});
    if (store?.delete) {
      try {
        await store.delete(id);
      } catch (error) {
        this.#persistenceFailed(state.credential, 'the credential store', error);
      }
    }
  }

  async #loadStore(): Promise<void> {
    const { store } = this.#options;
    if (!store) return;
    const provider = this.providerName;
    let stored: unknown;
    try {
      stored = await store.load();
    } catch (error) {
      if (KitError.is(error)) throw error;
      throw new KitError(
        'invalid_config',
        `OAuthManager(${provider}): the credential store could not be read: ${error instanceof Error ? error.message : String(error)}`,
        {
          provider,
          cause: error,
        },
      );
    }
    check(Array.isArray(stored), provider, 'store.load()', 'must resolve to an array of credentials');
    const credentials = stored.map((input, index) => normaliseCredential(input, `store[${index}]`, provider, false));
    const unsaved = new Set(this.#states);
    for (const credential of credentials) {
      const state = this.#get(credential.id);
      if (!state) {
        this.#add(credential, 'store');
        continue;
      }
      unsaved.delete(state);
      // The store holds what the last refresh produced, unless the credential given in code is newer.
      if ((state.credential.lastRefreshAt ?? -1) > (credential.lastRefreshAt ?? -1)) continue;
      state.credential = { ...credential, createdAt: credential.createdAt ?? state.credential.createdAt };
      state.tokenLifetimeMs = observedLifetimeMs(state.credential, this.#now);
    }
    for (const state of unsaved) await this.#persist(state.credential, false);
  }

  /**
   * `credentials_exhausted`, with `retryAfterMs` until the soonest credential (outside `excluded`, not disabled) is
   * available; without one when nothing can be waited for.
   */
  #exhausted(cause: KitError | undefined, excluded?: ReadonlySet<string>): KitError {
    const provider = this.providerName;
    const states = this.#states;
    const retryAfterMs = soonestCredentialRecoveryMs(states, this.#mono, excluded && ((state) => excluded.has(state.credential.id)));
    const message = `OAuthManager(${provider}): ${states.length > 0 ? 'no credential available' : 'no credentials'}${cause ? `; last error: ${cause.message}` : ''}`;
    return new KitError('credentials_exhausted', message, { provider, cause, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
  }

  #monitorTick(): void {
    try {
      this.checkAlerts();
      const { enabled, autoDecommission } = this.#options.rotation;
      if (enabled) {
        this.checkRotationNeeded();
        if (autoDecommission) this.autoDecommissionExpired().catch(() => {});
      }
    } catch {
      // Monitoring never throws into the timer.
    }
  }

  /** Emits an event about a credential (`at` is now); nothing is built without a listener. */
  #event(type: KitEvent['type'], credentialId: string, extra?: object): void {
    this.#emit?.({ type, at: this.#now, provider: this.providerName, credentialId, ...extra } as KitEvent);
  }
}

/** The tokens of a credential as a state store shares them. */
function sharedTokenOf({ accessToken, refreshToken, expiresAt, lastRefreshAt, refreshCount, resourceUrl }: OAuthCredential): SharedToken {
  const token: SharedToken = { accessToken };
  if (refreshToken !== undefined) token.refreshToken = refreshToken;
  if (expiresAt !== undefined) token.expiresAt = expiresAt;
  if (lastRefreshAt !== undefined) token.lastRefreshAt = lastRefreshAt;
  if (refreshCount !== undefined) token.refreshCount = refreshCount;
  if (resourceUrl !== undefined) token.resourceUrl = resourceUrl;
  return token;
}

/** The `sequence` of a report, when it carries a usable one. */
function sequenceOf(info: CredentialReportInfo | undefined): number | undefined {
  const sequence = info?.sequence;
  return isTime(sequence) ? sequence : undefined;
}

/**
 * The credential after a refresh that started from `before`: `current` is what the pool holds now — an
 * `updateCredential` or `import` may have landed while the refresh was in flight. Fields the user changed meanwhile
 * win (a newer token set by the user wins over the refresh result, and its expiry goes with it); the others take the
 * refresh result. A refresh token the server did not rotate is kept.
 */
function mergeRefreshResult(before: OAuthCredential, current: OAuthCredential, result: RefreshedToken, wallNow: number): OAuthCredential {
  // A new object: a copy handed to the refresh function or a hook earlier is never changed under its holder.
  const merged: OAuthCredential = { ...current };
  if (current.accessToken === before.accessToken) {
    merged.accessToken = result.accessToken;
    const expiresAt = isTime(result.expiresAt) ? result.expiresAt : isTime(result.expiresInMs) ? wallNow + result.expiresInMs : undefined;
    if (expiresAt === undefined) delete merged.expiresAt;
    else merged.expiresAt = expiresAt;
  }
  if (current.refreshToken === before.refreshToken && isFilled(result.refreshToken)) merged.refreshToken = result.refreshToken;
  if (current.resourceUrl === before.resourceUrl && isFilled(result.resourceUrl)) merged.resourceUrl = result.resourceUrl;
  merged.lastRefreshAt = wallNow;
  merged.refreshCount = (current.refreshCount ?? 0) + 1;
  return merged;
}

/** The error as events carry it: code, status, masked message. */
function eventError(error: KitError, secrets: readonly (string | undefined)[] = []) {
  return { code: error.code, status: error.status, message: maskSecrets(error.message, secrets) };
}

/** Settles like `promise`, or rejects with `aborted` as soon as `signal` fires (the promise itself goes on). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined, provider: string): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortedError(provider));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortedError(provider));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.finally(() => signal.removeEventListener('abort', onAbort)).then(resolve, reject);
  });
}

/** Calls a user callback without letting it throw or reject into the manager. */
function settle(callback: () => unknown): void {
  try {
    Promise.resolve(callback()).catch(() => {});
  } catch {
    // Ignored: a callback's failure is its own.
  }
}
