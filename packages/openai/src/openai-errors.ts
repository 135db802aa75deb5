import { createOpenAIErrorRefiner } from '@kit/openai-compatible';

/**
 * OpenAI's own error codes beyond those core already knows (`invalid_api_key`, `insufficient_quota`,
 * `rate_limit_exceeded`, `context_length_exceeded`, `model_not_found`), plus the "try again in 20ms" waits.
 */
export const refineOpenAIPlatformError = /* @__PURE__ */ createOpenAIErrorRefiner({
  billing_hard_limit_reached: 'quota_exceeded',
  billing_not_active: 'quota_exceeded',
  account_deactivated: 'permission',
  unsupported_country_region_territory: 'permission',
  invalid_organization: 'authentication',
  mismatched_organization: 'authentication',
  mismatched_project: 'authentication',
  invalid_prompt: 'content_filter',
});
