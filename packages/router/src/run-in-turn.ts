import type { ChatStream, GenerateOptions, KitError } from '@kit/core';
import { abortedError } from '@kit/core/provider-utils';
import { callEntry, everyEntryFailed } from './call-entry';
import type { EntryPool, EntryState } from './entry-pool';
import { movesToNextEntry } from './moves-on';

/** Picks the next entry of a call among the available ones (not yet tried), or `undefined` when none is left. */
export type PickEntry = (available: EntryState[]) => EntryState | undefined;

/**
 * One call through entries in turn (fallback and load balancer): the picked entry is called; when it fails with an
 * error that moves on (see `movesToNextEntry`), a `failover` event is emitted and the next pick is called. No retry
 * loop of its own: each entry's engine retried already. When no available entry is left, a transiently cooling one
 * is tried (panic mode); when nothing at all could be tried, `credentials_exhausted`.
 */
export async function runInTurn(
  pool: EntryPool,
  router: string,
  options: GenerateOptions,
  contextLengthFallback: boolean,
  pick: PickEntry,
): Promise<ChatStream> {
  const { signal } = options;
  const tried = new Set<EntryState>();
  const failures: { entry: EntryState; error: KitError }[] = [];
  for (;;) {
    if (signal?.aborted) throw abortedError(router);
    const entry = pick(pool.available(tried)) ?? pool.panicEntry(tried);
    const previous = failures[failures.length - 1];
    if (previous) {
      pool.emit({ type: 'failover', from: previous.entry.name, ...(entry ? { to: entry.name } : {}), reason: previous.error.code, model: options.model });
    }
    if (!entry) break;
    tried.add(entry);
    const sequence = pool.handOut(entry);
    const startedAt = pool.now();
    try {
      const stream = await callEntry(entry, options, signal);
      pool.recordSuccess(entry, sequence, pool.now() - startedAt);
      return stream;
    } catch (thrown) {
      if (signal?.aborted) throw abortedError(router);
      const error = thrown as KitError;
      pool.recordFailure(entry, error, sequence);
      if (!movesToNextEntry(error, contextLengthFallback)) throw error;
      failures.push({ entry, error });
    }
  }
  if (failures.length === 0) throw pool.exhausted();
  throw everyEntryFailed(router, failures);
}
