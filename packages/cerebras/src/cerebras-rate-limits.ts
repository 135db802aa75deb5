import {
  classifyUpstreamError,
  parseDuration,
  readRateLimitHeaders,
  type ErrorRefinement,
  type RateLimitHeaderNames,
  type UpstreamErrorResponse,
} from '@kit/core/provider-utils';

/**
 * Cerebras reports a per-day request budget and a per-minute token budget; resets are seconds from now
 * (`x-ratelimit-reset-requests-day: 33011.38`).
 */
export const cerebrasRateLimitHeaders: RateLimitHeaderNames = {
  requestsLimit: 'x-ratelimit-limit-requests-day',
  requestsRemaining: 'x-ratelimit-remaining-requests-day',
  requestsReset: 'x-ratelimit-reset-requests-day',
  tokensLimit: 'x-ratelimit-limit-tokens-minute',
  tokensRemaining: 'x-ratelimit-remaining-tokens-minute',
  tokensReset: 'x-ratelimit-reset-tokens-minute',
};

/** Reads Cerebras' rate-limit headers. */
export function readCerebrasRateLimits(headers: Headers, now: number) {
  return readRateLimitHeaders(headers, cerebrasRateLimitHeaders, now);
}

/**
 * Cerebras answers 429 `token_quota_exceeded` / `request_quota_exceeded` for its per-minute and per-day limits:
 * rate limits that reset within a day, not a billing quota; only core's evidence of an exhausted quota (an
 * `insufficient_quota` or `billing_error` identifier, a "credit balance is too low" message) keeps a 429 a quota
 * problem. Without a
 * `Retry-After`, the wait is the reset of the exhausted budget (the day's requests, else the minute's tokens),
 * so the key sleeps as long as Cerebras will refuse it and no longer.
 */
export function refineCerebrasError(response: UpstreamErrorResponse): ErrorRefinement | undefined {
  const { headers } = response;
  if (response.status !== 429 || classifyUpstreamError(response) === 'quota_exceeded') return undefined;
  const refinement: ErrorRefinement = { code: 'rate_limit' };
  if (headers.has('retry-after') || headers.has('retry-after-ms')) return refinement;
  const reset =
    headers.get('x-ratelimit-remaining-requests-day') === '0'
      ? headers.get('x-ratelimit-reset-requests-day')
      : headers.get('x-ratelimit-remaining-tokens-minute') === '0'
        ? headers.get('x-ratelimit-reset-tokens-minute')
        : null;
  const wait = reset ? parseDuration(reset) : undefined;
  if (wait !== undefined) refinement.retryAfterMs = Math.ceil(wait);
  return refinement;
}
