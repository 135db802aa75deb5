import { KitError, type ChatStream, type GenerateOptions } from '@kit/core';
import { abortedError } from '@kit/core/provider-utils';
import { callEntry, everyEntryFailed } from './call-entry';
import type { EntryPool, EntryState } from './entry-pool';
import { movesToNextEntry } from './moves-on';

/** How a race runs (internal). */
export interface RaceSettings {
  router: string;
  contextLengthFallback: boolean;
  /** Entry i starts `i × delayMs` after the first (0: all at once). */
  delayMs: number;
  /** Overall wait for a winner, in ms. */
  timeoutMs: number | undefined;
}

/** One runner of a race: its entry, its own abort controller (its socket), and how it ended. */
interface Runner {
  entry: EntryState;
  controller: AbortController;
  started: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * One raced call. The available entries start (staggered by `delayMs`); the first whose `generateChatCompletion`
 * resolves — its first content event arrived — wins. Every other runner is aborted at once through its own
 * `AbortSignal` (core's engine closes its connection); one that resolves after the win has its stream aborted. A
 * runner failing with an error that moves on emits `failover` and starts the next waiting runner at once; an error
 * that does not move on (`invalid_request`, …) ends the race. Losers' engines report their own events (an aborted
 * attempt as `aborted`), so their usage and latency stay in their metrics.
 */
export function runRace(pool: EntryPool, options: GenerateOptions, settings: RaceSettings): Promise<ChatStream> {
  const { router, delayMs } = settings;
  const callerSignal = options.signal;
  if (callerSignal?.aborted) return Promise.reject(abortedError(router));
  const none = new Set<EntryState>();
  let entries = pool.available(none);
  if (entries.length === 0) {
    const panic = pool.panicEntry(none);
    if (!panic) return Promise.reject(pool.exhausted());
    entries = [panic];
  }

  return new Promise<ChatStream>((resolve, reject) => {
    let settled = false;
    let running = 0;
    let overallTimer: ReturnType<typeof setTimeout> | undefined;
    const failures: { entry: EntryState; error: KitError }[] = [];
    const runners: Runner[] = entries.map((entry) => ({ entry, controller: new AbortController(), started: false, timer: undefined }));

    const finish = (outcome: { stream: ChatStream } | { error: KitError }, winner?: Runner) => {
      if (settled) return;
      settled = true;
      clearTimeout(overallTimer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
      const reason = 'error' in outcome ? outcome.error : new KitError('aborted', `${router}: lost the race`, { provider: router });
      for (const runner of runners) {
        clearTimeout(runner.timer);
        if (runner !== winner && runner.started) runner.controller.abort(reason);
      }
      if ('stream' in outcome) resolve(outcome.stream);
      else reject(outcome.error);
    };

    const start = (runner: Runner) => {
      if (settled || runner.started) return;
      clearTimeout(runner.timer);
      runner.started = true;
      running++;
      const { entry } = runner;
      const sequence = pool.handOut(entry);
      const startedAt = pool.now();
      // The entry's engine links this signal to its stream for the stream's whole life (and unlinks it at the end), so
      // a caller's abort after the win still reaches the winner, and nothing is left on the caller's signal.
      const signal = callerSignal ? AbortSignal.any([runner.controller.signal, callerSignal]) : runner.controller.signal;
      callEntry(entry, options, signal).then(
        (stream) => {
          running--;
          pool.recordSuccess(entry, sequence, pool.now() - startedAt);
          if (settled) stream.abort();
          else finish({ stream }, runner);
        },
        (error: KitError) => {
          running--;
          // A runner aborted by the race (a loser) or by the caller is nobody's failure.
          if (settled || runner.controller.signal.aborted) return;
          pool.recordFailure(entry, error, sequence);
          if (!movesToNextEntry(error, settings.contextLengthFallback)) {
            finish({ error });
            return;
          }
          failures.push({ entry, error });
          const next = runners.find((candidate) => !candidate.started);
          pool.emit({ type: 'failover', from: entry.name, ...(next ? { to: next.entry.name } : {}), reason: error.code, model: options.model });
          if (next) start(next);
          else if (running === 0) finish({ error: everyEntryFailed(router, failures) });
        },
      );
    };

    const onCallerAbort = () => finish({ error: abortedError(router) });
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    if (settings.timeoutMs !== undefined) {
      overallTimer = setTimeout(
        () => finish({ error: new KitError('timeout', `${router}: no entry produced content within ${settings.timeoutMs} ms`, { provider: router }) }),
        settings.timeoutMs,
      );
    }

    runners.forEach((runner, index) => {
      if (index === 0 || delayMs === 0) start(runner);
      else runner.timer = setTimeout(() => start(runner), index * delayMs);
    });
  });
}
