/**
 * The default price table for current flagship models, in its own entry so it is bundled only when imported.
 *
 * @module @kit/metrics/pricing
 */
export { defaultPricing, DEFAULT_PRICING_DATE } from './default-pricing';
export { mergePricing } from './merge-pricing';
export type { ModelPrice, PricingTable } from '../model-pricing';
