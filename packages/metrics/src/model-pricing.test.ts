import { describe, expect, it } from 'vitest';
import { MetricsCollector } from './metrics-collector';
import { costOf, lookupPrice, type PricingTable } from './model-pricing';
import { events } from './test-events';

const table: PricingTable = {
  openai: {
    'gpt-4.1': { inputPerMTok: 2, outputPerMTok: 8, cachedInputPerMTok: 0.5 },
    'gpt-4.1-mini': { inputPerMTok: 0.4, outputPerMTok: 1.6, cachedInputPerMTok: 0.1 },
  },
  '*': { 'llama-3.3-70b': { inputPerMTok: 0.6, outputPerMTok: 0.6 } },
};

describe('lookupPrice', () => {
  it('prefers the exact id, then the longest prefix followed by a separator', () => {
    expect(lookupPrice(table, 'openai', 'gpt-4.1')?.inputPerMTok).toBe(2);
    expect(lookupPrice(table, 'openai', 'gpt-4.1-mini')?.inputPerMTok).toBe(0.4);
    expect(lookupPrice(table, 'openai', 'gpt-4.1-mini-2025-04-14')?.inputPerMTok).toBe(0.4);
    expect(lookupPrice(table, 'openai', 'gpt-4.1-2025-04-14')?.inputPerMTok).toBe(2);
    expect(lookupPrice(table, 'openai', 'gpt-4.10')).toBeUndefined();
    expect(lookupPrice(table, 'openai', 'gpt-4')).toBeUndefined();
    expect(lookupPrice(table, 'openai', '')).toBeUndefined();
  });

  it('tries `vendor/model` ids as `model`, and falls back to the "*" provider', () => {
    expect(lookupPrice(table, 'openai', 'openai/gpt-4.1-mini')?.inputPerMTok).toBe(0.4);
    expect(lookupPrice(table, 'groq', 'llama-3.3-70b')?.outputPerMTok).toBe(0.6);
    expect(lookupPrice(table, 'groq', 'gpt-4.1')).toBeUndefined();
  });
});

