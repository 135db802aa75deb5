import { describe, expect, it } from 'vitest';
import { adaptiveRefreshBufferMs, resolveRefreshStrategy, type RefreshStats } from './refresh-strategy';

const MINUTE = 60_000;
const quiet: RefreshStats = { credentialId: 'a', averageRefreshLatencyMs: 0, refreshFailureRate: 0, requestsPerMinute: 0, refreshCount: 0 };

describe('refresh strategies', () => {
  it('default is 5 min and conservative 15 min, whatever the stats', () => {
    const busy = { ...quiet, averageRefreshLatencyMs: 10_000, requestsPerMinute: 500, refreshFailureRate: 1 };
    expect(resolveRefreshStrategy('default').bufferMs(busy)).toBe(5 * MINUTE);
    expect(resolveRefreshStrategy('conservative').bufferMs(quiet)).toBe(15 * MINUTE);
  });

  it('adaptive starts at 1 min for a quiet credential with fast refreshes', () => {
    expect(resolveRefreshStrategy('adaptive').bufferMs(quiet)).toBe(MINUTE);
  });

  it('adaptive grows with refresh latency, traffic and failure rate', () => {
    const base = adaptiveRefreshBufferMs(quiet);
    const slow = adaptiveRefreshBufferMs({ ...quiet, averageRefreshLatencyMs: 2_000 });
    const busy = adaptiveRefreshBufferMs({ ...quiet, requestsPerMinute: 30 });
    const flaky = adaptiveRefreshBufferMs({ ...quiet, refreshFailureRate: 0.5 });
    expect(slow).toBe(2 * MINUTE);
    expect(busy).toBe(MINUTE + 150_000);
    expect(flaky).toBe(2 * MINUTE);
    for (const grown of [slow, busy, flaky]) expect(grown).toBeGreaterThan(base);
  });

  it('adaptive is clamped to 15 min', () => {
    expect(adaptiveRefreshBufferMs({ ...quiet, averageRefreshLatencyMs: 60_000, requestsPerMinute: 10_000, refreshFailureRate: 1 })).toBe(15 * MINUTE);
  });

  it('a strategy object is used as it is', () => {
    const custom = { bufferMs: () => 42 };
    expect(resolveRefreshStrategy(custom)).toBe(custom);
  });
});
