import { nonEmptyStringSchema, providerSettingsShape } from '@kit/core/provider-utils';
import * as z from 'zod/mini';

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const OPENAI_API_KEY_ENV_VAR = 'OPENAI_API_KEY';
/** Read (as the official SDK does) for the base URL when `baseURL` is not given: the full base, `…/v1` included. */
export const OPENAI_BASE_URL_ENV_VAR = 'OPENAI_BASE_URL';
/**
 * OpenAI's cheapest current model (gpt-6-luna: $0.10 / $0.50 per million tokens, vision, tools, 1.05M-token context)
 * and its named replacement for the retired default gpt-4.1-mini; no shutdown announced (checked 2026-12-02). It
 * reasons by default: send `providerOptions.openai.reasoning_effort: 'none'` for GPT-4.x-like answers and to use
 * `temperature` / `top_p`.
 */
export const OPENAI_DEFAULT_MODEL = 'gpt-6-luna';

/** Strict: an unknown key is an `invalid_config` error naming it. (A pure IIFE: unused, it is shaken out.) */
export const openAISettingsSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    ...providerSettingsShape,
    /** Sent as `OpenAI-Organization`: bills and rate-limits the request against this organization. */
    organization: z.optional(nonEmptyStringSchema()),
    /** Sent as `OpenAI-Project`. */
    project: z.optional(nonEmptyStringSchema()),
  }))();

/** Settings of `createOpenAI`: the common ones plus OpenAI's organization and project. */
export type OpenAISettings = z.infer<typeof openAISettingsSchema>;
