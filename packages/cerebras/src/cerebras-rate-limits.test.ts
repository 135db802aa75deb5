import { createUpstreamError } from '@kit/core/provider-utils';
import { describe, expect, it } from 'vitest';
import { readCerebrasRateLimits, refineCerebrasError } from './cerebras-rate-limits';

// As in Cerebras' docs: resets are seconds from now, with fractions.
const headers = {
  'x-ratelimit-limit-requests-day': '14400',
  'x-ratelimit-limit-tokens-minute': '60000',
  'x-ratelimit-remaining-requests-day': '14397',
  'x-ratelimit-remaining-tokens-minute': '59100',
  'x-ratelimit-reset-requests-day': '33011.382867097855',
  'x-ratelimit-reset-tokens-minute': '11.382867097854614',
};

describe('Cerebras rate limits', () => {
  it('reads the per-day request and per-minute token headers', () => {
    const now = 1_700_000_000_000;
    const info = readCerebrasRateLimits(new Headers(headers), now);
    expect(info).toMatchObject({ requestsLimit: 14400, requestsRemaining: 14397, tokensLimit: 60000, tokensRemaining: 59100 });
    expect(info?.requestsResetAt).toBeCloseTo(now + 33_011_383, -1);
    expect(info?.tokensResetAt).toBeCloseTo(now + 11_383, -1);
    expect(readCerebrasRateLimits(new Headers({ 'x-ratelimit-limit-requests': '5' }), now)).toBeUndefined();
  });

  it("reads a quota 429 as a rate limit whose wait is the exhausted budget's reset", () => {
    const body = {
      message: 'Requests per day limit exceeded - too many requests sent.',
      type: 'too_many_requests_error',
      param: 'quota',
      code: 'request_quota_exceeded',
    };
    const dayGone = new Headers({ ...headers, 'x-ratelimit-remaining-requests-day': '0' });
    expect(refineCerebrasError({ status: 429, body, headers: dayGone })).toEqual({ code: 'rate_limit', retryAfterMs: 33_011_383 });
    const minuteGone = new Headers({ ...headers, 'x-ratelimit-remaining-tokens-minute': '0' });
    expect(refineCerebrasError({ status: 429, body, headers: minuteGone })).toEqual({ code: 'rate_limit', retryAfterMs: 11_383 });
    expect(
      refineCerebrasError({ status: 429, body, headers: new Headers({ ...headers, 'x-ratelimit-remaining-tokens-minute': '0', 'retry-after': '2' }) }),
    ).toEqual({
      code: 'rate_limit',
    });
    const billing = { message: 'Payment required: insufficient credit balance', type: 'billing_error' };
    expect(refineCerebrasError({ status: 429, body: billing, headers: minuteGone })).toBeUndefined();
    expect(refineCerebrasError({ status: 500, body, headers: dayGone })).toBeUndefined();
    const error = createUpstreamError({ status: 429, body, headers: minuteGone }, { provider: 'cerebras', refine: refineCerebrasError });
    expect(error).toMatchObject({ code: 'rate_limit', retryAfterMs: 11_383 });
  });
});

describe('Cerebras quota 429s and the word "billing"', () => {
  it('a rate limit whose message mentions billing or credits is still a rate limit; only real quota evidence is not', () => {
    // Constructed for this test (not transcribed): Cerebras' 429 shape with an upgrade hint in the message.
    const hinted = {
      message: 'Tokens per minute limit exceeded. Upgrade your plan at https://cloud.cerebras.ai/billing for more credits.',
      type: 'too_many_requests_error',
      param: 'quota',
      code: 'token_quota_exceeded',
    };
    expect(refineCerebrasError({ status: 429, body: hinted, headers: new Headers() })).toEqual({ code: 'rate_limit' });
    const exhausted = { message: 'You exceeded your current quota.', type: 'insufficient_quota', code: 'insufficient_quota' };
    expect(refineCerebrasError({ status: 429, body: exhausted, headers: new Headers() })).toBeUndefined();
  });
});
