import { describe, expect, it } from 'vitest';
import { retryBackoffMs, retryDelayMs } from './backoff';
import { parseResetHeader, readRateLimitHeaders, openAIRateLimitHeaders } from './rate-limit-info';
import { parseDuration, parseRetryAfter, retryHintFromMessage, retryInfoDelayMs } from './retry-after';

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

describe('retryInfoDelayMs', () => {
  const withDetails = (details: unknown) => ({ error: { code: 429, status: 'RESOURCE_EXHAUSTED', details } });

  it('reads a google.rpc.RetryInfo retryDelay, in { error } and [{ error }] bodies', () => {
    expect(retryInfoDelayMs(withDetails([{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '2.5s' }]))).toBe(2500);
    expect(
      retryInfoDelayMs([
        withDetails([{ '@type': 'type.googleapis.com/google.rpc.Help' }, { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '36s' }]),
      ]),
    ).toBe(36_000);
  });

  it("ignores other details, a RetryInfo without a readable delay, and bodies that are not Google's", () => {
    expect(retryInfoDelayMs(withDetails([{ '@type': 'type.googleapis.com/google.rpc.QuotaFailure', retryDelay: '9s' }]))).toBeUndefined();
    expect(retryInfoDelayMs(withDetails([{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: { seconds: 4 } }]))).toBeUndefined();
    expect(retryInfoDelayMs(withDetails([null, 3, { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: 'soon' }]))).toBeUndefined();
    expect(retryInfoDelayMs(withDetails('x'))).toBeUndefined();
    expect(retryInfoDelayMs('<html>')).toBeUndefined();
    expect(retryInfoDelayMs(null)).toBeUndefined();
  });
});

describe('retryHintFromMessage', () => {
  it('reads "try again in" / "retry in" / "retry after" waits, rounded up to whole milliseconds', () => {
    expect(retryHintFromMessage('Please try again in 2s. Visit https://platform.openai.com/account/billing')).toBe(2000);
    expect(retryHintFromMessage('Please try again in 1m30s.')).toBe(90_000);
    expect(retryHintFromMessage('Please try again in 420ms.')).toBe(420);
    expect(retryHintFromMessage('Please try again in 1.984999999s. Need more tokens?')).toBe(1985);
    expect(retryHintFromMessage('Please try again in 9m38.016s.')).toBe(578_016);
    expect(retryHintFromMessage('Please retry in 36.429760048s.')).toBe(36_430);
    expect(retryHintFromMessage('Please retry after 86400 seconds. Please go here: https://aka.ms/oai/quotaincrease')).toBe(86_400_000);
    expect(retryHintFromMessage('Try again in 1 minute')).toBe(60_000);
  });

  it('finds no wait where none is named', () => {
    expect(retryHintFromMessage('Please try again later.')).toBeUndefined();
    expect(retryHintFromMessage('Please retry shortly, or add your own key')).toBeUndefined();
    expect(retryHintFromMessage('Limit 3 / min. Used 3.')).toBeUndefined();
    expect(retryHintFromMessage(undefined)).toBeUndefined();
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

  it('honours a server hint of up to 60 s exactly; past it the computed backoff applies, as in the official SDKs', () => {
    expect(retryDelayMs(0, 2500, () => 0.5)).toBe(2500);
    expect(retryDelayMs(0, 60_000, () => 0.5)).toBe(60_000);
    expect(retryDelayMs(0, 60_001, () => 0.5)).toBe(500);
    expect(retryDelayMs(2, 86_400_000, () => 0.5)).toBe(2000);
    expect(retryDelayMs(1, undefined, () => 0.5)).toBe(1000);
  });
});
