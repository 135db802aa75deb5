import { parseDuration } from './retry-after';

/** Rate-limit state read from response headers. Reset times are epoch milliseconds. */
export interface RateLimitInfo {
  requestsLimit?: number;
  requestsRemaining?: number;
  requestsResetAt?: number;
  tokensLimit?: number;
  tokensRemaining?: number;
  tokensResetAt?: number;
}

/** Header names (lower case) a provider uses for each field. */
export interface RateLimitHeaderNames {
  requestsLimit?: string;
  requestsRemaining?: string;
  requestsReset?: string;
  tokensLimit?: string;
  tokensRemaining?: string;
  tokensReset?: string;
}

/** A reset header as an absolute time: a duration (`6m0s`, `12`), an ISO date, or epoch seconds. */
export function parseResetHeader(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d{10}(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const duration = parseDuration(trimmed);
  if (duration !== undefined) return now + duration;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : date;
}

/** Reads rate-limit headers by the given names; `undefined` when none is present. */
export function readRateLimitHeaders(headers: Headers, names: RateLimitHeaderNames, now: number = Date.now()): RateLimitInfo | undefined {
  // A response without limits (most gateways, local servers) costs two look-ups, not six: every provider that sends
  // limits sends a remaining count, and a limit or reset without one is nothing a pool can act on.
  const { requestsRemaining, tokensRemaining } = names;
  if ((!requestsRemaining || !headers.has(requestsRemaining)) && (!tokensRemaining || !headers.has(tokensRemaining))) return undefined;
  const info: Record<string, number> = {};
  let found = false;
  for (const field in names) {
    const value = headers.get(names[field as keyof RateLimitHeaderNames] as string);
    if (value === null || value.trim() === '') continue;
    const parsed = field.endsWith('Reset') ? parseResetHeader(value, now) : Number(value);
    if (parsed === undefined || !Number.isFinite(parsed)) continue;
    info[field.endsWith('Reset') ? `${field}At` : field] = parsed;
    found = true;
  }
  return found ? (info as RateLimitInfo) : undefined;
}

/** The `x-ratelimit-*` names OpenAI, OpenRouter, Groq and most OpenAI-compatible servers send. */
export const openAIRateLimitHeaders: RateLimitHeaderNames = {
  requestsLimit: 'x-ratelimit-limit-requests',
  requestsRemaining: 'x-ratelimit-remaining-requests',
  requestsReset: 'x-ratelimit-reset-requests',
  tokensLimit: 'x-ratelimit-limit-tokens',
  tokensRemaining: 'x-ratelimit-remaining-tokens',
  tokensReset: 'x-ratelimit-reset-tokens',
};

/**
 * Anthropic's `anthropic-ratelimit-*` headers (resets are RFC 3339 times). The `tokens` ones are the most
 * restrictive of the input and output token limits; `retry-after` is read with the error. Here rather than in
 * `@kit/anthropic` because `credentialFetch`'s `anthropic` preset reads them too.
 */
export const anthropicRateLimitHeaders: RateLimitHeaderNames = {
  requestsLimit: 'anthropic-ratelimit-requests-limit',
  requestsRemaining: 'anthropic-ratelimit-requests-remaining',
  requestsReset: 'anthropic-ratelimit-requests-reset',
  tokensLimit: 'anthropic-ratelimit-tokens-limit',
  tokensRemaining: 'anthropic-ratelimit-tokens-remaining',
  tokensReset: 'anthropic-ratelimit-tokens-reset',
};
