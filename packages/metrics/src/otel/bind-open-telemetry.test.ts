import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type MetricData } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { MetricsCollector } from '../metrics-collector';
import { events } from '../test-events';
import { bindOpenTelemetry, GEN_AI_DURATION_BUCKETS_SECONDS } from './bind-open-telemetry';

const pricing = { openai: { 'gpt-4.1-mini': { inputPerMTok: 0.4, outputPerMTok: 1.6 } } };

interface Harness {
  provider: MeterProvider;
  collect(): Promise<MetricData[]>;
}

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.provider.shutdown();
  harness = undefined;
});

function createHarness(): Harness {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ readers: [reader] });
  return {
    provider,
    async collect() {
      await reader.forceFlush();
      const exported = exporter.getMetrics();
      const latest = exported[exported.length - 1];
      exporter.reset();
      return latest?.scopeMetrics.flatMap((scope) => scope.metrics) ?? [];
    },
  };
}

function metric(all: MetricData[], name: string): MetricData {
  const found = all.find((entry) => entry.descriptor.name === name);
  if (!found) throw new Error(`no metric ${name} in ${all.map((entry) => entry.descriptor.name).join(', ')}`);
  return found;
}

const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function scripted(collector: MetricsCollector): void {
  const good = events({ model: 'gpt-4.1-mini', credentialId: 'key-good' });
  const revoked = events({ model: 'gpt-4.1-mini', credentialId: 'key-revoked' });
  collector.record(revoked.start());
  collector.record(revoked.error(20, { code: 'authentication', status: 401, message: 'bad key' }, true));
  collector.record(revoked.unhealthy(3));
  collector.record(good.failover('key-revoked', 'key-good', 'authentication'));
  collector.record(good.start());
  collector.record(good.firstToken(150));
  collector.record(good.success(1500, { inputTokens: 1_000_000, outputTokens: 500_000, totalTokens: 1_500_000 }, { ttftMs: 150 }));
  collector.record(good.refresh(true));
  collector.record(good.refresh(false));
  // A call aborted by the caller (no error, no duration), then one that fails before any attempt.
  collector.record(good.start());
  collector.record(good.error(900, { code: 'aborted', message: 'aborted' }, false));
  collector.record(good.callError({ code: 'aborted', message: 'aborted' }, 1));
  collector.record(good.callError({ code: 'credentials_exhausted', message: 'every key is down' }, 0));
}

