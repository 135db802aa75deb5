import type { Provider } from '@kit/core';
import { EntryPool } from './entry-pool';
import type { RouterEntry } from './router-entry';
import { resolveRouterSettings, type LoadBalancerOptions } from './router-options';
import { createRouterProvider } from './router-provider';
import { runInTurn } from './run-in-turn';
import { selectEntry, type RoundRobinCursor } from './select-entry';

/**
 * A load balancer: each call goes to one available entry picked by `strategy` — `'round-robin'` (default),
 * `'weighted'` (by each entry's `weight`), `'random'` or `'least-latency'` (the entry whose recent calls reached their
 * first content soonest). When the entry fails with an error another entry could fix, the call fails over to the next
 * pick among the entries not tried yet (stream-safe, `failover` events, health and cooldowns as `createFallback`).
 *
 * @param entries - providers, or `{ provider, model?, weight?, name? }`.
 * @param options - `strategy` and the options of {@link createFallback}; a seeded `random` makes `'random'` and
 *   `'weighted'` reproducible.
 * @returns a `Provider`, so routers nest.
 * @throws KitError `invalid_config` naming the bad field.
 *
 * @example
 * ```ts
 * const chat = createLoadBalancer([{ provider: groq, weight: 3 }, { provider: cerebras, weight: 1 }], { strategy: 'weighted' });
 * ```
 */
export function createLoadBalancer(entries: readonly RouterEntry[], options?: LoadBalancerOptions): Provider {
  const settings = resolveRouterSettings('load-balancer', entries, options);
  const { name, contextLengthFallback } = settings;
  const strategy = settings.options.strategy ?? 'round-robin';
  const pool = new EntryPool(name, settings.entries, settings.health, settings.onEvent);
  const cursor: RoundRobinCursor = { next: 0 };
  const count = pool.entries.length;
  const random = () => pool.random();
  return createRouterProvider({
    name,
    type: 'load-balancer',
    pool,
    config: { strategy, contextLengthFallback },
    route: (callOptions) => runInTurn(pool, name, callOptions, contextLengthFallback, (available) => selectEntry(available, strategy, cursor, count, random)),
  });
}
