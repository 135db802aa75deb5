import { describe, expect, it } from 'vitest';
import { MetricsCollector } from './metrics-collector';
import { defaultPricing } from './pricing/index';
import { events } from './test-events';

// The collector is a runtime package: it must work on edge workers (no Node built-ins).
describe('MetricsCollector on an edge runtime', () => {
  it('records, snapshots, exports Prometheus text and delivers to subscribers', async () => {
    expect(typeof (globalThis as { process?: unknown }).process === 'undefined' || typeof EdgeRuntime !== 'undefined').toBe(true);
    const metrics = new MetricsCollector({ pricing: defaultPricing });
    const received: string[] = [];
    metrics.subscribe((event) => void received.push(event.type));
    const e = events({ model: 'gpt-4.1-mini', credentialId: 'key-1' });
    metrics.record(e.start());
    metrics.record(e.firstToken(20));
    metrics.record(e.success(100, { inputTokens: 1_000_000, outputTokens: 0, totalTokens: 1_000_000 }, { ttftMs: 20 }));
    const snapshot = metrics.snapshot();
    expect(snapshot.byCredential['openai:key-1']).toMatchObject({ requests: 1, successes: 1, cost: { total: 0.4 } });
    expect(metrics.toPrometheus()).toContain('kit_requests_total{provider="openai",model="gpt-4.1-mini",credential="key-1"} 1\n');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(received).toEqual(['request-start', 'stream-first-token', 'request-success']);
  });
});

declare const EdgeRuntime: string | undefined;
