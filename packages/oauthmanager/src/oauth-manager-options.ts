import {
  array,
  boolean,
  custom,
  literal,
  number,
  optional,
  parseOrThrow,
  strictObject,
  url,
  type KitEventListener,
} from '@kit/core';
import type { Alert, AlertKind } from './alert';
import type { CredentialStore } from './credential-store';
import { check } from './invalid-config';
import type { OAuthCredential } from './oauth-credential';
import type { RefreshStrategy, RefreshStrategyName } from './refresh-strategy';

/** How the next credential is picked among the available ones: in list order from the first, or at random. */
export type OAuthSelectionStrategy = 'round-robin' | 'random';

/** Told that a credential is older than `rotationIntervalMs`. */
export interface RotationNotice {
  credentialId: string;
  /** When the credential entered the pool (epoch ms). */
  createdAt: number;
  ageMs: number;
}

/** Credential rotation (see `OAuthManager.markForRotation`). */
export interface RotationOptions {
  /** Whether `checkRotationNeeded()` reports anything and `startMonitoring` runs the rotation checks. */
  enabled: boolean;
  /** Age after which a credential should be replaced. Default 30 days. */
  rotationIntervalMs?: number;
  /** How long a credential marked for rotation keeps serving (as a last resort) before it is decommissioned. Default 7 days. */
  gracePeriodMs?: number;
  /** Whether `startMonitoring` decommissions credentials whose grace period ended. Default `true`. */
  autoDecommission?: boolean;
  /** Called (at most once an hour per credential) when a credential is due for rotation. Errors are ignored. */
  onRotationNeeded?: (notice: RotationNotice) => void | Promise<void>;
  /** Called when a credential leaves the pool after a rotation. Errors are ignored. */
  onDecommission?: (credentialId: string) => void | Promise<void>;
}

/** Alerts: `checkAlerts()`, `onAlert`, `alert` events and an optional webhook. */
export interface MonitoringOptions {
  /** Alerts are POSTed here as JSON (fire-and-forget, never delaying a request). */
  webhookUrl?: string;
  /** Gives up on a webhook POST after this long. Default 5 000 ms. */
  webhookTimeoutMs?: number;
  /** The alert kinds POSTed to the webhook. Default: every kind. */
  events?: AlertKind[];
  /** A failure rate above this raises a `'failure-rate'` alert. Default 0.25. */
  failureRateThreshold?: number;
  /** The failure rate is judged only over at least this many recent requests. Default 10. */
  minRequestsForFailureRate?: number;
  /** Whether refresh failures raise `'refresh-failure'` alerts. Default `true`. */
  alertOnRefreshFailure?: boolean;
  /** A token that cannot be refreshed and expires within this raises `'token-expiring'`. Default 24 h. */
  expiryWarningMs?: number;
  /**
   * An alert of one kind about one credential is raised at most once in this interval — unless it is more severe than
   * the last one raised (a critical after a warning gets through). Default 1 h.
   */
  alertIntervalMs?: number;
  /** Receives every alert raised. A throwing listener is ignored. */
  onAlert?: (alert: Alert) => void;
}

