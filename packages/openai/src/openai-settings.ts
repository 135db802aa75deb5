import { providerSettingsShape, type ProviderSettings, optional, strictObject, string, type Schema } from '@kit/core';

/** Settings of `createOpenAI`: the common ones plus OpenAI's organization and project. */
export interface OpenAISettings extends ProviderSettings {
  /** Sent as `OpenAI-Organization`: bills and rate-limits the request against this organization. */
  organization?: string;
  /** Sent as `OpenAI-Project`. */
  project?: string;
}

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const OPENAI_API_KEY_ENV_VAR = 'OPENAI_API_KEY';
/** Fast, cheap, non-reasoning (so `temperature` works), with vision, tools and a 1M-token context. */
export const OPENAI_DEFAULT_MODEL = 'gpt-4.1-mini';

const optionalId = /* @__PURE__ */ optional(string({ min: 1 }));

/** Strict: an unknown key is an `invalid_config` error naming it. */
export const openAISettingsSchema = /* @__PURE__ */ strictObject({
  ...providerSettingsShape,
  organization: optionalId,
  project: optionalId,
}) as Schema<OpenAISettings>;
