import { describe, expect, it } from 'vitest';
import { formatMetricsTable } from './format-metrics-table';
import { MetricsCollector } from './metrics-collector';
import { events } from './test-events';

describe('formatMetricsTable', () => {
  const metrics = new MetricsCollector({ pricing: { openai: { 'gpt-4.1-mini': { inputPerMTok: 0.4, outputPerMTok: 1.6 } } } });
  const good = events({ model: 'gpt-4.1-mini', credentialId: 'key-good' });
  const revoked = events({ model: 'gpt-4.1-mini', credentialId: 'key-revoked' });
  metrics.record(revoked.start());
  metrics.record(revoked.error(3, { code: 'authentication', status: 401, message: 'bad key' }, true));
  metrics.record(revoked.unhealthy(3));
  metrics.record(good.start());
  metrics.record(good.firstToken(50));
  metrics.record(good.success(250, { inputTokens: 100_000, outputTokens: 2000, totalTokens: 102_000 }, { ttftMs: 50 }));
  // A call the caller aborted (not an error) and one that failed before any attempt (every key down).
  metrics.record(good.start());
  metrics.record(good.error(5, { code: 'aborted', message: 'aborted' }, false));
  metrics.record(good.callError({ code: 'aborted', message: 'aborted' }, 1));
  metrics.record(good.callError({ code: 'credentials_exhausted', message: 'every key is down' }, 0));
  const snapshot = metrics.snapshot();

  it('prints one aligned line per provider plus a total', () => {
    const lines = formatMetricsTable(snapshot).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^provider\s+requests\s+ok\s+errors\s+failed calls\s+success\s+p50\s+p95\s+ttft p50\s+tok\/s\s+tokens in\/out\s+cost\s+errors by code$/,
    );
    // 3 attempts (one aborted: no error), 1 failed call (the one before any attempt).
    expect(lines[1]).toMatch(/^openai\s+3\s+1\s+1\s+1\s+50\.0%\s+250ms\s+250ms\s+50ms\s+10000\s+100000\/2000\s+\$0\.04\s+authentication×1$/);
    expect(lines[2]).toMatch(/^total\s+3\s+1\s+1\s+1\s+50\.0%/);
  });

  it('prints credentials with their health', () => {
    const text = formatMetricsTable(snapshot, 'credential');
    expect(text).toMatch(/^credential\s+health\s+requests/);
    expect(text).toMatch(/\nopenai:key-revoked\s+UNHEALTHY\s+1\s+0\s+1\s+0\.0%\s+-\s+-\s+-\s+-\s+0\/0\s+\$0\s+authentication×1\n/);
    expect(text).toMatch(/\nopenai:key-good\s+healthy\s+2\s+1\s+0\s+100\.0%/);
    expect(text).not.toContain('failed calls');
    expect(text).not.toContain('aborted');
    expect(text).not.toMatch(/\ntotal/);
  });

  it('prints models, and marks a cost without a known price', () => {
    const unpriced = new MetricsCollector();
    unpriced.record(events({ model: 'mystery' }).success(10, { inputTokens: 5, outputTokens: 5 }));
    expect(formatMetricsTable(unpriced.snapshot(), 'model')).toMatch(/\nmystery\s+0\s+1\s+0\s+0\s+100\.0%.*\s+n\/a\s+-\n/);
  });
});
