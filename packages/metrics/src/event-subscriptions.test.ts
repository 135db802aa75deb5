import { KitError, type KitEvent } from '@kit/core';
import { describe, expect, it } from 'vitest';
import { MAX_QUEUED_EVENTS } from './event-subscriptions';
import { MetricsCollector } from './metrics-collector';
import { events } from './test-events';

const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('MetricsCollector.subscribe', () => {
  it('a throwing subscriber never affects record, the metrics, or the other subscribers', async () => {
    const metrics = new MetricsCollector();
    const received: string[] = [];
    metrics.subscribe(() => {
      throw new Error('subscriber bug');
    });
    metrics.subscribe((event) => void received.push(event.type));
    const e = events({ model: 'm', credentialId: 'k' });
    expect(() => {
      metrics.record(e.start());
      metrics.record(e.success(10));
    }).not.toThrow();
    expect(metrics.snapshot().totals).toMatchObject({ requests: 1, successes: 1 });
    await flush();
    expect(received).toEqual(['request-start', 'request-success']);
  });

  it('a rejecting async subscriber leaves no unhandled rejection', async () => {
    const metrics = new MetricsCollector();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      metrics.subscribe(async () => {
        throw new Error('async subscriber bug');
      });
      metrics.record(events().start());
      await flush();
      await flush();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('a slow subscriber does not slow record down: delivery happens after record returns', async () => {
    const metrics = new MetricsCollector();
    let calls = 0;
    metrics.subscribe(() => {
      calls++;
      const until = performance.now() + 30;
      while (performance.now() < until) {
        // busy: a subscriber doing heavy synchronous work
      }
    });
    const started = performance.now();
    for (let index = 0; index < 5; index++) metrics.record(events().start());
    const recordMs = performance.now() - started;
    expect(calls).toBe(0);
    expect(recordMs).toBeLessThan(20);
    await flush();
    expect(calls).toBe(5);
  });

  it('filters by provider, model, credential id and event type; a failover matches its "from" credential', async () => {
    const metrics = new MetricsCollector();
    const seen: Record<string, string[]> = { provider: [], model: [], credential: [], type: [], all: [] };
    const describeEvent = (event: KitEvent) =>
      `${event.type}:${event.provider}:${event.model ?? '-'}:${event.credentialId ?? ('from' in event ? event.from : '-')}`;
    metrics.subscribe((event) => void seen.provider?.push(describeEvent(event)), { provider: 'anthropic' });
    metrics.subscribe((event) => void seen.model?.push(describeEvent(event)), { model: ['gpt-4.1', 'gpt-4.1-mini'] });
    metrics.subscribe((event) => void seen.credential?.push(describeEvent(event)), { credentialId: 'key-1' });
    metrics.subscribe((event) => void seen.type?.push(describeEvent(event)), { type: ['request-error', 'failover'], provider: 'openai' });
    metrics.subscribe((event) => void seen.all?.push(describeEvent(event)), {});

    metrics.record(events({ provider: 'anthropic', model: 'claude', credentialId: 'key-9' }).start());
    metrics.record(events({ model: 'gpt-4.1', credentialId: 'key-1' }).error(1, { code: 'rate_limit', message: 'x' }, true));
    metrics.record(events({ model: 'gpt-4.1' }).failover('key-1', 'key-2', 'rate_limit'));
    metrics.record(events({ model: 'o3', credentialId: 'key-2' }).start());
    await flush();

    expect(seen.provider).toEqual(['request-start:anthropic:claude:key-9']);
    expect(seen.model).toEqual(['request-error:openai:gpt-4.1:key-1', 'failover:openai:gpt-4.1:key-1']);
    expect(seen.credential).toEqual(['request-error:openai:gpt-4.1:key-1', 'failover:openai:gpt-4.1:key-1']);
    expect(seen.type).toEqual(['request-error:openai:gpt-4.1:key-1', 'failover:openai:gpt-4.1:key-1']);
    expect(seen.all).toHaveLength(4);
  });

  it('unsubscribe stops delivery, also of events already queued; calling it twice is harmless', async () => {
    const metrics = new MetricsCollector();
    const received: string[] = [];
    const unsubscribe = metrics.subscribe((event) => void received.push(event.type));
    metrics.record(events().start());
    await flush();
    metrics.record(events().start());
    unsubscribe();
    unsubscribe();
    await flush();
    metrics.record(events().start());
    await flush();
    expect(received).toEqual(['request-start']);
  });

  it('bounds the delivery queue: beyond the limit events are dropped and counted, never the metrics', async () => {
    const metrics = new MetricsCollector();
    let received = 0;
    metrics.subscribe(() => void received++);
    const start = events().start();
    for (let index = 0; index < MAX_QUEUED_EVENTS + 25; index++) metrics.record(start);
    expect(metrics.snapshot()).toMatchObject({ droppedSubscriberEvents: 25, totals: { requests: MAX_QUEUED_EVENTS + 25 } });
    await flush();
    expect(received).toBe(MAX_QUEUED_EVENTS);
    metrics.reset();
    expect(metrics.snapshot().droppedSubscriberEvents).toBe(0);
  });

  it('rejects a listener that is not a function and a malformed filter', () => {
    const metrics = new MetricsCollector();
    expect(() => metrics.subscribe('nope' as never)).toThrow(KitError);
    expect(() => metrics.subscribe(() => {}, { provider: 5 as never })).toThrow(/filter\.provider/);
    expect(() => metrics.subscribe(() => {}, 'openai' as never)).toThrow(/filter must be an object/);
  });
});
