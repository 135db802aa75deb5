import type { KitEvent, MetricsSink, Usage } from '@kit/core';
import { EventSubscriptions, type MetricsEventFilter, type MetricsEventListener } from './event-subscriptions';
import { ExportSeries } from './export-series';
import { CredentialSeries, knownCode, MetricSeries } from './metric-series';
import { resolveMetricsOptions, type MetricsCollectorOptions, type ResolvedMetricsOptions } from './metrics-collector-options';
import type { CredentialHealthEntry, CredentialMetrics, MetricsSnapshot, SeriesMetrics } from './metrics-snapshot';
import { costOf, count, inputCost, isModelPrice, lookupPrice, outputCost, type CostEstimate, type ModelPrice } from './model-pricing';
import { renderPrometheus } from './prometheus-exposition';

interface ProviderEntry {
  series: MetricSeries;
  credentials: Map<string, CredentialSeries>;
  /** Export series by model, then by credential (`''` when unknown). */
  exports: Map<string, Map<string, ExportSeries>>;
}

type RequestSuccess = Extract<KitEvent, { type: 'request-success' }>;
type RequestError = Extract<KitEvent, { type: 'request-error' }>;
type CallError = Extract<KitEvent, { type: 'call-error' }>;

/**
 * Collects \@kit events into provider-, model- and credential-level metrics with cost, percentiles and a
 * Prometheus export. Pass it as `metrics` to any number of providers and as `onEvent` to credential managers:
 *
 * ```ts
 * const metrics = new MetricsCollector({ pricing: defaultPricing });
 * const keys = new KeyManager('openai', ['key-a', 'key-b'], { onEvent: metrics.record });
 * const openai = createOpenAI({ credentials: keys, metrics });
 * ```
 *
 * `record` is bound to the instance, allocates nothing for known series and never throws. Memory is bounded by
 * the number of distinct providers × models × credentials, never by the number of events.
 */
export class MetricsCollector implements MetricsSink {
  readonly #options: ResolvedMetricsOptions;
  readonly #subscriptions = new EventSubscriptions();
  #since: number;
  #totals!: MetricSeries;
  #providers!: Map<string, ProviderEntry>;
  #models!: Map<string, MetricSeries>;

  // The series of the last event, reused while events keep naming the same provider, model and credential.
  #selected = false;
  #lastProvider: string | undefined;
  #lastModel: string | undefined;
  #lastCredential: string | undefined;
  #provider!: ProviderEntry;
  #credential: CredentialSeries | undefined;
  #export!: ExportSeries;
  /** The selected series: totals, provider, then model and credential when known (arrays reused: no allocation). */
  readonly #targets: MetricSeries[] = [];
  #targetCount = 0;
  /** The same without the model series, for events of a credential rather than a model. */
  readonly #credentialTargets: MetricSeries[] = [];
  #credentialTargetCount = 0;

  /** @throws KitError `invalid_config` for a bad option, naming it. */
  constructor(options?: MetricsCollectorOptions) {
    this.#options = resolveMetricsOptions(options);
    this.#since = this.#options.now();
    this.#clear();
    this.record = this.record.bind(this);
  }

  /** Records one event (`MetricsSink`). Unknown event types and malformed events are ignored; it never throws. */
  record(event: KitEvent): void {
    try {
      this.#record(event);
    } catch {
      // Metrics must never break a request.
    }
    if (this.#subscriptions.active && event !== null && typeof event === 'object') this.#subscriptions.enqueue(event);
  }

  /**
   * Calls `listener` with each recorded event matching `filter` (by provider, model, credential id, event type).
   * Delivery happens after `record` returns (in a microtask, in order), so a slow, throwing or rejecting listener
   * never affects a request. At most 10 000 events wait for delivery; beyond that they are dropped and counted in
   * `snapshot().droppedSubscriberEvents`. Returns the function that unsubscribes.
   * @throws KitError `invalid_config` when `listener` is not a function or `filter` is malformed.
   */
  subscribe(listener: MetricsEventListener, filter?: MetricsEventFilter): () => void {
    return this.#subscriptions.add(listener, filter);
  }

