import type { HealthStatus, ProviderMetrics } from '@kit/core';

const emptyTokens = () => ({ inputTokens: 0, outputTokens: 0, totalTokens: 0, cachedInputTokens: 0, reasoningTokens: 0 });

/**
 * The router's metrics: the sum of its entries' own metrics (each entry's engine counts its attempts, a race's
 * losers included), the latest timestamps and error across them, and the router's last health check.
 */
export function aggregateMetrics(parts: readonly ProviderMetrics[], health: HealthStatus | undefined): ProviderMetrics {
  const total: ProviderMetrics = { requestCount: 0, successCount: 0, errorCount: 0, totalLatencyMs: 0, averageLatencyMs: 0, tokens: emptyTokens() };
  const tokens = total.tokens as unknown as Record<string, number>;
  for (const part of parts) {
    total.requestCount += part.requestCount;
    total.successCount += part.successCount;
    total.errorCount += part.errorCount;
    total.totalLatencyMs += part.totalLatencyMs;
    const own = part.tokens as unknown as Record<string, number | undefined>;
    for (const kind in tokens) tokens[kind] = (tokens[kind] as number) + (own[kind] ?? 0);
    total.lastRequestAt = latest(total.lastRequestAt, part.lastRequestAt);
    total.lastSuccessAt = latest(total.lastSuccessAt, part.lastSuccessAt);
    if (part.lastErrorAt !== undefined && (total.lastErrorAt === undefined || part.lastErrorAt >= total.lastErrorAt)) {
      total.lastErrorAt = part.lastErrorAt;
      if (part.lastError) total.lastError = { ...part.lastError };
    }
  }
  const finished = total.successCount + total.errorCount;
  total.averageLatencyMs = finished === 0 ? 0 : total.totalLatencyMs / finished;
  for (const key of ['lastRequestAt', 'lastSuccessAt'] as const) if (total[key] === undefined) delete total[key];
  if (health) total.health = { ...health };
  return total;
}

function latest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}
