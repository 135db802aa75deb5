import type { Provider } from '@kit/core';
import { EntryPool } from './entry-pool';
import type { RouterEntry } from './router-entry';
import { resolveRouterSettings, type FallbackOptions } from './router-options';
import { createRouterProvider } from './router-provider';
import { runInTurn } from './run-in-turn';

/**
 * A fallback chain: each call goes to the first available entry; when that entry fails with an error another entry
 * could fix (a credential fault, a transient fault after the entry's own retries, `credentials_exhausted`,
 * `not_found`, and `context_length` with `contextLengthFallback`), the call moves to the next entry and a `failover`
 * event is emitted. Stream-safe: a stream moves on only before its first content event; after it the caller gets the
 * error and keeps the partial text. Entries that keep failing cool down and are skipped meanwhile (the health model
 * of `KeyManager`'s keys).
 *
 * @param entries - providers (another router too), or `{ provider, model?, name? }` for a per-entry model.
 * @param options - see {@link FallbackOptions}.
 * @returns a `Provider`, so routers nest.
 * @throws KitError `invalid_config` naming the bad field (`entries[1].model`, `options.unhealthyAfter`).
 *
 * @example
 * ```ts
 * const chat = createFallback([createOpenAI(), { provider: createAnthropic(), model: 'claude-sonnet-4-5' }]);
 * const stream = await chat.generateChatCompletion({ prompt: 'Hello' });
 * ```
 */
export function createFallback(entries: readonly RouterEntry[], options?: FallbackOptions): Provider {
  const settings = resolveRouterSettings('fallback', entries, options);
  const { name, contextLengthFallback } = settings;
  const pool = new EntryPool(name, settings.entries, settings.health, settings.onEvent);
  return createRouterProvider({
    name,
    type: 'fallback',
    pool,
    config: { contextLengthFallback },
    route: (callOptions) => runInTurn(pool, name, callOptions, contextLengthFallback, (available) => available[0]),
  });
}