  /** Everything, as plain JSON-serialisable data (percentiles are computed now). */
  snapshot(): MetricsSnapshot {
    const byProvider: Record<string, SeriesMetrics> = {};
    const byCredential: Record<string, CredentialMetrics> = {};
    for (const [name, entry] of this.#providers) {
      byProvider[name] = entry.series.toMetrics();
      for (const credential of entry.credentials.values()) byCredential[`${name}:${credential.credentialId}`] = credential.toMetrics();
    }
    const byModel: Record<string, SeriesMetrics> = {};
    for (const [model, series] of this.#models) byModel[model] = series.toMetrics();
    return {
      takenAt: this.#options.now(),
      since: this.#since,
      totals: this.#totals.toMetrics(),
      byProvider,
      byModel,
      byCredential,
      droppedSubscriberEvents: this.#subscriptions.dropped,
    };
  }

  /** The snapshot (so `JSON.stringify(collector)` serialises the metrics). */
  toJSON(): MetricsSnapshot {
    return this.snapshot();
  }

  /** Prometheus text exposition format 0.0.4 (serve it with `PROMETHEUS_CONTENT_TYPE`). */
  toPrometheus(): string {
    const series: ExportSeries[] = [];
    const credentials: CredentialSeries[] = [];
    for (const entry of this.#providers.values()) {
      for (const byCredential of entry.exports.values()) series.push(...byCredential.values());
      credentials.push(...entry.credentials.values());
    }
    return renderPrometheus(series, credentials, this.#options.latencyBounds);
  }

  /** Every credential seen, with its health: cheap (no percentiles), for gauges and health endpoints. */
  getCredentialHealth(): CredentialHealthEntry[] {
    const health: CredentialHealthEntry[] = [];
    for (const entry of this.#providers.values()) for (const credential of entry.credentials.values()) health.push(credential.health());
    return health;
  }

  /** The cost of a usage for a provider's model, with this collector's pricing. Never throws. */
  estimateCost(provider: string, model: string, usage: Partial<Usage>): CostEstimate {
    return costOf(this.#priceFor(provider, model), usage);
  }

  /** Forgets everything recorded (subscriptions stay). */
  reset(): void {
    this.#clear();
    this.#subscriptions.clearDropped();
    this.#since = this.#options.now();
  }

  #clear(): void {
    this.#totals = new MetricSeries(this.#options.percentileWindow);
    this.#providers = new Map();
    this.#models = new Map();
    this.#selected = false;
  }

  #record(event: KitEvent): void {
    switch (event.type) {
      case 'request-start': {
        this.#select(event.provider, event.model, event.credentialId);
        const targets = this.#targets;
        for (let index = 0; index < this.#targetCount; index++) {
          const series = targets[index] as MetricSeries;
          series.requests++;
          series.lastRequestAt = event.at;
        }
        this.#export.requests++;
        return;
      }
      case 'request-success':
        this.#success(event);
        return;
      case 'request-error':
        this.#error(event);
        return;
      case 'call-error':
        this.#callError(event);
        return;
      case 'stream-first-token': {
        const ttft = event.ttftMs;
        if (!(ttft >= 0)) return;
        this.#select(event.provider, event.model, event.credentialId);
        for (let index = 0; index < this.#targetCount; index++) (this.#targets[index] as MetricSeries).timeToFirstToken.observe(ttft);
        this.#export.timeToFirstToken.observe(ttft);
        return;
      }
      case 'failover': {
        // Counted against the credential the call moved away from (the engine sets no `credentialId` on it).
        const from = typeof event.from === 'string' && event.from !== '' ? event.from : event.credentialId;
        this.#select(event.provider, event.model, from);
        for (let index = 0; index < this.#targetCount; index++) (this.#targets[index] as MetricSeries).failovers++;
        const reasons = this.#export.failoversByReason;
        const reason = knownCode(event.reason);
        reasons[reason] = (reasons[reason] ?? 0) + 1;
        return;
      }
      case 'token-refresh': {
        this.#select(event.provider, event.model, event.credentialId);
        const failed = !event.success;
        for (let index = 0; index < this.#credentialTargetCount; index++) {
          const series = this.#credentialTargets[index] as MetricSeries;
          series.refreshes++;
          if (failed) series.refreshFailures++;
        }
        if (failed) this.#export.refreshFailures++;
        else this.#export.refreshSuccesses++;
        return;
      }
      case 'credential-failure': {
        const credential = this.#credentialOf(event);
        if (!credential) return;
        credential.consecutiveFailures = event.consecutiveFailures;
        credential.lastFailureAt = event.at;
        credential.backoffUntil = event.backoffMs > 0 ? event.at + event.backoffMs : undefined;
        // The provider refused the credential itself (revoked key, missing permission): not healthy from this
        // failure on, without waiting for the manager's `unhealthyAfter` count; a success or recovery clears it.
        if (event.error.code === 'authentication' || event.error.code === 'permission') credential.healthy = false;
        return;
      }
      case 'credential-unhealthy': {
        const credential = this.#credentialOf(event);
        if (!credential) return;
        credential.healthy = false;
        credential.consecutiveFailures = Math.max(credential.consecutiveFailures, event.consecutiveFailures);
        return;
      }
      case 'credential-recovered': {
        const credential = this.#credentialOf(event);
        if (!credential) return;
        markRecovered(credential);
        return;
      }
      case 'rate-limit': {
        const credential = this.#credentialOf(event);
        if (credential) credential.rateLimit = event.rateLimit;
        return;
      }
      case 'alert': {
        this.#select(event.provider, event.model, event.credentialId);
        for (let index = 0; index < this.#credentialTargetCount; index++) (this.#credentialTargets[index] as MetricSeries).alerts++;
        return;
      }
      default:
        return;
    }
  }

  #success(event: RequestSuccess): void {
    this.#select(event.provider, event.model, event.credentialId);
    const exported = this.#export;
    const usage = event.usage ?? ({} as Usage);
    const input = count(usage.inputTokens);
    const output = count(usage.outputTokens);
    const cached = count(usage.cachedInputTokens);
    const cacheWrite = count(usage.cacheWriteInputTokens);
    const reasoning = count(usage.reasoningTokens);
    const total = count(usage.totalTokens) || input + output;
    const latency = event.latencyMs;
    const hasLatency = latency >= 0;
    // Generation time: what the server measured when it reported it (Ollama, Groq, Cerebras); else, from the client,
    // from the first token to the end for a stream and the whole attempt otherwise.
    const serverGenerationMs = event.serverTimings?.generationMs;
    const generationMs =
      typeof serverGenerationMs === 'number' && serverGenerationMs > 0
        ? serverGenerationMs
        : hasLatency
          ? latency - (event.streaming && event.ttftMs !== undefined && event.ttftMs >= 0 ? event.ttftMs : 0)
          : 0;
    const price = this.#exportPrice(exported, event.provider, event.model);
    const costIn = price ? inputCost(price, input, cached, cacheWrite) : 0;
    const costOut = price ? outputCost(price, output) : 0;
    const missing = !price;
    const at = event.at;

    const targets = this.#targets;
    for (let index = 0; index < this.#targetCount; index++) {
      const series = targets[index] as MetricSeries;
      series.successes++;
      series.lastSuccessAt = at;
      if (hasLatency) series.latency.observe(latency);
      series.inputTokens += input;
      series.outputTokens += output;
      series.cachedTokens += cached;
      series.cacheWriteTokens += cacheWrite;
      series.reasoningTokens += reasoning;
      series.totalTokens += total;
      if (generationMs > 0 && output > 0) {
        series.generationMs += generationMs;
        series.timedOutputTokens += output;
      }
      series.inputCost += costIn;
      series.outputCost += costOut;
      if (missing) series.pricingMissing = true;
    }
    if (this.#credential) markRecovered(this.#credential);

    exported.successes++;
    if (hasLatency) exported.successDuration.observe(latency);
    exported.inputTokens += input;
    exported.outputTokens += output;
    exported.cachedTokens += cached;
    exported.cacheWriteTokens += cacheWrite;
    exported.reasoningTokens += reasoning;
    exported.costUsd += costIn + costOut;
  }

  #error(event: RequestError): void {
    this.#select(event.provider, event.model, event.credentialId);
    const error = event.error;
    const code = knownCode(error?.code);
    const targets = this.#targets;
    if (code === 'aborted') {
      // The caller's cancel: not the provider's failure, so neither an error nor a duration of one.
      for (let index = 0; index < this.#targetCount; index++) (targets[index] as MetricSeries).aborted++;
      this.#export.aborted++;
      return;
    }
    const status = typeof error?.status === 'number' ? error.status : undefined;
    const willRetry = event.willRetry === true;
    const at = event.at;
    for (let index = 0; index < this.#targetCount; index++) {
      const series = targets[index] as MetricSeries;
      series.errors++;
      if (willRetry) series.retries++;
      series.errorsByCode[code] = (series.errorsByCode[code] ?? 0) + 1;
      if (status !== undefined) series.errorsByStatus[status] = (series.errorsByStatus[status] ?? 0) + 1;
      series.lastErrorAt = at;
      if (error) series.lastError = error;
    }
    const exported = this.#export;
    exported.countError(code, status);
    if (event.latencyMs >= 0) exported.errorDuration.observe(event.latencyMs);
  }

  /** A call that failed for good (the engine names no credential on it: it spans them). */
  #callError(event: CallError): void {
    this.#select(event.provider, event.model, event.credentialId);
    const error = event.error;
    const code = knownCode(error?.code);
    const targets = this.#targets;
    const exported = this.#export;
    if (code === 'aborted') {
      for (let index = 0; index < this.#targetCount; index++) (targets[index] as MetricSeries).abortedCalls++;
      exported.callAborts++;
      return;
    }
    const at = event.at;
    for (let index = 0; index < this.#targetCount; index++) {
      const series = targets[index] as MetricSeries;
      series.failedCalls++;
      series.callErrorsByCode[code] = (series.callErrorsByCode[code] ?? 0) + 1;
      series.lastErrorAt = at;
      if (error) series.lastError = error;
    }
    exported.callErrors[code] = (exported.callErrors[code] ?? 0) + 1;
  }

  /** Finds (or creates) the series of a provider, model and credential; cached for the next event. */
  #select(provider: string, model: string | undefined, credentialId: string | undefined): void {
    if (this.#selected && provider === this.#lastProvider && model === this.#lastModel && credentialId === this.#lastCredential) return;
    const name = typeof provider === 'string' ? provider : String(provider);
    const window = this.#options.percentileWindow;
    let entry = this.#providers.get(name);
    if (!entry) {
      entry = { series: new MetricSeries(window), credentials: new Map(), exports: new Map() };
      this.#providers.set(name, entry);
    }
    let modelSeries: MetricSeries | undefined;
    if (typeof model === 'string' && model !== '') {
      modelSeries = this.#models.get(model);
      if (!modelSeries) {
        modelSeries = new MetricSeries(window);
        this.#models.set(model, modelSeries);
      }
    }
    let credential: CredentialSeries | undefined;
    if (typeof credentialId === 'string' && credentialId !== '') {
      credential = entry.credentials.get(credentialId);
      if (!credential) {
        credential = new CredentialSeries(name, credentialId, window);
        entry.credentials.set(credentialId, credential);
      }
    }
    const modelLabel = modelSeries ? (model as string) : '';
    const credentialLabel = credential ? (credentialId as string) : '';
    let byCredential = entry.exports.get(modelLabel);
    if (!byCredential) {
      byCredential = new Map();
      entry.exports.set(modelLabel, byCredential);
    }
    let exported = byCredential.get(credentialLabel);
    if (!exported) {
      exported = new ExportSeries(name, modelLabel, credentialLabel, this.#options.latencyBounds);
      byCredential.set(credentialLabel, exported);
    }

    this.#provider = entry;
    this.#credential = credential;
    this.#export = exported;
    const targets = this.#targets;
    const credentialTargets = this.#credentialTargets;
    targets[0] = credentialTargets[0] = this.#totals;
    targets[1] = credentialTargets[1] = entry.series;
    let targetCount = 2;
    let credentialTargetCount = 2;
    if (modelSeries) targets[targetCount++] = modelSeries;
    if (credential) {
      targets[targetCount++] = credential;
      credentialTargets[credentialTargetCount++] = credential;
    }
    this.#targetCount = targetCount;
    this.#credentialTargetCount = credentialTargetCount;
    this.#selected = true;
    this.#lastProvider = provider;
    this.#lastModel = model;
    this.#lastCredential = credentialId;
  }

  /** The credential series of a credential manager's event (none without a credential id). */
  #credentialOf(event: KitEvent): CredentialSeries | undefined {
    if (typeof event.credentialId !== 'string' || event.credentialId === '') return undefined;
    this.#select(event.provider, event.model, event.credentialId);
    return this.#credential;
  }

  /** A table price is looked up once per export series; a pricing function is asked every time. */
  #exportPrice(exported: ExportSeries, provider: string, model: string | undefined): ModelPrice | undefined {
    const pricing = this.#options.pricing;
    if (typeof pricing === 'function') return this.#priceFor(provider, model ?? '');
    if (exported.price === undefined) exported.price = this.#priceFor(provider, model ?? '') ?? null;
    return exported.price ?? undefined;
  }

  #priceFor(provider: string, model: string): ModelPrice | undefined {
    const pricing = this.#options.pricing;
    if (pricing === undefined) return undefined;
    if (typeof pricing !== 'function') return lookupPrice(pricing, provider, model);
    try {
      const price = pricing(provider, model);
      return isModelPrice(price) ? price : undefined;
    } catch {
      return undefined;
    }
  }
}

function markRecovered(credential: CredentialSeries): void {
  credential.healthy = true;
  credential.consecutiveFailures = 0;
  credential.backoffUntil = undefined;
}
