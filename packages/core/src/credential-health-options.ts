import * as z from 'zod/mini';
import { errorPolicies } from './error-codes';
import type { KitEventListener } from './kit-event';
import { KitError } from './kit-error';
import { atLeast, atMost, durationMsSchema, functionSchema, implementsSchema, integerSchema, recordSchema } from './setting-schemas';
import type { CredentialStateStore } from './state-store';

/** What a credential pool does with a credential after a failure of some HTTP status or `KitError` code. */
export type CredentialFailureAction = 'cooldown' | 'disable' | 'ignore';

/** Codes a credential can never cause: no rule may be set for them. */
const codesWithoutRules: readonly string[] = ['aborted', 'credentials_exhausted', 'invalid_config'];

/** Whether `key` names an HTTP error status (400–599) or a `KitError` code a rule may be set for. */
function isFailureRuleKey(key: string): boolean {
  return /^[45]\d\d$/.test(key) || (Object.hasOwn(errorPolicies, key) && !codesWithoutRules.includes(key));
}

/** A function option of a credential pool (a clock, a random source, a listener, a hook), typed as `T`. */
export function credentialPoolFunctionSchema<T>() {
  return functionSchema<T>();
}

/** The `stateStore` option of a credential pool: a `CredentialStateStore` (an object with `attach`). */
export function credentialStateStoreSchema() {
  return implementsSchema<CredentialStateStore>(['attach'], 'must be a state store (attach)');
}

function failureRuleSchema() {
  return z
    .strictObject({
      /**
       * `'cooldown'` (default): the credential sleeps — `cooldownMs`, or the classification's schedule without it.
       * `'disable'`: it stays out until `enableKey` / `enableCredential`, an explicit `reportSuccess` (one without a
       * lease `sequence`: your own probe) or until it is added again. `'ignore'`: the failure changes nothing.
       */
      action: z.optional(z.literal(['cooldown', 'disable', 'ignore'])),
      /** With `'cooldown'`: how long, in ms (a server's longer `Retry-After` on a 429 or quota error still wins). */
      cooldownMs: z.optional(durationMsSchema(0)),
    })
    .check(
      z.refine((rule) => rule.cooldownMs === undefined || (rule.action ?? 'cooldown') === 'cooldown', {
        error: 'goes only with action "cooldown"',
        path: ['cooldownMs'],
      }),
    );
}

/**
 * Per-pool failure rules, keyed by HTTP status (`401`, `429`, …) or `KitError` code (`quota_exceeded`, …). A rule for
 * the status of an error wins over one for its code; without a rule the classification decides (`@kit/core`'s error
 * table).
 * @example `{ 401: { action: 'disable' }, 429: { cooldownMs: 30_000 }, quota_exceeded: { cooldownMs: 600_000 } }`
 */
function failureRulesSchema() {
  return recordSchema(isFailureRuleKey, 'is not an HTTP error status (400–599) or a KitError code a credential can cause', failureRuleSchema());
}

/**
 * The health options both credential pools (`KeyManager`, `OAuthManager`) take, as a zod shape to spread into their
 * option schemas. Every field is optional.
 */
