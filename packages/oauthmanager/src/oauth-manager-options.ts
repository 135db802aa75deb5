import type { CredentialStateStore, KitEventListener } from '@kit/core';
import {
  atLeast,
  atMost,
  credentialHealthOptionsShape,
  type CredentialHealthPolicy,
  credentialPoolFunctionSchema,
  credentialStateStoreSchema,
  durationMsSchema,
  httpURLSchema,
  integerSchema,
  parseOrThrow,
  resolveCredentialHealthPolicy,
} from '@kit/core/provider-utils';
import * as z from 'zod/mini';
import type { Alert } from './alert';
import type { CredentialStore } from './credential-store';
import { check } from './invalid-config';
import type { OAuthCredential } from './oauth-credential';
import type { RefreshStrategy, RefreshStrategyName } from './refresh-strategy';

/** Told that a credential is older than `rotationIntervalMs`. */
export interface RotationNotice {
  credentialId: string;
  /** When the credential entered the pool (epoch ms). */
  createdAt: number;
  ageMs: number;
}

/** A span of calendar time compared against ages (never a timer): any finite number of ms ≥ 0. */
const ageMsSchema = () => z.number().check(atLeast(0));

const isFunction = (value: unknown): boolean => typeof value === 'function';

function isRefreshStrategy(value: unknown): boolean {
  if (value === 'default' || value === 'adaptive' || value === 'conservative') return true;
  return typeof value === 'object' && value !== null && isFunction((value as Partial<RefreshStrategy>).bufferMs);
}

function isCredentialStore(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const store = value as Partial<CredentialStore>;
  return isFunction(store.load) && isFunction(store.save);
}

function rotationSchema() {
  return z.strictObject({
    /** Whether `checkRotationNeeded()` reports anything and `startMonitoring` runs the rotation checks. */
    enabled: z.boolean(),
    /** Age after which a credential should be replaced. Default 30 days. */
    rotationIntervalMs: z.optional(ageMsSchema()),
    /** How long a credential marked for rotation keeps serving (as a last resort) before it is decommissioned. Default 7 days. */
    gracePeriodMs: z.optional(ageMsSchema()),
    /** Whether `startMonitoring` decommissions credentials whose grace period ended. Default `true`. */
    autoDecommission: z.optional(z.boolean()),
    /** Called (at most once an hour per credential) when a credential is due for rotation. Errors are ignored. */
    onRotationNeeded: z.optional(credentialPoolFunctionSchema<(notice: RotationNotice) => void | Promise<void>>()),
    /** Called when a credential leaves the pool after a rotation. Errors are ignored. */
    onDecommission: z.optional(credentialPoolFunctionSchema<(credentialId: string) => void | Promise<void>>()),
  });
}

function monitoringSchema() {
  return z.strictObject({
    /** Alerts are POSTed here as JSON (fire-and-forget, never delaying a request). */
    webhookUrl: z.optional(httpURLSchema()),
    /** Gives up on a webhook POST after this long. Default 5 000 ms. */
    webhookTimeoutMs: z.optional(durationMsSchema()),
    /** The alert kinds POSTed to the webhook. Default: every kind. */
    events: z.optional(z.array(z.enum(['failure-rate', 'refresh-failure', 'token-expiring', 'credential-unhealthy', 'persistence-failure']))),
    /** A failure rate above this raises a `'failure-rate'` alert. Default 0.25. */
    failureRateThreshold: z.optional(z.number().check(atLeast(0), atMost(1))),
    /** The failure rate is judged only over at least this many recent requests. Default 10. */
    minRequestsForFailureRate: z.optional(integerSchema().check(atLeast(1))),
    /** Whether refresh failures raise `'refresh-failure'` alerts. Default `true`. */
    alertOnRefreshFailure: z.optional(z.boolean()),
    /** A token that cannot be refreshed and expires within this raises `'token-expiring'`. Default 24 h. */
    expiryWarningMs: z.optional(ageMsSchema()),
    /**
     * An alert of one kind about one credential is raised at most once in this interval — unless it is more severe than
     * the last one raised (a critical after a warning gets through). Default 1 h.
     */
    alertIntervalMs: z.optional(ageMsSchema()),
    /** Receives every alert raised. A throwing listener is ignored. */
    onAlert: z.optional(credentialPoolFunctionSchema<(alert: Alert) => void>()),
  });
}