describe('bindOpenTelemetry', () => {
  it('records GenAI semantic-convention instruments on a real MeterProvider', async () => {
    harness = createHarness();
    const collector = new MetricsCollector({ pricing });
    bindOpenTelemetry(collector, harness.provider.getMeter('kit-test'));
    scripted(collector);
    await flush();
    const all = await harness.collect();

    const duration = metric(all, 'gen_ai.client.operation.duration');
    expect(duration.descriptor.unit).toBe('s');
    const base = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4.1-mini' };
    const durationPoints = duration.dataPoints.map((point) => ({ attributes: point.attributes, value: point.value }));
    expect(durationPoints).toHaveLength(2);
    const success = duration.dataPoints.find((point) => point.attributes['kit.credential.id'] === 'key-good');
    expect(success?.attributes).toEqual({ ...base, 'kit.credential.id': 'key-good' });
    expect(success?.value).toMatchObject({ count: 1, sum: 1.5, min: 1.5, max: 1.5 });
    expect((success!.value as { buckets: { boundaries: number[] } }).buckets.boundaries).toEqual(GEN_AI_DURATION_BUCKETS_SECONDS);
    const failure = duration.dataPoints.find((point) => point.attributes['kit.credential.id'] === 'key-revoked');
    expect(failure?.attributes).toEqual({ ...base, 'kit.credential.id': 'key-revoked', 'error.type': 'authentication' });
    expect(failure?.value).toMatchObject({ count: 1, sum: 0.02 });

    const tokens = metric(all, 'gen_ai.client.token.usage');
    expect(tokens.descriptor.unit).toBe('{token}');
    const byType = Object.fromEntries(tokens.dataPoints.map((point) => [point.attributes['gen_ai.token.type'], (point.value as { sum: number }).sum]));
    expect(byType).toEqual({ input: 1_000_000, output: 500_000 });

    const ttft = metric(all, 'gen_ai.client.operation.time_to_first_chunk');
    expect(ttft.dataPoints[0]?.value).toMatchObject({ count: 1, sum: 0.15 });

    const cost = metric(all, 'kit.client.cost');
    expect(cost.descriptor.unit).toBe('USD');
    expect(cost.dataPoints[0]?.value).toBeCloseTo(0.4 + 0.8, 12);

    const failedCalls = metric(all, 'kit.client.failed_calls');
    expect(failedCalls.descriptor.unit).toBe('{call}');
    expect(failedCalls.dataPoints.map((point) => [point.attributes, point.value])).toEqual([[{ ...base, 'error.type': 'credentials_exhausted' }, 1]]);

    const failovers = metric(all, 'kit.client.failovers');
    expect(failovers.dataPoints.map((point) => [point.attributes['kit.credential.id'], point.attributes['kit.failover.reason'], point.value])).toEqual([
      ['key-revoked', 'authentication', 1],
    ]);

    const refreshes = metric(all, 'kit.client.token_refreshes');
    expect(Object.fromEntries(refreshes.dataPoints.map((point) => [point.attributes['kit.refresh.outcome'], point.value]))).toEqual({ success: 1, failure: 1 });

    const healthy = metric(all, 'kit.credential.healthy');
    expect(Object.fromEntries(healthy.dataPoints.map((point) => [point.attributes['kit.credential.id'], point.value]))).toEqual({
      'key-revoked': 0,
      'key-good': 1,
    });
  });

  it('maps provider names, can add gen_ai.system and leave out credential ids', async () => {
    harness = createHarness();
    const collector = new MetricsCollector();
    bindOpenTelemetry(collector, harness.provider.getMeter('kit-test'), { credentialAttribute: false, legacySystemAttribute: true });
    const gemini = events({ provider: 'gemini', model: 'gemini-2.5-flash', credentialId: 'account-1' });
    collector.record(gemini.start());
    collector.record(gemini.success(100, { inputTokens: 3, outputTokens: 4, totalTokens: 7 }));
    await flush();
    const all = await harness.collect();
    expect(metric(all, 'gen_ai.client.operation.duration').dataPoints[0]?.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'gcp.gemini',
      'gen_ai.system': 'gcp.gemini',
      'gen_ai.request.model': 'gemini-2.5-flash',
    });
    // No price known: no cost point at all rather than a misleading 0.
    expect(all.find((entry) => entry.descriptor.name === 'kit.client.cost')?.dataPoints ?? []).toEqual([]);
  });

  it('unbinding stops recording and removes the health callback', async () => {
    harness = createHarness();
    const collector = new MetricsCollector();
    const unbind = bindOpenTelemetry(collector, harness.provider.getMeter('kit-test'), { providerName: (name) => `custom.${name}` });
    const e = events({ model: 'm', credentialId: 'key-1' });
    collector.record(e.start());
    collector.record(e.success(100));
    await flush();
    const before = await harness.collect();
    expect(metric(before, 'gen_ai.client.operation.duration').dataPoints[0]?.attributes['gen_ai.provider.name']).toBe('custom.openai');
    expect(metric(before, 'kit.credential.healthy').dataPoints).toHaveLength(1);
    unbind();
    unbind();
    collector.record(e.start());
    collector.record(e.success(100));
    collector.record(e.unhealthy(3));
    await flush();
    const after = await harness.collect();
    expect(metric(after, 'gen_ai.client.operation.duration').dataPoints[0]?.value).toMatchObject({ count: 1 });
    // The callback is gone: the now-unhealthy credential is not observed as 0 (the SDK may keep the stale 1).
    const gauge = after.find((entry) => entry.descriptor.name === 'kit.credential.healthy')?.dataPoints ?? [];
    expect(gauge.map((point) => point.value)).not.toContain(0);
    expect(collector.getCredentialHealth()[0]?.healthy).toBe(false);
  });
});