export function credentialHealthOptionsShape() {
  return {
    /** Backoff after the first failure, in ms. Default 1 000 (then 2 s, 4 s, … up to `maxBackoffMs`). */
    initialBackoffMs: z.optional(durationMsSchema(0)),
    /** Cap of the exponential backoff, in ms. Default 60 000 (or `initialBackoffMs` when that is larger). */
    maxBackoffMs: z.optional(durationMsSchema(0)),
    /**
     * Cap of the cooldown after a transient fault (5xx, timeout, network error, malformed response), in ms. Those hit
     * every credential alike: they cool a credential briefly and never make the pool refuse calls. Default 5 000.
     */
    maxTransientBackoffMs: z.optional(durationMsSchema(0)),
    /** Consecutive failure events after which a credential is reported unhealthy. Default 3. */
    unhealthyAfter: z.optional(integerSchema().check(atLeast(1))),
    /** How long a credential sleeps after `quota_exceeded`, in ms (longer if the server says so). Default 3 600 000 (1 h). */
    quotaCooldownMs: z.optional(durationMsSchema(0)),
    /** Jitter ratio in [0, 1]: each exponential backoff becomes `backoff × (1 ± jitter·random)`. Default 0. */
    jitter: z.optional(z.number().check(atLeast(0), atMost(1))),
    /**
     * What a failure of an HTTP status or `KitError` code does to the credential, overriding the classification:
     * `{ 401: { action: 'disable' }, 429: { cooldownMs: 30_000 }, quota_exceeded: { cooldownMs: 600_000 } }`.
     * Actions: `'cooldown'` (with `cooldownMs`, or the usual schedule), `'disable'`, `'ignore'`.
     */
    policies: z.optional(failureRulesSchema()),
    /**
     * Wall clock in epoch ms, for the timestamps of reports and events (`backoffUntil`, `lastFailureAt`, `at`, …).
     * Default `Date.now`. When only `now` is given it also measures durations (tests get exact values).
     */
    now: z.optional(functionSchema<() => number>()),
    /**
     * Monotonic clock in ms, for every duration (backoffs, cooldowns): a wall clock stepped back or forth never
     * changes one. Default `performance.now`, or `now` when only that is given.
     */
    monotonicNow: z.optional(functionSchema<() => number>()),
    /** Random source in [0, 1) for jitter and the `'random'` strategy. Default `Math.random`. */
    random: z.optional(functionSchema<() => number>()),
    /** Receives `credential-failure`, `credential-unhealthy`, `credential-recovered` (and more) events. A throwing listener is ignored. */
    onEvent: z.optional(functionSchema<KitEventListener>()),
  };
}

type HealthShape = ReturnType<typeof credentialHealthOptionsShape>;

/** The health options both credential pools take (see {@link credentialHealthOptionsShape} for each field). */
export type CredentialHealthOptions = z.infer<z.ZodMiniObject<HealthShape>>;

/** One per-status or per-code rule of the `policies` option. */
export type CredentialFailureRule = z.infer<ReturnType<typeof failureRuleSchema>>;

/** The two clocks of a pool: wall time for what is reported, monotonic time for durations. */
export interface CredentialClock {
  /** Epoch ms (reported timestamps). */
  wall(): number;
  /** Monotonic ms (durations); only differences between two readings mean anything. */
  monotonic(): number;
}

/** The resolved health policy of a pool (every default applied). */
export interface CredentialHealthPolicy {
  initialBackoffMs: number;
  maxBackoffMs: number;
  maxTransientBackoffMs: number;
  unhealthyAfter: number;
  quotaCooldownMs: number;
  jitter: number;
  /** Per-status / per-code rules (a null-prototype copy), or `undefined`. */
  rules: Readonly<Record<string, CredentialFailureRule>> | undefined;
  random: () => number;
  clock: CredentialClock;
}

const monotonicDefault = (): (() => number) => {
  const performance = (globalThis as { performance?: { now(): number } }).performance;
  return performance ? () => performance.now() : Date.now;
};

/**
 * Applies the defaults to validated health options. `what` names the pool in errors (`KeyManager(openai)`).
 * @throws KitError `invalid_config` when `maxBackoffMs` is below `initialBackoffMs`.
 */
export function resolveCredentialHealthPolicy(given: CredentialHealthOptions, what: string, provider: string): CredentialHealthPolicy {
  const initialBackoffMs = given.initialBackoffMs ?? 1_000;
  const maxBackoffMs = given.maxBackoffMs ?? Math.max(60_000, initialBackoffMs);
  if (maxBackoffMs < initialBackoffMs) {
    throw new KitError('invalid_config', `${what}: options.maxBackoffMs: must be at least options.initialBackoffMs`, { provider });
  }
  let rules: Record<string, CredentialFailureRule> | undefined;
  if (given.policies) {
    rules = Object.create(null) as Record<string, CredentialFailureRule>;
    for (const [key, rule] of Object.entries(given.policies)) rules[key] = { ...rule };
  }
  const { now, monotonicNow } = given;
  return {
    initialBackoffMs,
    maxBackoffMs,
    maxTransientBackoffMs: given.maxTransientBackoffMs ?? 5_000,
    unhealthyAfter: given.unhealthyAfter ?? 3,
    quotaCooldownMs: given.quotaCooldownMs ?? 3_600_000,
    jitter: given.jitter ?? 0,
    rules,
    random: given.random ?? Math.random,
    clock: { wall: now ?? Date.now, monotonic: monotonicNow ?? now ?? monotonicDefault() },
  };
}
