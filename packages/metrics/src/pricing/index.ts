export { defaultPricing, DEFAULT_PRICING_DATE } from './default-pricing';
export { mergePricing } from './merge-pricing';
export type { ModelPrice, PricingTable } from '../model-pricing';
