import { describe, expect, it } from 'vitest';
import { createKeyState, type KeyState } from './key-state';
import { selectKey, type SelectionCursor } from './select-key';

const NOW = 10_000;
const keys = (...weights: number[]): KeyState[] =>
  weights.map((weight, index) => createKeyState({ id: `key-${index + 1}`, secret: `test-key-${index + 1}`, weight }));
const ids = (picked: (KeyState | undefined)[]) => picked.map((state) => state?.id);
const pick = (states: KeyState[], strategy: 'round-robin' | 'weighted' | 'random', cursor: SelectionCursor, count: number, excluded?: Set<string>) =>
  ids(Array.from({ length: count }, () => selectKey(states, strategy, cursor, NOW, () => 0.5, excluded)));

describe('selectKey', () => {
  it('returns undefined for an empty pool or when every key sleeps or is disabled', () => {
    expect(selectKey([], 'round-robin', { next: 0 }, NOW, Math.random)).toBeUndefined();
    const states = keys(1, 1);
    for (const state of states) state.health.penaltyUntil = NOW + 1;
    for (const strategy of ['round-robin', 'weighted', 'random'] as const) {
      expect(selectKey(states, strategy, { next: 0 }, NOW, Math.random)).toBeUndefined();
    }
    const disabled = keys(1);
    (disabled[0] as KeyState).health.disabled = true;
    expect(selectKey(disabled, 'round-robin', { next: 0 }, NOW, Math.random)).toBeUndefined();
  });

  it('round-robin advances the cursor past the picked key and wraps', () => {
    const states = keys(1, 1, 1);
    const cursor = { next: 0 };
    expect(pick(states, 'round-robin', cursor, 4)).toEqual(['key-1', 'key-2', 'key-3', 'key-1']);
    expect(cursor.next).toBe(1);
  });

  it('treats a cursor past the end as the start', () => {
    expect(pick(keys(1, 1), 'round-robin', { next: 7 }, 1)).toEqual(['key-1']);
  });

  it('skips excluded ids and rate-limited keys', () => {
    const states = keys(1, 1, 1);
    (states[1] as KeyState).health.skipUntil(NOW + 5);
    expect(pick(states, 'round-robin', { next: 0 }, 2, new Set(['key-1']))).toEqual(['key-3', 'key-3']);
    expect(pick(states, 'weighted', { next: 0 }, 2, new Set(['key-3']))).toEqual(['key-1', 'key-1']);
    expect(pick(states, 'random', { next: 0 }, 2, new Set(['key-3']))).toEqual(['key-1', 'key-1']);
  });

  it('prefers healthy keys over an unhealthy key with an outstanding probe, in every strategy', () => {
    for (const strategy of ['round-robin', 'weighted', 'random'] as const) {
      const states = keys(1, 1);
      const probing = states[0] as KeyState;
      probing.health.healthy = false;
      probing.health.probeUntil = NOW + 1000;
      expect(pick(states, strategy, { next: 0 }, 3)).toEqual(['key-2', 'key-2', 'key-2']);
      (states[1] as KeyState).health.transientCooldownUntil = NOW + 1;
      expect(pick(states, strategy, { next: 0 }, 2)).toEqual(['key-1', 'key-1']);
    }
  });

  it('weighted spreads picks smoothly', () => {
    expect(pick(keys(2, 1), 'weighted', { next: 0 }, 6)).toEqual(['key-1', 'key-2', 'key-1', 'key-1', 'key-2', 'key-1']);
  });

  it('random maps the random source onto the available keys', () => {
    const states = keys(1, 1, 1, 1);
    (states[0] as KeyState).health.penaltyUntil = NOW + 1;
    const at = (value: number) => selectKey(states, 'random', { next: 0 }, NOW, () => value)?.id;
    expect([at(0), at(0.34), at(0.67), at(0.999999), at(1), at(Number.NaN)]).toEqual(['key-2', 'key-3', 'key-4', 'key-4', 'key-4', 'key-2']);
  });
});
