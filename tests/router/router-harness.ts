import { KitError, type KitEvent, type Provider } from '@kit/core';
import { createOpenAI } from '@kit/openai';
import type { MockUpstream } from '@kit/testkit';
import { eventLog, fakeKeys } from '../engine/helpers';

/** An OpenAI provider named `name` on a mock upstream, with its own event log. */
export function providerOn(upstream: MockUpstream, name: string, options: { maxRetries?: number; key?: string } = {}) {
  const log = eventLog();
  const provider: Provider = createOpenAI({
    name,
    apiKey: options.key ?? (fakeKeys[0] as string),
    baseURL: upstream.url,
    maxRetries: options.maxRetries ?? 0,
    onEvent: log.onEvent,
  });
  return { provider, log };
}

/** Failover events as `from→to:reason`. */
export function failovers(events: readonly KitEvent[]): string[] {
  return events.flatMap((event) => (event.type === 'failover' ? [`${event.from}→${event.to ?? '∅'}:${event.reason}`] : []));
}

/** A seeded random source in [0, 1) (mulberry32): reproducible distributions. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Real milliseconds until none of `upstreams` has an open client connection (polled on the event loop, never past
 * `budgetMs`): how long after a race's win its losers' sockets were closed, as the servers see it.
 */
export async function msUntilClosed(upstreams: readonly MockUpstream[], budgetMs: number): Promise<number> {
  const started = performance.now();
  while (upstreams.some((upstream) => upstream.openConnections() > 0) && performance.now() - started <= budgetMs) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return performance.now() - started;
}

/** The `KitError` a promise rejects with (a fulfilled promise or another error fails the test). */
export async function rejectionOf(promise: Promise<unknown>): Promise<KitError> {
  try {
    await promise;
  } catch (error) {
    if (KitError.is(error)) return error;
    throw error;
  }
  throw new Error('expected the promise to reject with a KitError');
}