describe('cost', () => {
  it('without cached tokens: input and output at list price', () => {
    expect(costOf(table.openai?.['gpt-4.1'], { inputTokens: 1_000_000, outputTokens: 500_000 })).toEqual({
      input: 2,
      output: 4,
      total: 6,
      currency: 'USD',
      pricingMissing: false,
    });
  });

  it('with cached tokens: the cached part of the input at the cached price', () => {
    // 1M input of which 400k cached: 600k × $2 + 400k × $0.5 = $1.40; 100k output × $8 = $0.80.
    const cost = costOf(table.openai?.['gpt-4.1'], { inputTokens: 1_000_000, cachedInputTokens: 400_000, outputTokens: 100_000 });
    expect(cost.input).toBeCloseTo(1.4, 12);
    expect(cost.output).toBeCloseTo(0.8, 12);
    expect(cost.total).toBeCloseTo(2.2, 12);
  });

  it('without a cached price, cached tokens cost the input price; cached never exceeds input', () => {
    expect(costOf({ inputPerMTok: 1, outputPerMTok: 1 }, { inputTokens: 1_000_000, cachedInputTokens: 500_000 }).input).toBeCloseTo(1, 12);
    expect(costOf({ inputPerMTok: 1, outputPerMTok: 1, cachedInputPerMTok: 0 }, { inputTokens: 100, cachedInputTokens: 5_000 }).input).toBe(0);
  });

  it('with cache writes: the written part of the input at the cache-write price, by default the input price', () => {
    const price = { inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 0.3, cacheWriteInputPerMTok: 3.75 };
    // 1M input: 200k read from the cache, 400k written to it, 400k plain: 0.2 × 0.3 + 0.4 × 3.75 + 0.4 × 3 = 2.76.
    expect(costOf(price, { inputTokens: 1_000_000, cachedInputTokens: 200_000, cacheWriteInputTokens: 400_000 }).input).toBeCloseTo(2.76, 12);
    // No cache-write price: writes cost the input price.
    expect(costOf({ inputPerMTok: 3, outputPerMTok: 15 }, { inputTokens: 1_000_000, cacheWriteInputTokens: 400_000 }).input).toBeCloseTo(3, 12);
    // Reads and writes never exceed the input.
    expect(costOf(price, { inputTokens: 100, cachedInputTokens: 60, cacheWriteInputTokens: 1_000 }).input).toBeCloseTo((60 * 0.3 + 40 * 3.75) / 1e6, 15);
  });

  it('unknown model: 0 and pricingMissing', () => {
    expect(costOf(undefined, { inputTokens: 10, outputTokens: 10 })).toEqual({ input: 0, output: 0, total: 0, currency: 'USD', pricingMissing: true });
  });

  it('the collector adds costs per series, flags models without a price and never crashes on them', () => {
    const metrics = new MetricsCollector({ pricing: table });
    const priced = events({ model: 'gpt-4.1', credentialId: 'key-1' });
    const unpriced = events({ model: 'gpt-unknown', credentialId: 'key-1' });
    metrics.record(priced.success(10, { inputTokens: 1_000_000, cachedInputTokens: 400_000, outputTokens: 100_000, totalTokens: 1_100_000 }));
    metrics.record(priced.success(10, { inputTokens: 500_000, outputTokens: 0, totalTokens: 500_000 }));
    metrics.record(unpriced.success(10, { inputTokens: 1_000_000, outputTokens: 1_000_000, totalTokens: 2_000_000 }));
    const snapshot = metrics.snapshot();
    expect(snapshot.byModel['gpt-4.1']?.cost.total).toBeCloseTo(2.2 + 1, 12);
    expect(snapshot.byModel['gpt-4.1']?.pricingMissing).toBe(false);
    expect(snapshot.byModel['gpt-unknown']).toMatchObject({ cost: { input: 0, output: 0, total: 0, currency: 'USD' }, pricingMissing: true });
    expect(snapshot.totals.cost.total).toBeCloseTo(3.2, 12);
    expect(snapshot.totals.pricingMissing).toBe(true);
    expect(snapshot.byCredential['openai:key-1']?.cost.input).toBeCloseTo(1.4 + 1, 12);
    expect(snapshot.byCredential['openai:key-1']?.tokens).toEqual({
      input: 2_500_000,
      output: 1_100_000,
      cached: 400_000,
      cacheWrite: 0,
      reasoning: 0,
      total: 3_600_000,
    });
  });

  it('the collector reports cache-write tokens and prices them at cacheWriteInputPerMTok', () => {
    const metrics = new MetricsCollector({
      pricing: { anthropic: { 'claude-sonnet-4': { inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 0.3, cacheWriteInputPerMTok: 3.75 } } },
    });
    const claude = events({ provider: 'anthropic', model: 'claude-sonnet-4-5', credentialId: 'key-1' });
    metrics.record(claude.start());
    metrics.record(claude.success(10, { inputTokens: 1_000_000, cacheWriteInputTokens: 1_000_000, outputTokens: 0, totalTokens: 1_000_000 }));
    const snapshot = metrics.snapshot();
    expect(snapshot.totals.tokens).toEqual({ input: 1_000_000, output: 0, cached: 0, cacheWrite: 1_000_000, reasoning: 0, total: 1_000_000 });
    expect(snapshot.totals.cost.input).toBeCloseTo(3.75, 12);
    expect(metrics.estimateCost('anthropic', 'claude-sonnet-4', { inputTokens: 2_000_000, cacheWriteInputTokens: 1_000_000 }).input).toBeCloseTo(6.75, 12);
    expect(metrics.toPrometheus()).toContain(
      'kit_tokens_total{provider="anthropic",model="claude-sonnet-4-5",credential="key-1",direction="cache_write_input"} 1000000\n',
    );
  });

  it('a pricing function is asked (provider, model) per success; a throwing one counts as an unknown price', () => {
    const asked: string[] = [];
    const metrics = new MetricsCollector({
      pricing: (provider, model) => {
        asked.push(`${provider}/${model}`);
        if (model === 'broken') throw new Error('no');
        return model === 'cheap' ? { inputPerMTok: 1, outputPerMTok: 2 } : undefined;
      },
    });
    metrics.record(events({ model: 'cheap' }).success(5, { inputTokens: 1_000_000, outputTokens: 1_000_000 }));
    metrics.record(events({ model: 'cheap' }).success(5, { inputTokens: 1_000_000, outputTokens: 0 }));
    metrics.record(events({ model: 'broken' }).success(5, { inputTokens: 1 }));
    expect(asked).toEqual(['openai/cheap', 'openai/cheap', 'openai/broken']);
    const snapshot = metrics.snapshot();
    expect(snapshot.byModel.cheap?.cost.total).toBeCloseTo(4, 12);
    expect(snapshot.byModel.broken?.pricingMissing).toBe(true);
    expect(metrics.estimateCost('openai', 'cheap', { inputTokens: 500_000, outputTokens: 0 }).total).toBeCloseTo(0.5, 12);
  });

  it('the pricing function takes its arguments in the order of the table and of estimateCost', () => {
    const metrics = new MetricsCollector({
      pricing: (provider, model) => (provider === 'anthropic' && model === 'claude-x' ? { inputPerMTok: 2, outputPerMTok: 0 } : undefined),
    });
    expect(metrics.estimateCost('anthropic', 'claude-x', { inputTokens: 1_000_000 })).toMatchObject({ total: 2, pricingMissing: false });
    expect(metrics.estimateCost('claude-x', 'anthropic', { inputTokens: 1_000_000 }).pricingMissing).toBe(true);
    // A price that is not one (negative, not a number) counts as unknown.
    const odd = new MetricsCollector({ pricing: () => ({ inputPerMTok: -1, outputPerMTok: 1 }) });
    expect(odd.estimateCost('openai', 'm', { inputTokens: 10 }).pricingMissing).toBe(true);
  });
});
