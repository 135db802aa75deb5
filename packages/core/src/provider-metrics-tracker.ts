import type { KitEvent } from './kit-event';
import type { ProviderMetrics } from './provider';
import type { HealthStatus } from './model-info';

/** Keeps a provider's in-memory `ProviderMetrics` from the events its engine emits. Counts attempts. */
export class ProviderMetricsTracker {
  #metrics: ProviderMetrics = {
    requestCount: 0,
    successCount: 0,
    errorCount: 0,
    totalLatencyMs: 0,
    averageLatencyMs: 0,
    tokens: { inputTokens: 0, outputTokens: 0, totalTokens: 0, cachedInputTokens: 0, reasoningTokens: 0 },
  };

  record(event: KitEvent): void {
    const metrics = this.#metrics;
    switch (event.type) {
      case 'request-start':
        metrics.requestCount += 1;
        metrics.lastRequestAt = event.at;
        break;
      case 'request-success': {
        metrics.successCount += 1;
        metrics.lastSuccessAt = event.at;
        this.#addLatency(event.latencyMs);
        const tokens = metrics.tokens;
        tokens.inputTokens += event.usage.inputTokens;
        tokens.outputTokens += event.usage.outputTokens;
        tokens.totalTokens += event.usage.totalTokens;
        tokens.cachedInputTokens = (tokens.cachedInputTokens ?? 0) + (event.usage.cachedInputTokens ?? 0);
        tokens.reasoningTokens = (tokens.reasoningTokens ?? 0) + (event.usage.reasoningTokens ?? 0);
        break;
      }
      case 'request-error':
        metrics.errorCount += 1;
        metrics.lastErrorAt = event.at;
        metrics.lastError = { ...event.error };
        this.#addLatency(event.latencyMs);
        break;
      default:
        break;
    }
  }

  setHealth(health: HealthStatus): void {
    this.#metrics.health = health;
  }

  /** A copy: callers cannot change the tracker's state. */
  snapshot(): ProviderMetrics {
    const copy: ProviderMetrics = { ...this.#metrics, tokens: { ...this.#metrics.tokens } };
    if (this.#metrics.lastError) copy.lastError = { ...this.#metrics.lastError };
    if (this.#metrics.health) copy.health = { ...this.#metrics.health };
    return copy;
  }

  #addLatency(latencyMs: number): void {
    const metrics = this.#metrics;
    metrics.totalLatencyMs += latencyMs;
    const finished = metrics.successCount + metrics.errorCount;
    metrics.averageLatencyMs = finished === 0 ? 0 : metrics.totalLatencyMs / finished;
  }
}
