import { atLeast, atMost, integerSchema, parseOrThrow } from '@kit/core/provider-utils';
import * as z from 'zod/mini';
import { modelPriceSchema, type PricingFunction } from './model-pricing';

/** Default histogram bounds in milliseconds: from 25 ms to 2 minutes. */
export const DEFAULT_LATENCY_BUCKETS_MS: readonly number[] = [25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, 120_000];

/** Default `percentileWindow`. */
export const DEFAULT_PERCENTILE_WINDOW = 1024;

/** The largest accepted `percentileWindow` (8 MB of doubles per series would be a mistake, not a setting). */
const MAX_PERCENTILE_WINDOW = 1_000_000;

export interface ResolvedMetricsOptions {
  pricing: MetricsCollectorOptions['pricing'];
  percentileWindow: number;
  latencyBounds: Float64Array;
  now: () => number;
}

const isFunction = (value: unknown) => typeof value === 'function';

/** Each bound greater than the one before it, each problem named by its index (`latencyBucketsMs[1]`). */
function checkAscending(bounds: number[], context: { addIssue(issue: { code: 'custom'; message: string; path: number[]; input: unknown }): void }): void {
  for (let index = 1; index < bounds.length; index++) {
    if (!((bounds[index] as number) > (bounds[index - 1] as number))) {
      context.addIssue({ code: 'custom', message: 'must be greater than the bound before it', path: [index], input: bounds[index] });
    }
  }
}

/** Strict: an unknown or misspelt option is an `invalid_config` error naming it. (A pure IIFE: unused, it is shaken out.) */
const optionsSchema = /* @__PURE__ */ (() => {
  const bound = z.number({ error: 'must be a positive finite number' }).check(z.positive({ error: 'must be a positive finite number' }));
  return z.strictObject({
    /**
     * Prices for cost: a `PricingTable` (`{ [provider]: { [model or prefix]: ModelPrice } }`) or a function. Without
     * one every cost is 0 and `pricingMissing` is set. A default table ships in `@kit/metrics/pricing`.
     */
    pricing: z.optional(
      z.union([z.custom<PricingFunction>(isFunction), z.record(z.string(), z.record(z.string(), modelPriceSchema))], {
        error: 'must be a pricing table or a function',
      }),
    ),
    /** How many recent values each series keeps for its percentiles. Default 1024. */
    percentileWindow: z.optional(integerSchema().check(atLeast(1), atMost(MAX_PERCENTILE_WINDOW))),
    /**
     * Upper bounds (ms, ascending) of the latency and time-to-first-token histograms of the Prometheus export.
     * Default `DEFAULT_LATENCY_BUCKETS_MS` (25 ms … 120 s).
     */
    latencyBucketsMs: z.optional(
      z
        .array(bound, { error: 'must be a non-empty array of numbers' })
        .check(z.minLength(1, { error: 'must be a non-empty array of numbers' }), z.superRefine(checkAscending)),
    ),
    /** The clock (epoch ms) of `snapshot().takenAt` and `since`. Default `Date.now`. */
    now: z.optional(z.custom<() => number>(isFunction, { error: 'must be a function returning epoch milliseconds' })),
  });
})();

/** Options of `new MetricsCollector(options)`, inferred from the strict options schema. */
export type MetricsCollectorOptions = z.input<typeof optionsSchema>;

/** Validates the options; a bad value throws `KitError('invalid_config')` naming the field (`options.percentileWindow`). */
export function resolveMetricsOptions(options: unknown = {}): ResolvedMetricsOptions {
  const given = parseOrThrow(optionsSchema, options, 'invalid_config', { what: 'MetricsCollector', prefix: 'options' });
  return {
    pricing: given.pricing,
    percentileWindow: given.percentileWindow ?? DEFAULT_PERCENTILE_WINDOW,
    latencyBounds: Float64Array.from(given.latencyBucketsMs ?? DEFAULT_LATENCY_BUCKETS_MS),
    now: given.now ?? Date.now,
  };
}
