import { describe, expect, it } from 'vitest';
import { MetricsCollector } from '../metrics-collector';
import { isModelPrice, lookupPrice } from '../model-pricing';
import { DEFAULT_PRICING_DATE, defaultPricing, mergePricing } from './index';

describe('defaultPricing', () => {
  it('is dated and covers OpenAI, Anthropic, Gemini, Qwen and Cerebras with valid prices', () => {
    expect(DEFAULT_PRICING_DATE).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Object.keys(defaultPricing).sort()).toEqual(['anthropic', 'cerebras', 'gemini', 'openai', 'qwen']);
    for (const [provider, models] of Object.entries(defaultPricing)) {
      expect(Object.keys(models).length, provider).toBeGreaterThan(0);
      for (const [model, price] of Object.entries(models)) {
        expect(isModelPrice(price), `${provider}/${model}`).toBe(true);
        // A cached input is never dearer than an uncached one, nor output cheaper than zero.
        expect(price.cachedInputPerMTok ?? price.inputPerMTok, `${provider}/${model}`).toBeLessThanOrEqual(price.inputPerMTok);
      }
    }
  });

  it.each([
    ['openai', 'gpt-4.1-mini', 0.4],
    ['openai', 'gpt-4.1-mini-2025-04-14', 0.4],
    ['openai', 'gpt-4.1', 2],
    ['openai', 'gpt-5-mini-2025-08-07', 0.25],
    ['openai', 'gpt-5.5', 5],
    ['anthropic', 'claude-sonnet-4-5-20250929', 3],
    ['anthropic', 'claude-opus-4-1-20250805', 15],
    ['anthropic', 'claude-opus-4-5-20251101', 5],
    ['anthropic', 'claude-haiku-4-5@20251001', 1],
    ['gemini', 'gemini-2.5-flash', 0.3],
    ['gemini', 'gemini-2.5-flash-lite', 0.1],
    ['gemini', 'gemini-3-flash-preview', 0.5],
    ['qwen', 'qwen3-max', 1.2],
    ['cerebras', 'gpt-oss-120b', 0.35],
  ])('prices %s/%s at $%s per million input tokens', (provider, model, input) => {
    expect(lookupPrice(defaultPricing, provider, model)?.inputPerMTok).toBe(input);
  });

  it("prices Anthropic cache writes at 1.25× the input price (5-minute TTL), and no other provider's", () => {
    for (const [model, price] of Object.entries(defaultPricing.anthropic ?? {}))
      expect(price.cacheWriteInputPerMTok, model).toBeCloseTo(price.inputPerMTok * 1.25, 12);
    for (const provider of ['openai', 'gemini', 'qwen', 'cerebras']) {
      for (const price of Object.values(defaultPricing[provider] ?? {})) expect(price.cacheWriteInputPerMTok).toBeUndefined();
    }
    const metrics = new MetricsCollector({ pricing: defaultPricing });
    // 1M tokens written to the cache on Sonnet 4.5: $3.75 rather than $3.
    expect(metrics.estimateCost('anthropic', 'claude-sonnet-4-5-20250929', { inputTokens: 1_000_000, cacheWriteInputTokens: 1_000_000 }).input).toBeCloseTo(
      3.75,
      12,
    );
  });

  it('does not guess: an unlisted model of a listed family stays unpriced', () => {
    expect(lookupPrice(defaultPricing, 'openai', 'gpt-5.3')).toBeUndefined();
    // Shut down by Cerebras on 2026-05-27: no longer priced.
    expect(lookupPrice(defaultPricing, 'cerebras', 'qwen-3-235b-a22b-instruct-2507')).toBeUndefined();
    expect(lookupPrice(defaultPricing, 'openrouter', 'gpt-4.1')).toBeUndefined();
  });

  it('works as the collector pricing, and mergePricing overrides model by model', () => {
    const custom = mergePricing(defaultPricing, {
      openai: { 'gpt-4.1-mini': { inputPerMTok: 0, outputPerMTok: 0 }, 'my-tune': { inputPerMTok: 3, outputPerMTok: 12 } },
    });
    expect(custom.openai?.['gpt-4.1-mini']).toEqual({ inputPerMTok: 0, outputPerMTok: 0 });
    expect(custom.openai?.['my-tune']?.outputPerMTok).toBe(12);
    expect(custom.openai?.['gpt-4.1']).toEqual(defaultPricing.openai?.['gpt-4.1']);
    expect(custom.anthropic).toEqual(defaultPricing.anthropic);
    expect(defaultPricing.openai?.['gpt-4.1-mini']?.inputPerMTok).toBe(0.4);
    const metrics = new MetricsCollector({ pricing: custom });
    expect(metrics.estimateCost('openai', 'my-tune', { inputTokens: 1_000_000, outputTokens: 1_000_000 }).total).toBe(15);
    expect(
      new MetricsCollector({ pricing: defaultPricing }).estimateCost('cerebras', 'gpt-oss-120b', { inputTokens: 1_000_000, outputTokens: 1_000_000 }).total,
    ).toBeCloseTo(1.1, 12);
  });
});
