import { describe, expect, it } from 'vitest';
import { retryBackoffMs, retryDelayMs } from './backoff';
import { parseResetHeader, readRateLimitHeaders, openAIRateLimitHeaders } from './rate-limit-info';
import { parseDuration, parseRetryAfter } from './retry-after';

describe('parseRetryAfter', () => {
  it('reads retry-after-ms, seconds and HTTP dates', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '1500', 'retry-after': '9' }))).toBe(1500);
    expect(parseRetryAfter(new Headers({ 'retry-after': '3' }))).toBe(3000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:10 GMT' }), now)).toBe(10_000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(parseRetryAfter(new Headers())).toBeUndefined();
  });
});

describe('durations and rate-limit headers', () => {
  it('parses OpenAI reset durations', () => {
    expect(parseDuration('6m0s')).toBe(360_000);
    expect(parseDuration('20ms')).toBe(20);
    expect(parseDuration('1h2m3.5s')).toBe(3_723_500);
    expect(parseDuration('12')).toBe(12_000);
    expect(parseDuration('abc')).toBeUndefined();
  });

  it('reads x-ratelimit-* into absolute reset times', () => {
    const now = 1_000_000;
    const info = readRateLimitHeaders(
      new Headers({
        'x-ratelimit-limit-requests': '500',
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-reset-requests': '1s',
        'x-ratelimit-remaining-tokens': '900',
        'x-ratelimit-reset-tokens': '6m0s',
      }),
      openAIRateLimitHeaders,
      now,
    );
    expect(info).toEqual({ requestsLimit: 500, requestsRemaining: 0, requestsResetAt: now + 1000, tokensRemaining: 900, tokensResetAt: now + 360_000 });
    expect(readRateLimitHeaders(new Headers(), openAIRateLimitHeaders)).toBeUndefined();
    expect(parseResetHeader('2026-01-01T00:00:00Z', 0)).toBe(Date.parse('2026-01-01T00:00:00Z'));
    expect(parseResetHeader('1767225600', 0)).toBe(1_767_225_600_000);
  });
});

describe('retry backoff', () => {
  it('is 500 ms × 2ⁿ with ±20 % jitter, capped at 8 s', () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => retryBackoffMs(n, () => 0.5))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect(retryBackoffMs(0, () => 0)).toBe(400);
    expect(retryBackoffMs(0, () => 1)).toBe(600);
    expect(retryBackoffMs(10, () => 1)).toBe(8000);
  });

  it('honours a server hint however long: never sooner than asked (the engine fails fast when it does not fit the deadline)', () => {
    expect(retryDelayMs(0, 2500, () => 0.5)).toBe(2500);
    expect(retryDelayMs(0, 86_400_000, () => 0.5)).toBe(86_400_000);
    expect(retryDelayMs(1, undefined, () => 0.5)).toBe(1000);
  });
});
