import { describe, expect, it } from 'vitest';
import { readAnthropicRateLimits } from './anthropic-rate-limits';

describe('readAnthropicRateLimits', () => {
  it('reads the anthropic-ratelimit-* headers, resets as RFC 3339 times', () => {
    const headers = new Headers({
      'anthropic-ratelimit-requests-limit': '50',
      'anthropic-ratelimit-requests-remaining': '49',
      'anthropic-ratelimit-requests-reset': '2026-11-26T06:00:01Z',
      'anthropic-ratelimit-tokens-limit': '80000',
      'anthropic-ratelimit-tokens-remaining': '79000',
      'anthropic-ratelimit-tokens-reset': '2026-11-26T06:00:30Z',
      'anthropic-ratelimit-input-tokens-remaining': '40000',
    });
    expect(readAnthropicRateLimits(headers, 0)).toEqual({
      requestsLimit: 50,
      requestsRemaining: 49,
      requestsResetAt: Date.parse('2026-11-26T06:00:01Z'),
      tokensLimit: 80_000,
      tokensRemaining: 79_000,
      tokensResetAt: Date.parse('2026-11-26T06:00:30Z'),
    });
  });

  it('nothing when the response has none (OpenAI-style headers are not Anthropic’s)', () => {
    expect(readAnthropicRateLimits(new Headers({ 'x-ratelimit-remaining-requests': '3' }))).toBeUndefined();
  });
});
