import { custom, number, optional, parseOrThrow, record, strictObject, type SchemaIssue } from '@kit/core';
import type { Pricing } from './model-pricing';

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

const isFunction = (value: unknown) => typeof value === 'function';
const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const amount = /* @__PURE__ */ (() => number({ min: 0 }))();

/** One model's price: strict, so a misspelt field (`cachedInputPerMtok`) is an error rather than a silent default. */
const modelPriceSchema = /* @__PURE__ */ (() =>
  strictObject({ inputPerMTok: amount, outputPerMTok: amount, cachedInputPerMTok: optional(amount), cacheWriteInputPerMTok: optional(amount) }))();

/** `{ [provider]: { [model]: ModelPrice } }`, each entry checked under its own path (`pricing.openai.gpt-x`). */
const pricingTableSchema = /* @__PURE__ */ (() => record(record(modelPriceSchema)))();

/** Ascending positive finite bounds, each problem named by its index (`latencyBucketsMs[1]`). */
const checkBounds = (input: unknown, path: PropertyKey[], issues: SchemaIssue[]): void => {
  (input as unknown[]).forEach((bound, index) => {
    const at = [...path, index];
    if (typeof bound !== 'number' || !Number.isFinite(bound) || bound <= 0) issues.push({ path: at, message: 'must be a positive finite number' });
    else if (index > 0 && !(bound > ((input as unknown[])[index - 1] as number))) issues.push({ path: at, message: 'must be greater than the bound before it' });
  });
};

/** Strict: an unknown or misspelt option is an `invalid_config` error naming it (the same checker as every package). */
const optionsSchema = /* @__PURE__ */ (() =>
  strictObject({
    pricing: optional(
      custom<Pricing>((value) => isFunction(value) || isPlainObject(value), 'must be a pricing table or a function', (input, path, issues) => {
        if (!isFunction(input)) pricingTableSchema.check(input, path, issues);
      }),
    ),
    percentileWindow: optional(number({ int: true, min: 1, max: MAX_PERCENTILE_WINDOW })),
    latencyBucketsMs: optional(custom<readonly number[]>((value) => Array.isArray(value) && value.length > 0, 'must be a non-empty array of numbers', checkBounds)),
    now: optional(custom<() => number>(isFunction, 'must be a function returning epoch milliseconds')),
  }))();

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
