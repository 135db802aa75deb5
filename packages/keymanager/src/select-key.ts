import type { KeySelectionStrategy } from './key-manager-options';
import type { KeyState } from './key-state';

/** Round-robin position shared across calls (internal). */
export interface SelectionCursor {
  /** Index of the first key the next round-robin pick looks at. */
  next: number;
}

/** 0: not available; 1: unhealthy with a probe outstanding; 2: preferred. */
type Tier = 0 | 1 | 2;

function tierOf(state: KeyState, now: number, excluded: ReadonlySet<string> | undefined): Tier {
  const { health } = state;
  if (health.availableAt() > now || excluded?.has(state.id)) return 0;
  return health.healthy || health.probeUntil <= now ? 2 : 1;
}

/**
 * Picks the next key, or `undefined` when none is available. Keys in a cooldown, rate-limited or disabled and
 * `excluded` ids are skipped; available keys that are healthy, or unhealthy without an outstanding probe, are chosen
 * before unhealthy keys whose probe is still outstanding. O(keys), two passes.
 */
export function selectKey(
  keys: readonly KeyState[],
  strategy: KeySelectionStrategy,
  cursor: SelectionCursor,
  now: number,
  random: () => number,
  excluded?: ReadonlySet<string>,
): KeyState | undefined {
  const count = keys.length;
  let tier: Tier = 0;
  let size = 0;
  for (const state of keys) {
    const own = tierOf(state, now, excluded);
    if (own > tier) {
      tier = own;
      size = 0;
    }
    if (own === tier) size++;
  }
  if (tier === 0) return undefined;

  // Among the keys of the best tier, from the cursor on: round-robin takes the first, random the target-th,
  // weighted the one that is furthest behind its share (smooth weighted round-robin, as in nginx: deterministic,
  // exact shares over every cycle). Only round-robin and random move the cursor, so weighted always starts at 0.
  const start = cursor.next < count ? cursor.next : 0;
  let target = strategy === 'random' ? Math.min(Math.floor(random() * size) || 0, size - 1) : 0;
  let total = 0;
  let best: KeyState | undefined;
  for (let offset = 0; offset < count; offset++) {
    const index = (start + offset) % count;
    const state = keys[index] as KeyState;
    if (tierOf(state, now, excluded) !== tier) continue;
    if (strategy === 'weighted') {
      state.currentWeight += state.weight;
      total += state.weight;
      if (!best || state.currentWeight > best.currentWeight) best = state;
      continue;
    }
    if (target === 0) {
      cursor.next = index + 1;
      return state;
    }
    target--;
  }
  if (best) best.currentWeight -= total;
  return best;
}
