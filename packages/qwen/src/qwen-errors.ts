import { upstreamMessage, type ErrorRefiner } from '@kit/core';
import { createOpenAIErrorRefiner } from '@kit/openai-compatible';

/**
 * DashScope's own error identifiers (`error.code` / `error.type`, lower case) that the generic classification
 * reads wrongly: `Arrearage` (an account with overdue payments, sent as a 400) and an exhausted free tier are
 * quota problems of that key, not bad requests; content moderation is a content filter.
 */
const byIdentifier = /* @__PURE__ */ createOpenAIErrorRefiner({
  arrearage: 'quota_exceeded',
  'allocationquota.freetieronly': 'quota_exceeded',
  datainspectionfailed: 'content_filter',
  data_inspection_failed: 'content_filter',
});

// DashScope's 400 for an over-long prompt: "Range of input length should be [1, 30720]".
const inputTooLong = /range of input length|input length.{0,40}exceed/i;

/** Qwen's error refinement: DashScope identifiers first, then its "input length" message as `context_length`. */
export const refineQwenError: ErrorRefiner = (response) => {
  const refined = byIdentifier(response);
  if (refined?.code || response.status !== 400 || !inputTooLong.test(upstreamMessage(response.body) ?? '')) return refined;
  return { ...refined, code: 'context_length' };
};
