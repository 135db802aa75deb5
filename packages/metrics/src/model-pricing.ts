import { atLeast } from '@kit/core/provider-utils';
import type { Usage } from '@kit/core';
import * as z from 'zod/mini';

/**
 * One model's price, strict, so a misspelt field (`cachedInputPerMtok`) is an error rather than a silent default.
 * (A pure IIFE: a bundle that never validates prices drops it.)
 */
export const modelPriceSchema = /* @__PURE__ */ (() => {
  const amount = () => z.number().check(atLeast(0));
  return z.strictObject({
    /** Uncached input (prompt) tokens. */
    inputPerMTok: amount(),
    /** Output tokens, reasoning tokens included. */
    outputPerMTok: amount(),
    /** Input tokens read from the provider's prompt cache; default `inputPerMTok`. */
    cachedInputPerMTok: z.optional(amount()),
    /** Input tokens written to the provider's prompt cache (Anthropic bills them higher); default `inputPerMTok`. */
    cacheWriteInputPerMTok: z.optional(amount()),
  });
})();

/** What a model costs, in US dollars per million tokens. */
export type ModelPrice = z.infer<typeof modelPriceSchema>;

/**
 * Prices by provider name, then by model id or id prefix: `{ openai: { 'gpt-4.1-mini': {...}, 'gpt-4.1': {...} } }`.
 * An exact model id wins; otherwise the longest key the id starts with, followed by a separator (`-`, `@`, `:`, `_`
 * or `/`): `gpt-4.1` prices `gpt-4.1-2025-04-14` but not `gpt-4.10`. A `vendor/model` id (routers) is also tried
 * as `model`. The provider key `'*'` applies to every provider without an entry of its own.
 */
export type PricingTable = Readonly<Record<string, Readonly<Record<string, ModelPrice>>>>;

/**
 * Prices computed by your own code, asked with the provider name and the model id (the order of a `PricingTable`'s
 * keys and of `estimateCost(provider, model, usage)`): return `undefined` for "unknown model".
 */
export type PricingFunction = (provider: string, model: string) => ModelPrice | undefined;

/** A `PricingTable` or a `PricingFunction`. */
export type Pricing = PricingTable | PricingFunction;

/** The cost of one usage, in US dollars. */
export interface CostEstimate {
  /** Input cost, cached input included. */
  input: number;
  output: number;
  total: number;
  currency: 'USD';
  /** No price is known for the model: every amount is 0. */
  pricingMissing: boolean;
}

/** Finds a model's price in a table (see `PricingTable` for the matching rules). */
export function lookupPrice(table: PricingTable, provider: string, model: string): ModelPrice | undefined {
  const models = table[provider] ?? table['*'];
  if (!models || !model) return undefined;
  const found = exactOrLongestPrefix(models, model);
  if (found) return found;
  const slash = model.lastIndexOf('/');
  return slash >= 0 && slash < model.length - 1 ? exactOrLongestPrefix(models, model.slice(slash + 1)) : undefined;
}

function exactOrLongestPrefix(models: Readonly<Record<string, ModelPrice>>, model: string): ModelPrice | undefined {
  if (Object.hasOwn(models, model)) return models[model];
  let best: string | undefined;
  for (const key in models) {
    if (
      key &&
      model.length > key.length &&
      model.startsWith(key) &&
      isSeparator(model.charCodeAt(key.length)) &&
      (best === undefined || key.length > best.length)
    ) {
      best = key;
    }
  }
  return best === undefined ? undefined : models[best];
}

/** `-`, `@`, `:`, `_` or `/`: where a model id's variant or date suffix starts. */
function isSeparator(code: number): boolean {
  return code === 45 || code === 64 || code === 58 || code === 95 || code === 47;
}

/**
 * Input cost of a usage in dollars. `inputTokens` includes `cachedInputTokens` and `cacheWriteInputTokens` (as every
 * @kit provider reports them), so the cache reads are billed at `cachedInputPerMTok`, the cache writes at
 * `cacheWriteInputPerMTok` and the rest at `inputPerMTok`. Neither part can exceed the input.
 */
export function inputCost(price: ModelPrice, inputTokens: number, cachedInputTokens: number, cacheWriteInputTokens = 0): number {
  const cached = Math.min(cachedInputTokens, inputTokens);
  const written = Math.min(cacheWriteInputTokens, inputTokens - cached);
  const plain = inputTokens - cached - written;
  const inputPrice = price.inputPerMTok;
  return (plain * inputPrice + cached * (price.cachedInputPerMTok ?? inputPrice) + written * (price.cacheWriteInputPerMTok ?? inputPrice)) / 1_000_000;
}

/** Output cost of a usage in dollars (reasoning tokens are part of `outputTokens`). */
export function outputCost(price: ModelPrice, outputTokens: number): number {
  return (outputTokens * price.outputPerMTok) / 1_000_000;
}

/** The cost of a usage at a price (`undefined`: unknown, so 0 with `pricingMissing`). */
export function costOf(price: ModelPrice | undefined, usage: Partial<Usage>): CostEstimate {
  if (!price) return { input: 0, output: 0, total: 0, currency: 'USD', pricingMissing: true };
  const input = inputCost(price, count(usage.inputTokens), count(usage.cachedInputTokens), count(usage.cacheWriteInputTokens));
  const output = outputCost(price, count(usage.outputTokens));
  return { input, output, total: input + output, currency: 'USD', pricingMissing: false };
}

/** A token count from an event: anything but a finite non-negative number counts as 0. */
export function count(value: number | undefined): number {
  return typeof value === 'number' && value > 0 && value !== Number.POSITIVE_INFINITY ? value : 0;
}

/** Whether a value is a usable price (non-negative finite numbers). */
export function isModelPrice(value: unknown): value is ModelPrice {
  if (typeof value !== 'object' || value === null) return false;
  const price = value as Record<string, unknown>;
  return (
    isAmount(price.inputPerMTok) &&
    isAmount(price.outputPerMTok) &&
    (price.cachedInputPerMTok === undefined || isAmount(price.cachedInputPerMTok)) &&
    (price.cacheWriteInputPerMTok === undefined || isAmount(price.cacheWriteInputPerMTok))
  );
}

function isAmount(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