/** Strict: an unknown or misspelt option is an `invalid_config` error naming it. */
function oauthManagerOptionsSchema() {
  return z.strictObject({
    /** How the next credential is picked among the available ones: in list order from the first (default), or at random. */
    strategy: z.optional(z.enum(['round-robin', 'random'])),
    ...credentialHealthOptionsShape(),
    /** Consecutive refresh failures after which a credential is unhealthy with the refresh backoff. Default 5. */
    refreshFailuresBeforeUnhealthy: z.optional(integerSchema().check(atLeast(1))),
    /** First refresh backoff (then doubling). Default 60 000. */
    refreshBackoffMs: z.optional(durationMsSchema(0)),
    /** Cap of the refresh backoff. Default 480 000. */
    maxRefreshBackoffMs: z.optional(durationMsSchema(0)),
    /**
     * A refresh call is aborted (and counts as failed) after this long. Each persistence step (`onTokenRefresh`,
     * `store.save`) is also waited for this long at most: then the new token is used from memory and a
     * `persistence-failure` alert is raised. Default 30 000.
     */
    refreshTimeoutMs: z.optional(durationMsSchema()),
    /**
     * When to refresh before expiry: `'default'` (5 min), `'adaptive'` (1–15 min), `'conservative'` (15 min) or your
     * `RefreshStrategy`. Whatever it says, a token is not refreshed before half of the lifetime it had when issued.
     */
    refreshStrategy: z.optional(
      z.custom<RefreshStrategyName | RefreshStrategy>(isRefreshStrategy, 'must be "default", "adaptive", "conservative" or an object with a bufferMs function'),
    ),
    /**
     * Awaited after every refresh (for `refreshTimeoutMs` at most), before the new token is used: persist the credential
     * (it holds secrets).
     */
    onTokenRefresh: z.optional(credentialPoolFunctionSchema<(credential: OAuthCredential) => void | Promise<void>>()),
    /** Loaded before the first `acquire`; saved to after every refresh. */
    store: z.optional(z.custom<CredentialStore>(isCredentialStore, 'must have load and save functions')),
    /** Credential rotation. Default: disabled. */
    rotation: z.optional(rotationSchema()),
    /** Alerts and the webhook. */
    monitoring: z.optional(monitoringSchema()),
    /** The fetch used for webhooks. Default `globalThis.fetch`. */
    fetch: z.optional(credentialPoolFunctionSchema<typeof globalThis.fetch>()),
    /**
     * Shares the accounts' health, cooldowns and tokens with the other processes using the same store
     * (`createRedisStateStore` from `@kit/store-redis`): one refresh per account across processes (a refresh lock;
     * the others take the refreshed token from the store). Tokens are written sealed by the store's cipher.
     */
    stateStore: z.optional(credentialStateStoreSchema()),
  });
}

/**
 * Options of `new OAuthManager(providerName, credentials, refresh, options)`. Every field is optional: `strategy`,
 * the health options shared with `KeyManager` (backoff numbers, `maxTransientBackoffMs`, `unhealthyAfter`,
 * `policies`, clocks, `random`, `onEvent`), the refresh options, `store`, `rotation`, `monitoring`, `fetch` and
 * `stateStore`.
 */
export type OAuthManagerOptions = z.infer<ReturnType<typeof oauthManagerOptionsSchema>>;

/** How the next credential is picked among the available ones: in list order from the first, or at random. */
export type OAuthSelectionStrategy = NonNullable<OAuthManagerOptions['strategy']>;

/** Credential rotation (see `OAuthManager.markForRotation`). */
export type RotationOptions = z.infer<ReturnType<typeof rotationSchema>>;

