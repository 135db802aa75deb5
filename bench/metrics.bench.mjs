// MetricsCollector.record() cost per event and heap after 1 000 000 events (budget: record ≤ 2 µs, bounded memory).
//
// Events: a realistic stream replayed from a pre-built ring of 4 096 event objects over 3 providers × 2 models × 3
// credentials: per call `request-start`, `stream-first-token`, `request-success` (usage with cached tokens, priced
// with `defaultPricing`); one call in 8 first fails on another credential (`request-start`, `request-error`,
// `failover`); one event in 16 is a `rate-limit`. Events are built before timing, so the loops time `record` only.
//
// Same loop shape, same events, same run, interleaved, median of the runs:
//   - baseline (empty): a sink whose record() only counts the events (the cost of the loop and the call);
//   - baseline (core tracker): core's ProviderMetricsTracker, the minimal per-provider metrics every provider keeps;
//   - MetricsCollector: totals + provider/model/credential series, percentile windows, histograms, cost.
// Heap: one collector records 1 000 000 events, then 4 000 000 more; heapUsed after a forced GC at each step
// (needs --expose-gc). Memory must stay flat: it depends on the number of series, not of events.
//
// With a subscriber (the OpenTelemetry path): `record` queues each event and a microtask delivers it after `record`
// returns, so the loop records chunks of 4 096 events (under the 10 000-event delivery queue: nothing is dropped)
// and awaits delivery after each. Reported per event: `record()` alone (what a request pays, synchronously) and
// record + delivery (all CPU spent). Same chunked loop for the three contenders:
//   - MetricsCollector with no subscriber;
//   - MetricsCollector + 1 no-op subscriber (the queueing and delivery machinery);
//   - MetricsCollector + bindOpenTelemetry on a real @opentelemetry/sdk-metrics MeterProvider with an in-memory
//     reader (the SDK is @kit/metrics' dev dependency, resolved from packages/metrics).
//
//   cd bench && npx -y pnpm@12.4.2 exec node --expose-gc metrics.bench.mjs [--runs 7] [--events 1000000]
import { createRequire } from 'node:module';
import { ProviderMetricsTracker } from '@kit/core/provider-utils';
import { MetricsCollector } from '@kit/metrics';
import { bindOpenTelemetry } from '@kit/metrics/otel';
import { defaultPricing } from '@kit/metrics/pricing';
import { environmentLine, fixed, median, printTable } from './bench-stats.mjs';

const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};
const RUNS = argument('runs', 7);
const EVENTS = argument('events', 1_000_000);
const GOAL_NS = 2_000;
const RING = 4096;

if (typeof globalThis.gc !== 'function') {
  console.error('run with --expose-gc: node --expose-gc metrics.bench.mjs');
  process.exit(1);
}

/** The pre-built event ring (deterministic). */
function buildEvents() {
  const providers = [
    ['openai', ['gpt-4.1-mini', 'gpt-4.1']],
    ['anthropic', ['claude-sonnet-4-5', 'claude-haiku-4-5']],
    ['gemini', ['gemini-2.5-flash', 'gemini-2.5-pro']],
  ];
  const credentials = ['key-1', 'key-2', 'key-3'];
  const ring = [];
  let call = 0;
  let at = Date.now();
  while (ring.length < RING) {
    const [provider, models] = providers[call % 3];
    const model = models[(call >> 2) % 2];
    const credentialId = credentials[(call >> 3) % 3];
    const base = () => {
      at += 7;
      return { at, provider, model, credentialId };
    };
    if (call % 8 === 7) {
      const other = credentials[((call >> 3) + 1) % 3];
      ring.push({ ...base(), credentialId: other, type: 'request-start', streaming: true, attempt: 1 });
      ring.push({
        ...base(),
        credentialId: other,
        type: 'request-error',
        latencyMs: 40 + (call % 50),
        error: { code: 'rate_limit', status: 429, message: 'rate limited' },
        willRetry: true,
        streaming: true,
      });
      at += 1;
      ring.push({ at, provider, model, type: 'failover', from: other, to: credentialId, reason: 'rate_limit' });
    }
    const ttftMs = 80 + ((call * 37) % 400);
    ring.push({ ...base(), type: 'request-start', streaming: true, attempt: 1 });
    ring.push({ ...base(), type: 'stream-first-token', ttftMs });
    ring.push({
      ...base(),
      type: 'request-success',
      latencyMs: ttftMs + 200 + ((call * 101) % 3000),
      usage: { inputTokens: 1200 + (call % 500), outputTokens: 150 + (call % 300), totalTokens: 1350 + (call % 800), cachedInputTokens: 1024 },
      streaming: true,
      ttftMs,
      finishReason: 'stop',
    });
    if (call % 2 === 1) ring.push({ ...base(), type: 'rate-limit', rateLimit: { requestsRemaining: 100 - (call % 100), requestsLimit: 100 } });
    call++;
  }
  return ring.slice(0, RING);
}

