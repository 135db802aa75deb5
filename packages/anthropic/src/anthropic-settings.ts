import { array, optional, providerSettingsShape, strictObject, string, type ProviderSettings, type Schema } from '@kit/core';

/** Settings of `createAnthropic`: the common ones plus the API version and beta features. */
export interface AnthropicSettings extends ProviderSettings {
  /** Sent as `anthropic-version` (default `2023-06-01`). */
  anthropicVersion?: string;
  /** Beta features sent on every request as `anthropic-beta` (joined with those of `providerOptions.anthropic.beta`). */
  beta?: string[];
}

export const ANTHROPIC_BASE_URL = 'https://api.anthropic.com/v1';
export const ANTHROPIC_API_KEY_ENV_VAR = 'ANTHROPIC_API_KEY';
export const ANTHROPIC_VERSION = '2023-06-01';
/** The current Sonnet: fast, with vision, tools, adaptive thinking and a 1M-token context. */
export const ANTHROPIC_DEFAULT_MODEL = 'claude-sonnet-5-5';

/** Strict: an unknown key is an `invalid_config` error naming it. */
export const anthropicSettingsSchema = /* @__PURE__ */ strictObject({
  ...providerSettingsShape,
  anthropicVersion: /* @__PURE__ */ optional(string({ min: 1 })),
  beta: /* @__PURE__ */ optional(array(string({ min: 1 }))),
}) as Schema<AnthropicSettings>;