/** Options of `new OAuthManager(providerName, credentials, refresh, options)`. Every field is optional. */
export interface OAuthManagerOptions {
  /** Selection strategy. Default `'round-robin'`. */
  strategy?: OAuthSelectionStrategy;
  /** Backoff after a first failure, in ms. Default 1 000 (then 2 s, 4 s, … up to `maxBackoffMs`). */
  initialBackoffMs?: number;
  /** Cap of the failure backoff. Default 60 000. */
  maxBackoffMs?: number;
  /** Consecutive failures after which a credential is unhealthy (failed refreshes are not counted here). Default 3. */
  unhealthyAfter?: number;
  /** How long a credential sleeps after `quota_exceeded` (longer when the server says so). Default 1 h. */
  quotaCooldownMs?: number;
  /** Jitter ratio in [0, 1] of the failure backoff. Default 0. */
  jitter?: number;
  /** Consecutive refresh failures after which a credential is unhealthy with the refresh backoff. Default 5. */
  refreshFailuresBeforeUnhealthy?: number;
  /** First refresh backoff (then doubling). Default 60 000. */
  refreshBackoffMs?: number;
  /** Cap of the refresh backoff. Default 480 000. */
  maxRefreshBackoffMs?: number;
  /**
   * A refresh call is aborted (and counts as failed) after this long. Each persistence step (`onTokenRefresh`,
   * `store.save`) is also waited for this long at most: then the new token is used from memory and a
   * `persistence-failure` alert is raised. Default 30 000.
   */
  refreshTimeoutMs?: number;
  /** When to refresh before expiry. Default `'default'` (5 min). */
  refreshStrategy?: RefreshStrategyName | RefreshStrategy;
  /**
   * Awaited after every refresh (for `refreshTimeoutMs` at most), before the new token is used: persist the credential
   * (it holds secrets).
   */
  onTokenRefresh?: (credential: OAuthCredential) => void | Promise<void>;
  /** Loaded before the first `acquire`; saved to after every refresh. */
  store?: CredentialStore;
  /** Credential rotation. Default: disabled. */
  rotation?: RotationOptions;
  /** Alerts and the webhook. */
  monitoring?: MonitoringOptions;
  /** Receives `token-refresh`, `credential-failure`, `credential-unhealthy`, `credential-recovered` and `alert` events. */
  onEvent?: KitEventListener;
  /** Clock in epoch ms. Default `Date.now`. */
  now?: () => number;
  /** Random source in [0, 1) for jitter and the `'random'` strategy. Default `Math.random`. */
  random?: () => number;
  /** The fetch used for webhooks. Default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
}

/** Options with every default applied (internal). */
export interface ResolvedOptions {
  strategy: OAuthSelectionStrategy;
  initialBackoffMs: number;
  maxBackoffMs: number;
  unhealthyAfter: number;
  quotaCooldownMs: number;
  jitter: number;
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
  now: () => number;
  random: () => number;
  fetch: typeof globalThis.fetch | undefined;
}

const DAY = 86_400_000;
const isFunction = (value: unknown) => typeof value == 'function';
const fn = () => custom(isFunction, 'must be a function');
const duration = () => optional(number({ min: 0 }));
const alertKinds = literal('failure-rate', 'refresh-failure', 'token-expiring', 'credential-unhealthy', 'persistence-failure');

function optionsSchema() {
  return strictObject({
    strategy: optional(literal('round-robin', 'random')),
    initialBackoffMs: duration(),
    maxBackoffMs: duration(),
    unhealthyAfter: optional(number({ int: true, min: 1 })),
    quotaCooldownMs: duration(),
    jitter: optional(number({ min: 0, max: 1 })),
    refreshFailuresBeforeUnhealthy: optional(number({ int: true, min: 1 })),
    refreshBackoffMs: duration(),
    maxRefreshBackoffMs: duration(),
    refreshTimeoutMs: optional(number({ positive: true })),
    refreshStrategy: optional(
      custom(
        (value) => /^(default|adaptive|conservative)$/.test(value as string) || isFunction((value as RefreshStrategy | null)?.bufferMs),
        'must be "default", "adaptive", "conservative" or an object with a bufferMs function',
      ),
    ),
    onTokenRefresh: optional(fn()),
    store: optional(
      custom(
        (value) => isFunction((value as CredentialStore | null)?.load) && isFunction((value as CredentialStore | null)?.save),
        'must have load and save functions',
      ),
    ),
    rotation: optional(
      strictObject({
        enabled: boolean(),
        rotationIntervalMs: duration(),
        gracePeriodMs: duration(),
        autoDecommission: optional(boolean()),
        onRotationNeeded: optional(fn()),
        onDecommission: optional(fn()),
      }),
    ),
    monitoring: optional(
      strictObject({
        webhookUrl: optional(url()),
        webhookTimeoutMs: optional(number({ positive: true })),
        events: optional(array(alertKinds)),
        failureRateThreshold: optional(number({ min: 0, max: 1 })),
        minRequestsForFailureRate: optional(number({ int: true, min: 1 })),
        alertOnRefreshFailure: optional(boolean()),
        expiryWarningMs: duration(),
        alertIntervalMs: duration(),
        onAlert: optional(fn()),
      }),
    ),
    onEvent: optional(fn()),
    now: optional(fn()),
    random: optional(fn()),
    fetch: optional(fn()),
  });
}

/** Validates the options (a bad one throws `invalid_config` naming it) and applies the defaults. */
export function resolveOptions(options: OAuthManagerOptions | undefined, provider: string): ResolvedOptions {
  const given = parseOrThrow(optionsSchema(), options ?? {}, 'invalid_config', {
    what: `OAuthManager(${provider})`,
    provider,
    prefix: 'options',
  }) as OAuthManagerOptions;
  const initialBackoffMs = given.initialBackoffMs ?? 1_000;
  const maxBackoffMs = given.maxBackoffMs ?? Math.max(60_000, initialBackoffMs);
  const refreshBackoffMs = given.refreshBackoffMs ?? 60_000;
  const maxRefreshBackoffMs = given.maxRefreshBackoffMs ?? Math.max(480_000, refreshBackoffMs);
  check(maxBackoffMs >= initialBackoffMs, provider, 'options.maxBackoffMs', 'must be at least initialBackoffMs');
  check(maxRefreshBackoffMs >= refreshBackoffMs, provider, 'options.maxRefreshBackoffMs', 'must be at least refreshBackoffMs');
  const rotation = given.rotation;
  const monitoring = given.monitoring ?? {};
  return {
    strategy: given.strategy ?? 'round-robin',
    initialBackoffMs,
    maxBackoffMs,
    unhealthyAfter: given.unhealthyAfter ?? 3,
    quotaCooldownMs: given.quotaCooldownMs ?? 3_600_000,
    jitter: given.jitter ?? 0,
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
    now: given.now ?? Date.now,
    random: given.random ?? Math.random,
    fetch: given.fetch,
  };
}
