import { describe, expect, it } from 'vitest';
import { DurationStats, nearestRank, percentiles } from './duration-stats';

/** Reference: nearest-rank percentile written the textbook way, over a plain sorted copy of the last `window` values. */
function referencePercentile(values: number[], window: number, percent: number): number {
  const recent = values.slice(-window).sort((a, b) => a - b);
  const rank = Math.ceil((percent / 100) * recent.length);
  return recent[Math.max(1, rank) - 1] as number;
}

/** Deterministic pseudo-random latencies (mulberry32), heavy-tailed like real ones. */
function latencies(count: number, seed: number): number[] {
  const values: number[] = [];
  let state = seed;
  for (let index = 0; index < count; index++) {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    const uniform = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    values.push(Math.round(50 + 20 * Math.log(1 - uniform) ** 2 * 10) / 10);
  }
  return values;
}

describe('DurationStats percentiles', () => {
  it.each([
    [1, 1024],
    [7, 1024],
    [1000, 1024],
    [5000, 1024],
    [5000, 100],
    [333, 10],
  ])('match the reference computation for %i values and a window of %i', (count, window) => {
    const values = latencies(count, count + window);
    const stats = new DurationStats(window);
    for (const value of values) stats.observe(value);
    const summary = stats.summary();
    expect(summary.p50).toBe(referencePercentile(values, window, 50));
    expect(summary.p75).toBe(referencePercentile(values, window, 75));
    expect(summary.p90).toBe(referencePercentile(values, window, 90));
    expect(summary.p95).toBe(referencePercentile(values, window, 95));
    expect(summary.p99).toBe(referencePercentile(values, window, 99));
    // count, avg, min and max are over every value, not only the window.
    expect(summary.count).toBe(count);
    expect(summary.min).toBe(Math.min(...values));
    expect(summary.max).toBe(Math.max(...values));
    expect(summary.avg).toBeCloseTo(values.reduce((sum, value) => sum + value, 0) / count, 9);
  });

  it('gives exact known percentiles for 1..100', () => {
    const stats = new DurationStats(100);
    for (let value = 100; value >= 1; value--) stats.observe(value);
    expect(stats.summary()).toEqual({ count: 100, avg: 50.5, min: 1, max: 100, p50: 50, p75: 75, p90: 90, p95: 95, p99: 99 });
  });

  it('is all zeros before any value', () => {
    expect(new DurationStats(8).summary()).toEqual({ count: 0, avg: 0, min: 0, max: 0, p50: 0, p75: 0, p90: 0, p95: 0, p99: 0 });
    expect(nearestRank([], 0.5)).toBeNaN();
  });

  it('counts fixed histogram buckets cumulatively, values equal to a bound falling in that bucket', () => {
    const stats = new DurationStats(0, Float64Array.from([10, 100, 1000]));
    for (const value of [1, 10, 11, 100, 5000, 999]) stats.observe(value);
    expect(stats.cumulativeBuckets()).toEqual([2, 4, 5, 6]);
    expect(stats.count).toBe(6);
    expect(stats.sum).toBe(6121);
    expect(new DurationStats(4).cumulativeBuckets()).toEqual([]);
  });
});

describe('percentiles (quickselect)', () => {
  const fractions = [0, 0.01, 0.5, 0.75, 0.9, 0.95, 0.99, 1];
  const reference = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return fractions.map((fraction) => nearestRank(sorted, fraction));
  };

  it.each([
    ['all equal', Array.from({ length: 500 }, () => 42)],
    ['two values', Array.from({ length: 777 }, (_, index) => (index % 3 === 0 ? 1 : 2))],
    ['ascending', Array.from({ length: 1024 }, (_, index) => index)],
    ['descending', Array.from({ length: 1024 }, (_, index) => 1024 - index)],
    ['one value', [5]],
    ['two values only', [9, 3]],
    ['sawtooth with zeros', Array.from({ length: 1000 }, (_, index) => (index * 7919) % 13)],
  ])('match a sort for %s', (_name, values) => {
    expect(percentiles(Float64Array.from(values), fractions)).toEqual(reference(values));
  });

  it('match a sort for random windows of every size up to 300', () => {
    let state = 7;
    const random = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 2 ** 32;
    };
    for (let size = 1; size <= 300; size++) {
      const values = Array.from({ length: size }, () => Math.floor(random() * 50));
      expect(percentiles(Float64Array.from(values), fractions), `size ${size}`).toEqual(reference(values));
    }
  });
});
