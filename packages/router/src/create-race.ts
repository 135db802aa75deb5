import type { Provider } from '@kit/core';
import { EntryPool } from './entry-pool';
import type { RouterEntry } from './router-entry';
import { resolveRouterSettings, type RaceOptions } from './router-options';
import { createRouterProvider } from './router-provider';
import { runRace } from './run-race';

/**
 * A race: each call starts every available entry (with `delayMs`, entry i starts `i × delayMs` later — hedging —
 * unless a winner exists by then or an earlier entry failed); the first to produce content wins, and every loser is
 * aborted at once, its connection closed. Losers' engines still report their attempts (an aborted one as `aborted`)
 * to their own metrics. An entry failing with an error another could fix emits `failover` and starts the next
 * waiting entry; an error that no entry could fix (`invalid_request`, …) ends the race. `timeoutMs` bounds the wait
 * for a winner.
 *
 * @param entries - providers, or `{ provider, model?, name? }`.
 * @param options - `timeoutMs`, `delayMs` and the options of {@link createFallback}.
 * @returns a `Provider`, so routers nest (a fallback of races, a race of fallbacks).
 * @throws KitError `invalid_config` naming the bad field.
 *
 * @example
 * ```ts
 * const fastest = createRace([createGroq(), createCerebras()], { delayMs: 200, timeoutMs: 10_000 });
 * ```
 */
export function createRace(entries: readonly RouterEntry[], options?: RaceOptions): Provider {
  const settings = resolveRouterSettings('race', entries, options);
  const { name, contextLengthFallback } = settings;
  const { delayMs = 0, timeoutMs } = settings.options;
  const pool = new EntryPool(name, settings.entries, settings.health, settings.onEvent);
  return createRouterProvider({
    name,
    type: 'race',
    pool,
    config: { delayMs, ...(timeoutMs === undefined ? {} : { timeoutMs }), contextLengthFallback },
    route: (callOptions) => runRace(pool, callOptions, { router: name, contextLengthFallback, delayMs, timeoutMs }),
  });
}
