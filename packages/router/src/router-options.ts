import type { KitEventListener } from '@kit/core';
import {
  credentialHealthOptionsShape,
  type CredentialHealthPolicy,
  durationMsSchema,
  nonEmptyStringSchema,
  parseOrThrow,
  resolveCredentialHealthPolicy,
} from '@kit/core/provider-utils';
import * as z from 'zod/mini';
import { resolveEntries, routerEntriesSchema, type ResolvedEntry } from './router-entry';

/** What every router takes: a name, what moves on, and the entry health options of `@kit/core`'s credential pools. */
function commonShape() {
  return {
    /** The router's name: `provider` of its events and of its errors. Default `'fallback'`, `'load-balancer'` or `'race'`. */
    name: z.optional(nonEmptyStringSchema()),
    /**
     * Let `context_length` errors move on to the next entry (one with a larger window, say). Default `false`: a prompt
     * too long for one model is usually too long for the others, so the error goes to the caller at once.
     */
    contextLengthFallback: z.optional(z.boolean()),
    /**
     * Health of the entries, as `KeyManager` keeps it for keys: `initialBackoffMs` (1 000), `maxBackoffMs` (60 000),
     * `maxTransientBackoffMs` (5 000), `unhealthyAfter` (3), `quotaCooldownMs` (1 h), `jitter`, per-status / per-code
     * `policies`, the clocks `now` / `monotonicNow`, `random`, and `onEvent` (receives the router's `failover` events).
     */
    ...credentialHealthOptionsShape(),
  };
}

/** Options of `createFallback`. */
function fallbackOptionsSchema() {
  return z.strictObject(commonShape());
}

/** The load-balancing strategies. */
const strategies = ['round-robin', 'weighted', 'random', 'least-latency'] as const;

/** Options of `createLoadBalancer`. */
function loadBalancerOptionsSchema() {
  return z.strictObject({
    /**
     * How the entry of a call is picked among the available ones:
     * - `'round-robin'` (default) — in list order, one call each;
     * - `'weighted'` — at random, in proportion to each entry's `weight`;
     * - `'random'` — uniformly at random;
     * - `'least-latency'` — the entry whose recent calls reached their first content soonest (entries not yet measured first).
     */
    strategy: z.optional(z.enum(strategies)),
    ...commonShape(),
  });
}

/** Options of `createRace`. */
function raceOptionsSchema() {
  return z.strictObject({
    /** How long to wait for the first content of any entry, in ms; then every entry is aborted and the call fails with `timeout`. Default: no limit of the race's own (each entry's engine has its timeouts). */
    timeoutMs: z.optional(durationMsSchema()),
    /** Hedging: entry i starts `i × delayMs` after the first, unless a winner exists by then or an earlier entry failed. Default 0: all at once. */
    delayMs: z.optional(durationMsSchema(0)),
    ...commonShape(),
  });
}

/** Options of `createFallback(entries, options)`; every field is optional. */
export type FallbackOptions = z.infer<ReturnType<typeof fallbackOptionsSchema>>;
/** Options of `createLoadBalancer(entries, options)`; every field is optional. */
export type LoadBalancerOptions = z.infer<ReturnType<typeof loadBalancerOptionsSchema>>;
/** Options of `createRace(entries, options)`; every field is optional. */
export type RaceOptions = z.infer<ReturnType<typeof raceOptionsSchema>>;
/** How `createLoadBalancer` picks an entry. */
export type LoadBalancingStrategy = (typeof strategies)[number];

/** What every router resolves its settings to (internal). */
export interface ResolvedRouterSettings {
  name: string;
  entries: ResolvedEntry[];
  contextLengthFallback: boolean;
  health: CredentialHealthPolicy;
  onEvent: KitEventListener | undefined;
}

type RouterKind = 'fallback' | 'load-balancer' | 'race';

const schemas = { fallback: fallbackOptionsSchema, 'load-balancer': loadBalancerOptionsSchema, race: raceOptionsSchema };

/**
 * Validates the entries and options of a router (every problem names its field: `entries[1].model`,
 * `options.strategy`) and applies the defaults.
 * @throws KitError `invalid_config`.
 */
export function resolveRouterSettings<K extends RouterKind>(
  kind: K,
  entries: unknown,
  options: unknown,
): ResolvedRouterSettings & { options: z.infer<ReturnType<(typeof schemas)[K]>> } {
  const given = parseOrThrow(schemas[kind](), options === undefined ? {} : options, 'invalid_config', {
    what: `invalid ${kind} options`,
    provider: kind,
    prefix: 'options',
  }) as z.infer<ReturnType<(typeof schemas)[K]>>;
  const name = given.name ?? kind;
  const list = parseOrThrow(routerEntriesSchema(), entries, 'invalid_config', { what: `invalid ${kind} entries`, provider: name, prefix: 'entries' });
  return {
    name,
    entries: resolveEntries(list),
    contextLengthFallback: given.contextLengthFallback ?? false,
    health: resolveCredentialHealthPolicy(given, `${kind}(${name})`, name),
    onEvent: given.onEvent,
    options: given,
  };
}
