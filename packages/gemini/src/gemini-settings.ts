import { literal, number, optional, providerSettingsShape, strictObject, string, type ProviderSettings, type Schema } from '@kit/core';

/** Which API an OAuth account calls. */
export type GeminiOAuthBackend = 'code-assist' | 'generative-language';

/** Settings of `createGemini`: the common ones plus the OAuth backend and Code Assist's project. */
export interface GeminiSettings extends ProviderSettings {
  /**
   * The API OAuth credentials call: `'code-assist'` (Google's Code Assist backend, the one the Gemini CLI uses;
   * default for OAuth) or `'generative-language'` (the standard Gemini API with a Bearer token). Setting it makes the
   * provider an OAuth provider; without it, `credentials` that implement `onUnauthorized` (an `OAuthManager`) are
   * OAuth credentials and anything else is API keys.
   */
  oauthBackend?: GeminiOAuthBackend;
  /**
   * Code Assist: the Google Cloud project to use (Workspace and Standard-tier accounts need one); default
   * `GOOGLE_CLOUD_PROJECT` or `GOOGLE_CLOUD_PROJECT_ID`. Free-tier accounts get a managed project by discovery.
   */
  projectId?: string;
  /** Code Assist: how long to wait between polls of an account's onboarding operation (default 5 000 ms). */
  onboardingPollIntervalMs?: number;
}

export const GEMINI_BASE_URL = 'https://generativelanguage.googleapis.com/v1beta';
export const CODE_ASSIST_BASE_URL = 'https://cloudcode-pa.googleapis.com/v1internal';
export const GEMINI_API_KEY_ENV_VAR = 'GEMINI_API_KEY';
/** Fast, cheap, multimodal, thinking, with tools and a 1M-token context. */
export const GEMINI_DEFAULT_MODEL = 'gemini-2.5-flash';

/** Strict: an unknown key is an `invalid_config` error naming it. */
export const geminiSettingsSchema = /* @__PURE__ */ strictObject({
  ...providerSettingsShape,
  oauthBackend: optional(literal('code-assist', 'generative-language')),
  projectId: optional(string({ min: 1 })),
  onboardingPollIntervalMs: optional(number({ int: true, min: 0 })),
}) as Schema<GeminiSettings>;
