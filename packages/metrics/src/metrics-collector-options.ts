import { KitError } from '@kit/core';
import { isModelPrice, type Pricing } from './model-pricing';

/** Options of `new MetricsCollector(options)`. */
export interface MetricsCollectorOptions {
  /**
   * Prices for cost: a `PricingTable` (`{ [provider]: { [model or prefix]: ModelPrice } }`) or a function. Without
   * one every cost is 0 and `pricingMissing` is set. A default table ships in `@kit/metrics/pricing`.
   */
  pricing?: Pricing;
  /** How many recent values each series keeps for its percentiles. Default 1024. */
  percentileWindow?: number;
  /**
   * Upper bounds (ms, ascending) of the latency and time-to-first-token histograms of the Prometheus export.
   * Default `DEFAULT_LATENCY_BUCKETS_MS` (25 ms … 120 s).
   */
  latencyBucketsMs?: readonly number[];
  /** The clock (epoch ms) of `snapshot().takenAt` and `since`. Default `Date.now`. */
  now?: () => number;
}

/** Default histogram bounds in milliseconds: from 25 ms to 2 minutes. */
export const DEFAULT_LATENCY_BUCKETS_MS: readonly number[] = [25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, 120_000];

/** Default `percentileWindow`. */
export const DEFAULT_PERCENTILE_WINDOW = 1024;

/** The largest accepted `percentileWindow` (8 MB of doubles per series would be a mistake, not a setting). */
const MAX_PERCENTILE_WINDOW = 1_000_000;

export interface ResolvedMetricsOptions {
  pricing: Pricing | undefined;
  percentileWindow: number;
  latencyBounds: Float64Array;
  now: () => number;
}

function invalid(field: string, problem: string): KitError {
  return new KitError('invalid_config', `invalid MetricsCollector options: ${field}: ${problem}`);
}

/** Validates the options; a bad value throws `KitError('invalid_config')` naming the field. */
export function resolveMetricsOptions(options: MetricsCollectorOptions | undefined): ResolvedMetricsOptions {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null) throw invalid('options', 'must be an object');
  const known = new Set(['pricing', 'percentileWindow', 'latencyBucketsMs', 'now']);
  for (const key of Object.keys(options)) if (!known.has(key)) throw invalid(key, 'unknown option');

  const { pricing, percentileWindow = DEFAULT_PERCENTILE_WINDOW, latencyBucketsMs = DEFAULT_LATENCY_BUCKETS_MS, now = Date.now } = options;
  if (pricing !== undefined && typeof pricing !== 'function') {
    if (typeof pricing !== 'object' || pricing === null || Array.isArray(pricing)) throw invalid('pricing', 'must be a pricing table or a function');
    for (const [provider, models] of Object.entries(pricing)) {
      if (typeof models !== 'object' || models === null || Array.isArray(models)) throw invalid(`pricing.${provider}`, 'must be an object of model prices');
      for (const [model, price] of Object.entries(models)) {
        if (!isModelPrice(price)) {
          throw invalid(`pricing.${provider}.${model}`, 'must be { inputPerMTok, outputPerMTok, cachedInputPerMTok? } with non-negative numbers');
        }
      }
    }
  }
  if (!Number.isInteger(percentileWindow) || percentileWindow < 1 || percentileWindow > MAX_PERCENTILE_WINDOW) {
    throw invalid('percentileWindow', `must be an integer from 1 to ${MAX_PERCENTILE_WINDOW}`);
  }
  if (!Array.isArray(latencyBucketsMs) || latencyBucketsMs.length === 0) throw invalid('latencyBucketsMs', 'must be a non-empty array of numbers');
  latencyBucketsMs.forEach((bound, index) => {
    if (typeof bound !== 'number' || !Number.isFinite(bound) || bound <= 0) throw invalid(`latencyBucketsMs[${index}]`, 'must be a positive finite number');
    if (index > 0 && bound <= (latencyBucketsMs[index - 1] as number)) throw invalid(`latencyBucketsMs[${index}]`, 'must be greater than the bound before it');
  });
  if (typeof now !== 'function') throw invalid('now', 'must be a function returning epoch milliseconds');
  return { pricing, percentileWindow, latencyBounds: Float64Array.from(latencyBucketsMs), now };
}
