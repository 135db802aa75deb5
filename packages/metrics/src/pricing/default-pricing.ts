import type { PricingTable } from '../model-pricing';

/** The day the default prices were last checked against the providers' public price lists. */
export const DEFAULT_PRICING_DATE = '2026-11-26';

/**
 * List prices (US dollars per million tokens, standard tier, shortest-context band) of current models of OpenAI,
 * Anthropic, Gemini, Qwen (DashScope international, API keys) and Cerebras, as published on
 * {@link DEFAULT_PRICING_DATE}. Keyed by the default provider names (`openai`, `anthropic`, `gemini`, `qwen`,
 * `cerebras`); ids match with the prefix rules of `PricingTable`, so dated snapshots price like their alias.
 *
 * Cache writes are priced for Anthropic only (1.25× input, the 5-minute TTL); other providers do not bill them
 * separately. Not modelled: long-context surcharges (OpenAI > 272K, Gemini > 200K, Qwen tiers), Anthropic's 1-hour
 * cache TTL (2× input), batch and priority tiers, Anthropic Haiku 5.5's > 100K band, and Qwen OAuth accounts
 * (free). Prices change: check them, and override or extend with `mergePricing(defaultPricing, yours)`.
 */
export const defaultPricing: PricingTable = {
  openai: {
    'gpt-6-astra': { inputPerMTok: 10, outputPerMTok: 50, cachedInputPerMTok: 1 },
    'gpt-6.2-sol': { inputPerMTok: 2, outputPerMTok: 10, cachedInputPerMTok: 0.1 },
    'gpt-6.1-sol': { inputPerMTok: 2, outputPerMTok: 10, cachedInputPerMTok: 0.1 },
    'gpt-6-sol': { inputPerMTok: 2, outputPerMTok: 10, cachedInputPerMTok: 0.2 },
    'gpt-6.1-terra': { inputPerMTok: 1, outputPerMTok: 5, cachedInputPerMTok: 0.05 },
    'gpt-6-luna': { inputPerMTok: 0.1, outputPerMTok: 0.5, cachedInputPerMTok: 0.01 },
    'gpt-5.6-terra': { inputPerMTok: 2, outputPerMTok: 12, cachedInputPerMTok: 0.2 },
    'gpt-5.6-luna': { inputPerMTok: 0.2, outputPerMTok: 1.2, cachedInputPerMTok: 0.02 },
    'gpt-5.5': { inputPerMTok: 5, outputPerMTok: 30, cachedInputPerMTok: 0.5 },
    'gpt-5.5-pro': { inputPerMTok: 30, outputPerMTok: 180 },
    'gpt-5.4': { inputPerMTok: 2.5, outputPerMTok: 15, cachedInputPerMTok: 0.25 },
    'gpt-5.4-pro': { inputPerMTok: 30, outputPerMTok: 180 },
    'gpt-5.4-mini': { inputPerMTok: 0.75, outputPerMTok: 4.5, cachedInputPerMTok: 0.075 },
    'gpt-5.4-nano': { inputPerMTok: 0.2, outputPerMTok: 1.25, cachedInputPerMTok: 0.02 },
    'gpt-5.2': { inputPerMTok: 1.75, outputPerMTok: 14, cachedInputPerMTok: 0.175 },
    'gpt-5.1': { inputPerMTok: 1.25, outputPerMTok: 10, cachedInputPerMTok: 0.125 },
    'gpt-5': { inputPerMTok: 1.25, outputPerMTok: 10, cachedInputPerMTok: 0.125 },
    'gpt-5-mini': { inputPerMTok: 0.25, outputPerMTok: 2, cachedInputPerMTok: 0.025 },
    'gpt-5-nano': { inputPerMTok: 0.05, outputPerMTok: 0.4, cachedInputPerMTok: 0.005 },
    'gpt-4.1': { inputPerMTok: 2, outputPerMTok: 8, cachedInputPerMTok: 0.5 },
    'gpt-4.1-mini': { inputPerMTok: 0.4, outputPerMTok: 1.6, cachedInputPerMTok: 0.1 },
    'gpt-4.1-nano': { inputPerMTok: 0.1, outputPerMTok: 0.4, cachedInputPerMTok: 0.025 },
    'gpt-4o': { inputPerMTok: 2.5, outputPerMTok: 10, cachedInputPerMTok: 1.25 },
    'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6, cachedInputPerMTok: 0.075 },
  },
  // Anthropic cache writes (`cacheWriteInputPerMTok`) at 1.25× the input price: the default 5-minute TTL. Writes
  // with the 1-hour TTL cost 2× and are not told apart in the usage @kit reports; price them yourself if you use it.
  anthropic: {
    'claude-fable-5-1': { inputPerMTok: 10, outputPerMTok: 50, cachedInputPerMTok: 0.25, cacheWriteInputPerMTok: 12.5 },
    'claude-fable-5': { inputPerMTok: 10, outputPerMTok: 50, cachedInputPerMTok: 1, cacheWriteInputPerMTok: 12.5 },
    'claude-opus-5-5': { inputPerMTok: 4, outputPerMTok: 20, cachedInputPerMTok: 0.2, cacheWriteInputPerMTok: 5 },
    'claude-opus-5': { inputPerMTok: 5, outputPerMTok: 25, cachedInputPerMTok: 0.5, cacheWriteInputPerMTok: 6.25 },
    'claude-opus-4-8': { inputPerMTok: 5, outputPerMTok: 25, cachedInputPerMTok: 0.5, cacheWriteInputPerMTok: 6.25 },
    'claude-opus-4-7': { inputPerMTok: 5, outputPerMTok: 25, cachedInputPerMTok: 0.5, cacheWriteInputPerMTok: 6.25 },
    'claude-opus-4-6': { inputPerMTok: 5, outputPerMTok: 25, cachedInputPerMTok: 0.5, cacheWriteInputPerMTok: 6.25 },
    'claude-opus-4-5': { inputPerMTok: 5, outputPerMTok: 25, cachedInputPerMTok: 0.5, cacheWriteInputPerMTok: 6.25 },
    'claude-opus-4-1': { inputPerMTok: 15, outputPerMTok: 75, cachedInputPerMTok: 1.5, cacheWriteInputPerMTok: 18.75 },
    'claude-opus-4': { inputPerMTok: 15, outputPerMTok: 75, cachedInputPerMTok: 1.5, cacheWriteInputPerMTok: 18.75 },
    'claude-sonnet-5-5': { inputPerMTok: 2, outputPerMTok: 10, cachedInputPerMTok: 0.1, cacheWriteInputPerMTok: 2.5 },
    'claude-sonnet-5': { inputPerMTok: 2, outputPerMTok: 10, cachedInputPerMTok: 0.2, cacheWriteInputPerMTok: 2.5 },
    'claude-sonnet-4': { inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 0.3, cacheWriteInputPerMTok: 3.75 },
    'claude-haiku-5-5': { inputPerMTok: 0.1, outputPerMTok: 0.5, cachedInputPerMTok: 0.01, cacheWriteInputPerMTok: 0.125 },
    'claude-haiku-4-5': { inputPerMTok: 1, outputPerMTok: 5, cachedInputPerMTok: 0.1, cacheWriteInputPerMTok: 1.25 },
    'claude-3-5-haiku': { inputPerMTok: 0.8, outputPerMTok: 4, cachedInputPerMTok: 0.08, cacheWriteInputPerMTok: 1 },
  },
  gemini: {
    'gemini-3.1-pro': { inputPerMTok: 2, outputPerMTok: 12, cachedInputPerMTok: 0.2 },
    'gemini-3-pro': { inputPerMTok: 2, outputPerMTok: 12, cachedInputPerMTok: 0.2 },
    'gemini-3-flash': { inputPerMTok: 0.5, outputPerMTok: 3, cachedInputPerMTok: 0.05 },
    'gemini-3.1-flash-lite': { inputPerMTok: 0.25, outputPerMTok: 1.5, cachedInputPerMTok: 0.025 },
    'gemini-2.5-pro': { inputPerMTok: 1.25, outputPerMTok: 10, cachedInputPerMTok: 0.125 },
    'gemini-2.5-flash': { inputPerMTok: 0.3, outputPerMTok: 2.5, cachedInputPerMTok: 0.03 },
    'gemini-2.5-flash-lite': { inputPerMTok: 0.1, outputPerMTok: 0.4, cachedInputPerMTok: 0.01 },
  },
  qwen: {
    'qwen3-max': { inputPerMTok: 1.2, outputPerMTok: 6 },
    'qwen3.5-plus': { inputPerMTok: 0.4, outputPerMTok: 2.4 },
    'qwen3.5-flash': { inputPerMTok: 0.1, outputPerMTok: 0.4 },
    'qwen3-coder-plus': { inputPerMTok: 1, outputPerMTok: 5 },
    'qwen-plus': { inputPerMTok: 0.4, outputPerMTok: 1.2 },
    'qwen-flash': { inputPerMTok: 0.05, outputPerMTok: 0.4 },
  },
  // `qwen-3-235b-a22b-instruct-2507` is gone: Cerebras shut it down on 2026-05-27 (its deprecations page).
  cerebras: {
    'gpt-oss-120b': { inputPerMTok: 0.35, outputPerMTok: 0.75 },
    'zai-glm-4.7': { inputPerMTok: 2.25, outputPerMTok: 2.75 },
  },
};
