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
    if (event.type === 'request-start') {
      metrics.requestCount += 1;
      metrics.lastRequestAt = event.at;
      return;
    }
    if (event.type === 'request-success') {
      metrics.successCount += 1;
      metrics.lastSuccessAt = event.at;
      const tokens = metrics.tokens as unknown as Record<string, number>;
      const usage = event.usage as unknown as Record<string, number | undefined>;
      for (const kind in tokens) tokens[kind] = (tokens[kind] as number) + (usage[kind] ?? 0);
    } else if (event.type === 'request-error' && event.error.code !== 'aborted') {
      // The caller's abort (or breaking out of a stream) is nobody's failure: it ends the attempt, not as an error.
      metrics.errorCount += 1;
      metrics.lastErrorAt = event.at;
      metrics.lastError = { ...event.error };
    } else {
      return;
    }
    metrics.totalLatencyMs += event.latencyMs;
    metrics.averageLatencyMs = metrics.totalLatencyMs / (metrics.successCount + metrics.errorCount);
  }

  setHealth(health: HealthStatus): void {
    this.#metrics.health = health;
  }

  /** A copy: callers cannot change the tracker's state. */
  snapshot(): ProviderMetrics {
    return structuredClone(this.#metrics);
  }
}
