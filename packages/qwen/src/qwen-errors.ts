import { upstreamIdentifiers, upstreamMessage, type ErrorRefiner } from '@kit/core/provider-utils';
import { createOpenAIErrorRefiner } from '@kit/openai-compatible';

/**
 * DashScope's own error identifiers (normalised as core does) that the shared classification reads wrongly:
 * `Arrearage` (an account with overdue payments, sent as a 400) and an exhausted free tier are quota problems of
 * that key, not bad requests; content moderation is a content filter.
 */
const byIdentifier = /* @__PURE__ */ createOpenAIErrorRefiner({
  arrearage: 'quota_exceeded',
  allocationquota_freetieronly: 'quota_exceeded',
  datainspectionfailed: 'content_filter',
  data_inspection_failed: 'content_filter',
});

// DashScope's 400 for an over-long prompt: "Range of input length should be [1, 30720]".
const inputTooLong = /range of input length|input length.{0,40}exceed/i;

/**
 * A DashScope 429 is a throttle that clears within its window: `Throttling.*`, and its per-minute token limit,
 * which it words like OpenAI's exhausted quota (`insufficient_quota`, linking its `error-code#token-limit` page).
 * Overdue accounts are `Arrearage` (above), never a 429.
 */
const isThrottle = (identifier: string) => identifier === 'insufficient_quota' || identifier.startsWith('throttling');

/** Qwen's error refinement: DashScope identifiers first, its throttles as rate limits, its "input length" message as `context_length`. */
export const refineQwenError: ErrorRefiner = (response) => {
  const refined = byIdentifier(response);
  if (refined?.code) return refined;
  if (response.status === 429 && upstreamIdentifiers(response.body).some(isThrottle)) return { ...refined, code: 'rate_limit' };
  if (response.status === 400 && inputTooLong.test(upstreamMessage(response.body) ?? '')) return { ...refined, code: 'context_length' };
  return refined;
};
