import { nonEmptyStringSchema, providerSettingsShape } from '@kit/core/provider-utils';
import * as z from 'zod/mini';

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const OPENAI_API_KEY_ENV_VAR = 'OPENAI_API_KEY';
/** Read (as the official SDK does) for the base URL when `baseURL` is not given: the full base, `…/v1` included. */
export const OPENAI_BASE_URL_ENV_VAR = 'OPENAI_BASE_URL';
/** Fast, cheap, non-reasoning (so `temperature` works), with vision, tools and a 1M-token context. */
export const OPENAI_DEFAULT_MODEL = 'gpt-4.1-mini';

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
