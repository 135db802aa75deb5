import type { EntryState } from './entry-pool';
import type { LoadBalancingStrategy } from './router-options';

/** Round-robin position shared by the calls of one load balancer (internal). */
export interface RoundRobinCursor {
  /** List position of the entry the next round-robin pick looks at first. */
  next: number;
}

/**
 * Picks an entry of `available` (a subset of the router's entries, in list order) by `strategy`, or `undefined` when
 * it is empty:
 * - `'round-robin'`: the first available entry at or after the cursor (in list order, wrapping), which moves past it;
 * - `'weighted'`: at random, in proportion to `weight`;
 * - `'random'`: uniformly at random;
 * - `'least-latency'`: an entry not measured yet (in list order), else the one with the lowest smoothed latency.
 */
export function selectEntry(
  available: readonly EntryState[],
  strategy: LoadBalancingStrategy,
  cursor: RoundRobinCursor,
  entryCount: number,
  random: () => number,
): EntryState | undefined {
  if (available.length === 0) return undefined;
  switch (strategy) {
    case 'round-robin': {
      const start = cursor.next % entryCount;
      let chosen = available[0] as EntryState;
      for (const entry of available) {
        if (entry.index >= start) {
          chosen = entry;
          break;
        }
      }
      cursor.next = chosen.index + 1;
      return chosen;
    }
    case 'random':
      return available[Math.min(Math.floor(random() * available.length), available.length - 1)];
    case 'weighted': {
      let total = 0;
      for (const entry of available) total += entry.weight;
      let target = random() * total;
      for (const entry of available) {
        target -= entry.weight;
        if (target < 0) return entry;
      }
      return available[available.length - 1];
    }
    case 'least-latency': {
      let best: EntryState | undefined;
      for (const entry of available) {
        if (entry.latencyMs === undefined) return entry;
        if (!best || entry.latencyMs < (best.latencyMs as number)) best = entry;
      }
      return best;
    }
  }
}