const ring = buildEvents();
const mask = RING - 1;

/** Records `count` events into `sink` and returns ns per event. */
function time(sink, count) {
  const started = process.hrtime.bigint();
  for (let index = 0; index < count; index++) sink.record(ring[index & mask]);
  return Number(process.hrtime.bigint() - started) / count;
}

const contenders = {
  'baseline (empty sink)': () => {
    const sink = {
      events: 0,
      record(event) {
        if (event.type !== undefined) this.events++;
      },
    };
    return sink;
  },
  'baseline (core ProviderMetricsTracker)': () => new ProviderMetricsTracker(),
  MetricsCollector: () => new MetricsCollector({ pricing: defaultPricing }),
};

console.log(`# MetricsCollector.record() — ${environmentLine()}`);
console.log(`${EVENTS.toLocaleString('en')} events per run, ${RUNS} runs (interleaved), event ring of ${RING}\n`);

// Warm-up: every contender on fresh instances.
for (const create of Object.values(contenders)) time(create(), 200_000);

const results = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
for (let run = 0; run < RUNS; run++) {
  for (const [name, create] of Object.entries(contenders)) {
    const sink = create();
    globalThis.gc();
    results[name].push(time(sink, EVENTS));
  }
}
const baseline = median(results['baseline (empty sink)']);
const rows = [['sink', 'ns / event (median)', 'min', 'max', 'over empty baseline']];
for (const [name, values] of Object.entries(results)) {
  const value = median(values);
  rows.push([
    name,
    fixed(value),
    fixed(Math.min(...values)),
    fixed(Math.max(...values)),
    name.startsWith('baseline (empty') ? '-' : `+${fixed(value - baseline)} ns`,
  ]);
}
printTable(rows);
const collectorNs = median(results.MetricsCollector);
console.log(`\nrecord() goal ≤ ${GOAL_NS} ns per event: ${collectorNs <= GOAL_NS ? 'met' : 'MISSED'} (${fixed(collectorNs)} ns)\n`);

// Heap: flat however many events.
const heap = () => {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};
const collector = new MetricsCollector({ pricing: defaultPricing });
time(collector, RING * 2); // every series created
const heapRows = [['events recorded', 'heapUsed (MB)', 'change since first (KB)']];
const first = heap();
heapRows.push([`${(RING * 2).toLocaleString('en')} (all series exist)`, fixed(first / 2 ** 20, 2), '0']);
let recorded = RING * 2;
for (const target of [1_000_000, 2_000_000, 5_000_000]) {
  time(collector, target - recorded);
  recorded = target;
  const used = heap();
  heapRows.push([target.toLocaleString('en'), fixed(used / 2 ** 20, 2), fixed((used - first) / 1024, 1)]);
}
printTable(heapRows);
const snapshot = collector.snapshot();
console.log(
  `\nseries: ${Object.keys(snapshot.byProvider).length} providers, ${Object.keys(snapshot.byModel).length} models, ${Object.keys(snapshot.byCredential).length} credentials; ` +
    `totals.requests = ${snapshot.totals.requests.toLocaleString('en')}`,
);

