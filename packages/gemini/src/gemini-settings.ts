import { durationMsSchema, nonEmptyStringSchema, providerSettingsShape } from '@kit/core/provider-utils';
import * as z from 'zod/mini';

export const GEMINI_BASE_URL = 'https://generativelanguage.googleapis.com/v1beta';
export const CODE_ASSIST_BASE_URL = 'https://cloudcode-pa.googleapis.com/v1internal';
export const GEMINI_API_KEY_ENV_VAR = 'GEMINI_API_KEY';
/** Fast, cheap, multimodal, thinking, with tools and a 1M-token context. */
export const GEMINI_DEFAULT_MODEL = 'gemini-2.5-flash';

/** Strict: an unknown key is an `invalid_config` error naming it. (A pure IIFE: unused, it is shaken out.) */
export const geminiSettingsSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    ...providerSettingsShape,
    /**
     * The API OAuth credentials call: `'code-assist'` (Google's Code Assist backend, the one the Gemini CLI uses;
     * default for OAuth) or `'generative-language'` (the standard Gemini API with a Bearer token). Setting it makes the
     * provider an OAuth provider; without it, `credentials` that implement `onUnauthorized` (an `OAuthManager`) are
     * OAuth credentials and anything else is API keys.
     */
    oauthBackend: z.optional(z.enum(['code-assist', 'generative-language'])),
    /**
     * Code Assist: the Google Cloud project to use (Workspace and Standard-tier accounts need one); default
     * `GOOGLE_CLOUD_PROJECT` or `GOOGLE_CLOUD_PROJECT_ID`. Free-tier accounts get a managed project by discovery.
     */
    projectId: z.optional(nonEmptyStringSchema()),
    /** Code Assist: how long to wait between polls of an account's onboarding operation (default 5 000 ms). */
    onboardingPollIntervalMs: z.optional(durationMsSchema(0)),
  }))();

/** Settings of `createGemini`: the common ones plus the OAuth backend and Code Assist's project. */
export type GeminiSettings = z.infer<typeof geminiSettingsSchema>;

/** Which API an OAuth account calls. */
export type GeminiOAuthBackend = NonNullable<GeminiSettings['oauthBackend']>;
