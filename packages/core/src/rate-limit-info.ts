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

function numberHeader(headers: Headers, name: string | undefined): number | undefined {
  if (!name) return undefined;
  const value = headers.get(name);
  if (value === null || value.trim() === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
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
  const info: RateLimitInfo = {};
  const assign = (key: keyof RateLimitInfo, value: number | undefined) => {
    if (value !== undefined) info[key] = value;
  };
  assign('requestsLimit', numberHeader(headers, names.requestsLimit));
  assign('requestsRemaining', numberHeader(headers, names.requestsRemaining));
  assign('requestsResetAt', names.requestsReset ? parseResetHeader(headers.get(names.requestsReset), now) : undefined);
  assign('tokensLimit', numberHeader(headers, names.tokensLimit));
  assign('tokensRemaining', numberHeader(headers, names.tokensRemaining));
  assign('tokensResetAt', names.tokensReset ? parseResetHeader(headers.get(names.tokensReset), now) : undefined);
  return Object.keys(info).length > 0 ? info : undefined;
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