// For information: what reading the metrics costs (warm; percentiles are selected from each window).
const readRuns = 50;
for (let index = 0; index < 10; index++) {
  collector.snapshot();
  collector.toPrometheus();
}
let started = process.hrtime.bigint();
for (let index = 0; index < readRuns; index++) collector.snapshot();
const snapshotUs = Number(process.hrtime.bigint() - started) / readRuns / 1000;
started = process.hrtime.bigint();
for (let index = 0; index < readRuns; index++) collector.toPrometheus();
const prometheusUs = Number(process.hrtime.bigint() - started) / readRuns / 1000;
console.log(`snapshot(): ${fixed(snapshotUs)} µs, toPrometheus(): ${fixed(prometheusUs)} µs (window 1024, this series count)`);

// With one subscriber attached: record() alone and record + delivery, chunked so that no event is dropped.
const CHUNK = 4096;
async function timeWithDelivery(sink, count) {
  let recordNs = 0n;
  const started = process.hrtime.bigint();
  for (let done = 0; done < count; ) {
    const size = Math.min(CHUNK, count - done);
    const chunkStarted = process.hrtime.bigint();
    for (let index = 0; index < size; index++) sink.record(ring[(done + index) & mask]);
    recordNs += process.hrtime.bigint() - chunkStarted;
    done += size;
    await null; // the delivery microtask queued by this chunk's first record() runs before this continuation
  }
  return { record: Number(recordNs) / count, total: Number(process.hrtime.bigint() - started) / count };
}

const sdk = createRequire(new URL('../packages/metrics/package.json', import.meta.url))('@opentelemetry/sdk-metrics');
const subscribed = {
  'MetricsCollector (no subscriber)': () => ({ collector: new MetricsCollector({ pricing: defaultPricing }), close: async () => {} }),
  'MetricsCollector + 1 no-op subscriber': () => {
    const collector = new MetricsCollector({ pricing: defaultPricing });
    collector.subscribe(() => {});
    return { collector, close: async () => {} };
  },
  'MetricsCollector + bindOpenTelemetry (SDK meter)': () => {
    const collector = new MetricsCollector({ pricing: defaultPricing });
    const exporter = new sdk.InMemoryMetricExporter(sdk.AggregationTemporality.CUMULATIVE);
    const reader = new sdk.PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
    const provider = new sdk.MeterProvider({ readers: [reader] });
    bindOpenTelemetry(collector, provider.getMeter('kit-bench'));
    return { collector, close: () => provider.shutdown() };
  },
};

console.log(`\n## With a subscriber (chunks of ${CHUNK}, delivery awaited after each chunk)\n`);
for (const create of Object.values(subscribed)) {
  const { collector, close } = create();
  await timeWithDelivery(collector, 200_000);
  await close();
}
const withSubscriber = Object.fromEntries(Object.keys(subscribed).map((name) => [name, { record: [], total: [], dropped: 0 }]));
for (let run = 0; run < RUNS; run++) {
  for (const [name, create] of Object.entries(subscribed)) {
    const { collector, close } = create();
    globalThis.gc();
    const { record, total } = await timeWithDelivery(collector, EVENTS);
    withSubscriber[name].record.push(record);
    withSubscriber[name].total.push(total);
    withSubscriber[name].dropped += collector.snapshot().droppedSubscriberEvents;
    await close();
  }
}
const alone = median(withSubscriber['MetricsCollector (no subscriber)'].total);
const subscriberRows = [['collector', 'record() ns / event (median)', 'min', 'max', 'record + delivery ns / event (median)', 'over no subscriber', 'dropped']];
for (const [name, { record, total, dropped }] of Object.entries(withSubscriber)) {
  subscriberRows.push([
    name,
    fixed(median(record)),
    fixed(Math.min(...record)),
    fixed(Math.max(...record)),
    fixed(median(total)),
    name.endsWith('(no subscriber)') ? '-' : `+${fixed(median(total) - alone)} ns`,
    String(dropped),
  ]);
}
printTable(subscriberRows);
const otelRecord = median(withSubscriber['MetricsCollector + bindOpenTelemetry (SDK meter)'].record);
console.log(`\nrecord() with the OpenTelemetry binding, goal ≤ ${GOAL_NS} ns per event: ${otelRecord <= GOAL_NS ? 'met' : 'MISSED'} (${fixed(otelRecord)} ns)`);
