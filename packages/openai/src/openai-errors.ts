import { refineOpenAIError } from '@kit/openai-compatible';

/**
 * OpenAI's error refinement: the dialect's (`refineOpenAIError`). OpenAI's identifiers need no table of their own —
 * core's shared rules read them (`invalid_api_key`, `insufficient_quota`, `credit_balance_exhausted`,
 * `billing_hard_limit_reached`, `rate_limit_exceeded`, `context_length_exceeded`, `model_not_found`,
 * `invalid_prompt`, `unsupported_country_region_territory`) and the "Please try again in 20s" wait of a rate limit
 * without a `Retry-After`; the free tier's "add a payment method … /account/billing" hint is no quota evidence.
 */
export const refineOpenAIPlatformError = refineOpenAIError;
