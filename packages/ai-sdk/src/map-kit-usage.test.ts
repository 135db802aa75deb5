import { describe, expect, it } from 'vitest';
import { mapKitFinishReason, mapKitUsage } from './map-kit-usage';

describe('mapKitUsage', () => {
  it('splits cache reads and writes out of the input, and reasoning out of the output', () => {
    expect(
      mapKitUsage({ inputTokens: 100, outputTokens: 40, totalTokens: 140, cachedInputTokens: 60, cacheWriteInputTokens: 10, reasoningTokens: 25 }),
    ).toEqual({
      inputTokens: { total: 100, noCache: 30, cacheRead: 60, cacheWrite: 10 },
      outputTokens: { total: 40, text: 15, reasoning: 25 },
      raw: { inputTokens: 100, outputTokens: 40, totalTokens: 140, cachedInputTokens: 60, cacheWriteInputTokens: 10, reasoningTokens: 25 },
    });
  });

  it('leaves unknown breakdowns undefined', () => {
    expect(mapKitUsage({ inputTokens: 3, outputTokens: 2, totalTokens: 5 })).toMatchObject({
      inputTokens: { total: 3, noCache: 3, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: 2, text: 2, reasoning: undefined },
    });
  });
});

describe('mapKitFinishReason', () => {
  it('is the unified reason, with @kit word as raw', () => {
    expect(mapKitFinishReason('content-filter')).toEqual({ unified: 'content-filter', raw: 'content-filter' });
  });
});
