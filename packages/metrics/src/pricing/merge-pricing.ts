import type { PricingTable } from '../model-pricing';

/**
 * Merges pricing tables: later tables override earlier ones model by model, so
 * `mergePricing(defaultPricing, { openai: { 'my-fine-tune': {...} } })` keeps every other default price.
 */
export function mergePricing(...tables: readonly PricingTable[]): PricingTable {
  const merged: Record<string, Record<string, PricingTable[string][string]>> = {};
  for (const table of tables) {
    for (const provider of Object.keys(table)) merged[provider] = { ...merged[provider], ...table[provider] };
  }
  return merged;
}
