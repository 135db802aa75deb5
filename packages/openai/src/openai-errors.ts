import { refineOpenAIError } from '@kit/openai-compatible';

/**
 * OpenAI's error refinement: the "try again in 20ms" waits of its messages. Its error codes need no table:
 * core's classification reads them (`invalid_api_key`, `insufficient_quota`, `billing_*`, `rate_limit_exceeded`,
 * `context_length_exceeded`, `model_not_found`, flagged prompts) and the status does the rest
 * (403 `unsupported_country_region_territory`, 401 `mismatched_organization`).
 */
export const refineOpenAIPlatformError = refineOpenAIError;
