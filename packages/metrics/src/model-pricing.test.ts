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
    expect(snapshot.byCredential['openai:key-1']?.tokens).toEqual({ input: 2_500_000, output: 1_100_000, cached: 400_000, reasoning: 0, total: 3_600_000 });
  });

  it('a pricing function is asked per success; a throwing one counts as an unknown price', () => {
    const asked: string[] = [];
    const metrics = new MetricsCollector({
      pricing: (model, provider) => {
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
});
