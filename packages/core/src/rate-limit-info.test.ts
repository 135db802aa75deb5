import { describe, expect, it } from 'vitest';
import { openAIRateLimitHeaders, readRateLimitHeaders } from './rate-limit-info';

describe('readRateLimitHeaders', () => {
  it("reads OpenAI-style headers (names from OpenAI's rate-limit guide)", () => {
    const headers = new Headers({
      'x-ratelimit-limit-requests': '60',
      'x-ratelimit-remaining-requests': '59',
      'x-ratelimit-reset-requests': '1s',
      'x-ratelimit-limit-tokens': '150000',
      'x-ratelimit-remaining-tokens': '149984',
      'x-ratelimit-reset-tokens': '6m0s',
    });
    expect(readRateLimitHeaders(headers, openAIRateLimitHeaders, 1_000)).toEqual({
      requestsLimit: 60,
      requestsRemaining: 59,
      requestsResetAt: 2_000,
      tokensLimit: 150_000,
      tokensRemaining: 149_984,
      tokensResetAt: 361_000,
    });
  });

  it('reads a response that only reports tokens', () => {
    const headers = new Headers({ 'x-ratelimit-remaining-tokens': '10', 'x-ratelimit-limit-tokens': '100' });
    expect(readRateLimitHeaders(headers, openAIRateLimitHeaders, 0)).toEqual({ tokensRemaining: 10, tokensLimit: 100 });
  });

  it('gives nothing for a response without a remaining count (two look-ups, not six)', () => {
    const looked: string[] = [];
    const headers = new Headers({ 'content-type': 'application/json', 'x-ratelimit-limit-requests': '60' });
    const spy = new Proxy(headers, {
      get(target, property) {
        const value = Reflect.get(target, property, target);
        return typeof value === 'function'
          ? (...args: unknown[]) => {
              looked.push(`${String(property)}:${String(args[0])}`);
              return value.apply(target, args);
            }
          : value;
      },
    });
    expect(readRateLimitHeaders(spy, openAIRateLimitHeaders)).toBeUndefined();
    expect(looked).toHaveLength(2);
  });
});
