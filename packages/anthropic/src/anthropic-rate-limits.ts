import type { RateLimitInfo } from '@kit/core';
import { readRateLimitHeaders, type RateLimitHeaderNames } from '@kit/core/provider-utils';

/**
 * Anthropic's `anthropic-ratelimit-*` headers (resets are RFC 3339 times). The `tokens` ones are the most
 * restrictive of the input and output token limits; `retry-after` is read by core with the error.
 */
export const anthropicRateLimitHeaders: RateLimitHeaderNames = {
  requestsLimit: 'anthropic-ratelimit-requests-limit',
  requestsRemaining: 'anthropic-ratelimit-requests-remaining',
  requestsReset: 'anthropic-ratelimit-requests-reset',
  tokensLimit: 'anthropic-ratelimit-tokens-limit',
  tokensRemaining: 'anthropic-ratelimit-tokens-remaining',
  tokensReset: 'anthropic-ratelimit-tokens-reset',
};

/** Reads Anthropic's rate-limit headers; `undefined` when the response has none. */
export function readAnthropicRateLimits(headers: Headers, now: number = Date.now()): RateLimitInfo | undefined {
  return readRateLimitHeaders(headers, anthropicRateLimitHeaders, now);
}
