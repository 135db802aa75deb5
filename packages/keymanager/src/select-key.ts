import type { KeySelectionStrategy } from './key-manager-options';
import { availableAt, type KeyState } from './key-state';

/** Round-robin position shared across calls (internal). */
export interface SelectionCursor {
  /** Index of the first key the next round-robin pick looks at. */
  next: number;
}

// Preferred tier: available and healthy, or unhealthy without an outstanding probe.
// Fallback tier: available unhealthy keys whose probe is still outstanding.
const TIER_NONE = 0;
const TIER_FALLBACK = 1;
const TIER_PREFERRED = 2;

function tierOf(state: KeyState, now: number, excluded: ReadonlySet<string> | undefined): number {
  if (availableAt(state) > now) return TIER_NONE;
  if (excluded !== undefined && excluded.has(state.id)) return TIER_NONE;
  return state.healthy || state.probeUntil <= now ? TIER_PREFERRED : TIER_FALLBACK;
}

/**
 * Picks the next key, or `undefined` when none is available. Keys in backoff (or rate-limited) and
 * `excluded` ids are skipped; keys of the preferred tier are chosen before the fallback tier.
 * O(keys), allocation-free.
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
  if (count === 0) return undefined;

  if (strategy === 'round-robin') {
    const start = cursor.next < count ? cursor.next : 0;
    let fallback = -1;
    for (let offset = 0; offset < count; offset++) {
      let index = start + offset;
      if (index >= count) index -= count;
      const tier = tierOf(keys[index] as KeyState, now, excluded);
      if (tier === TIER_PREFERRED) {
        cursor.next = index + 1;
        return keys[index];
      }
      if (tier === TIER_FALLBACK && fallback < 0) fallback = index;
    }
    if (fallback < 0) return undefined;
    cursor.next = fallback + 1;
    return keys[fallback];
  }

  let preferred = 0;
  let fallbacks = 0;
  for (let index = 0; index < count; index++) {
    const tier = tierOf(keys[index] as KeyState, now, excluded);
    if (tier === TIER_PREFERRED) preferred++;
    else if (tier === TIER_FALLBACK) fallbacks++;
  }
  const tier = preferred > 0 ? TIER_PREFERRED : fallbacks > 0 ? TIER_FALLBACK : TIER_NONE;
  if (tier === TIER_NONE) return undefined;

  if (strategy === 'weighted') {
    // Smooth weighted round-robin (as in nginx): deterministic, exact shares over every cycle.
    let total = 0;
    let best: KeyState | undefined;
    for (let index = 0; index < count; index++) {
      const state = keys[index] as KeyState;
      if (tierOf(state, now, excluded) !== tier) continue;
      state.currentWeight += state.weight;
      total += state.weight;
      if (best === undefined || state.currentWeight > best.currentWeight) best = state;
    }
    if (best !== undefined) best.currentWeight -= total;
    return best;
  }

  // random
  const size = tier === TIER_PREFERRED ? preferred : fallbacks;
  let target = Math.floor(random() * size);
  if (!(target >= 0)) target = 0;
  if (target >= size) target = size - 1;
  for (let index = 0; index < count; index++) {
    const state = keys[index] as KeyState;
    if (tierOf(state, now, excluded) !== tier) continue;
    if (target === 0) return state;
    target--;
  }
  return undefined;
}
