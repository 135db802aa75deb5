import type { RateLimitInfo } from '@kit/core';
import { anthropicRateLimitHeaders, readRateLimitHeaders } from '@kit/core/provider-utils';

export { anthropicRateLimitHeaders };

/** Reads Anthropic's rate-limit headers; `undefined` when the response has none. */
export function readAnthropicRateLimits(headers: Headers, now: number = Date.now()): RateLimitInfo | undefined {
  return readRateLimitHeaders(headers, anthropicRateLimitHeaders, now);
}
