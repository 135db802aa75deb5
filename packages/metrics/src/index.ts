/**
 * `MetricsCollector`: provider-, model- and credential-level metrics with percentiles, cost, subscriptions,
 * Prometheus text and JSON export.
 *
 * @module @kit/metrics
 */
export { MetricsCollector } from './metrics-collector';
export { DEFAULT_LATENCY_BUCKETS_MS, DEFAULT_PERCENTILE_WINDOW, type MetricsCollectorOptions } from './metrics-collector-options';
export type { CredentialHealthEntry, CredentialMetrics, CostTotals, MetricsSnapshot, SeriesMetrics, TokenTotals } from './metrics-snapshot';
export type { LatencySummary } from './duration-stats';
export type { CostEstimate, ModelPrice, Pricing, PricingFunction, PricingTable } from './model-pricing';
export type { MetricsEventFilter, MetricsEventListener } from './event-subscriptions';
export { escapeLabelValue, PROMETHEUS_CONTENT_TYPE } from './prometheus-exposition';
export { formatMetricsTable, type MetricsTableBreakdown } from './format-metrics-table';
