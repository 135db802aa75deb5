import { nonEmptyStringSchema, providerSettingsShape } from '@kit/core/provider-utils';
import * as z from 'zod/mini';

export const ANTHROPIC_BASE_URL = 'https://api.anthropic.com/v1';
export const ANTHROPIC_API_KEY_ENV_VAR = 'ANTHROPIC_API_KEY';
/**
 * Read (as the official SDK does) for the base URL when `baseURL` is not given. Like the SDK's, its value is the host
 * without the API version (`https://api.anthropic.com`); `/v1` is appended.
 */
export const ANTHROPIC_BASE_URL_ENV_VAR = 'ANTHROPIC_BASE_URL';
export const ANTHROPIC_VERSION = '2023-06-01';
/** The current Sonnet: fast, with vision, tools, adaptive thinking and a 1M-token context. */
export const ANTHROPIC_DEFAULT_MODEL = 'claude-sonnet-5-5';

/** Strict: an unknown key is an `invalid_config` error naming it. (A pure IIFE: unused, it is shaken out.) */
export const anthropicSettingsSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    ...providerSettingsShape,
    /** Sent as `anthropic-version` (default `2023-06-01`). */
    anthropicVersion: z.optional(nonEmptyStringSchema()),
    /** Beta features sent on every request as `anthropic-beta` (joined with those of `providerOptions.anthropic.beta`). */
    beta: z.optional(z.array(nonEmptyStringSchema())),
  }))();

/** Settings of `createAnthropic`: the common ones plus the API version and beta features. */
export type AnthropicSettings = z.infer<typeof anthropicSettingsSchema>;
