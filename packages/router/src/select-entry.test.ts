import { CredentialHealthRecord } from '@kit/core/provider-utils';
import { describe, expect, it } from 'vitest';
import type { EntryState } from './entry-pool';
import { selectEntry } from './select-entry';

function entries(count: number, weights: number[] = []): EntryState[] {
  return Array.from({ length: count }, (_, index) => ({
    name: `e${index}`,
    provider: {} as EntryState['provider'],
    model: undefined,
    weight: weights[index] ?? 1,
    index,
    health: new CredentialHealthRecord(),
    latencyMs: undefined,
  }));
}

describe('selectEntry', () => {
  it('round-robin goes through the list in order and skips what is not available', () => {
    const all = entries(3);
    const cursor = { next: 0 };
    const picks = Array.from({ length: 4 }, () => selectEntry(all, 'round-robin', cursor, 3, Math.random)?.name);
    expect(picks).toEqual(['e0', 'e1', 'e2', 'e0']);
    // e2 is not available: after e1 comes e0.
    const withoutLast = all.slice(0, 2);
    expect(selectEntry(withoutLast, 'round-robin', { next: 2 }, 3, Math.random)?.name).toBe('e0');
  });

  it('random and weighted follow the random source', () => {
    const all = entries(3, [1, 2, 1]);
    expect(selectEntry(all, 'random', { next: 0 }, 3, () => 0.99)?.name).toBe('e2');
    expect(selectEntry(all, 'random', { next: 0 }, 3, () => 0)?.name).toBe('e0');
    // Weights 1, 2, 1 over [0, 4): 0.3 × 4 = 1.2 lands in e1's share [1, 3).
    expect(selectEntry(all, 'weighted', { next: 0 }, 3, () => 0.3)?.name).toBe('e1');
    expect(selectEntry(all, 'weighted', { next: 0 }, 3, () => 0.8)?.name).toBe('e2');
  });

  it('least-latency tries unmeasured entries first, then the fastest', () => {
    const all = entries(3);
    (all[0] as EntryState).latencyMs = 50;
    expect(selectEntry(all, 'least-latency', { next: 0 }, 3, Math.random)?.name).toBe('e1');
    (all[1] as EntryState).latencyMs = 20;
    (all[2] as EntryState).latencyMs = 90;
    expect(selectEntry(all, 'least-latency', { next: 0 }, 3, Math.random)?.name).toBe('e1');
  });

  it('nothing available: undefined', () => {
    expect(selectEntry([], 'round-robin', { next: 0 }, 3, Math.random)).toBeUndefined();
  });
});