/** Alerts: `checkAlerts()`, `onAlert`, `alert` events and an optional webhook. */
export type MonitoringOptions = z.infer<ReturnType<typeof monitoringSchema>>;

/** Options with every default applied (internal). */
export interface ResolvedOptions {
  strategy: OAuthSelectionStrategy;
  /** Backoff, health, rules and clocks, shared with `KeyManager`. */
  health: CredentialHealthPolicy;
  refreshFailuresBeforeUnhealthy: number;
  refreshBackoffMs: number;
  maxRefreshBackoffMs: number;
  refreshTimeoutMs: number;
  refreshStrategy: RefreshStrategyName | RefreshStrategy;
  onTokenRefresh: ((credential: OAuthCredential) => void | Promise<void>) | undefined;
  store: CredentialStore | undefined;
  rotation: Required<Omit<RotationOptions, 'onRotationNeeded' | 'onDecommission'>> & Pick<RotationOptions, 'onRotationNeeded' | 'onDecommission'>;
  monitoring: Required<Omit<MonitoringOptions, 'webhookUrl' | 'onAlert' | 'events'>> & Pick<MonitoringOptions, 'webhookUrl' | 'onAlert' | 'events'>;
  onEvent: KitEventListener | undefined;
  fetch: typeof globalThis.fetch | undefined;
  stateStore: CredentialStateStore | undefined;
}

const DAY = 86_400_000;

/** Validates the options (a bad one throws `invalid_config` naming it) and applies the defaults. */
export function resolveOptions(options: unknown, provider: string): ResolvedOptions {
  const what = `OAuthManager(${provider})`;
  const given = parseOrThrow(oauthManagerOptionsSchema(), options === undefined ? {} : options, 'invalid_config', { what, provider, prefix: 'options' });
  const refreshBackoffMs = given.refreshBackoffMs ?? 60_000;
  const maxRefreshBackoffMs = given.maxRefreshBackoffMs ?? Math.max(480_000, refreshBackoffMs);
  check(maxRefreshBackoffMs >= refreshBackoffMs, provider, 'options.maxRefreshBackoffMs', 'must be at least options.refreshBackoffMs');
  const rotation = given.rotation;
  const monitoring = given.monitoring ?? {};
  return {
    strategy: given.strategy ?? 'round-robin',
    health: resolveCredentialHealthPolicy(given, what, provider),
    refreshFailuresBeforeUnhealthy: given.refreshFailuresBeforeUnhealthy ?? 5,
    refreshBackoffMs,
    maxRefreshBackoffMs,
    refreshTimeoutMs: given.refreshTimeoutMs ?? 30_000,
    refreshStrategy: given.refreshStrategy ?? 'default',
    onTokenRefresh: given.onTokenRefresh,
    store: given.store,
    rotation: {
      enabled: rotation?.enabled ?? false,
      rotationIntervalMs: rotation?.rotationIntervalMs ?? 30 * DAY,
      gracePeriodMs: rotation?.gracePeriodMs ?? 7 * DAY,
      autoDecommission: rotation?.autoDecommission ?? true,
      onRotationNeeded: rotation?.onRotationNeeded,
      onDecommission: rotation?.onDecommission,
    },
    monitoring: {
      webhookUrl: monitoring.webhookUrl,
      webhookTimeoutMs: monitoring.webhookTimeoutMs ?? 5_000,
      events: monitoring.events,
      failureRateThreshold: monitoring.failureRateThreshold ?? 0.25,
      minRequestsForFailureRate: monitoring.minRequestsForFailureRate ?? 10,
      alertOnRefreshFailure: monitoring.alertOnRefreshFailure ?? true,
      expiryWarningMs: monitoring.expiryWarningMs ?? DAY,
      alertIntervalMs: monitoring.alertIntervalMs ?? 3_600_000,
      onAlert: monitoring.onAlert,
    },
    onEvent: given.onEvent,
    fetch: given.fetch,
    stateStore: given.stateStore,
  };
}
