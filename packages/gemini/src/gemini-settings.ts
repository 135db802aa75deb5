import { durationMsSchema, nonEmptyStringSchema, providerSettingsShape } from '@kit/core/provider-utils';
import * as z from 'zod/mini';

export const GEMINI_BASE_URL = 'https://generativelanguage.googleapis.com/v1beta';
export const CODE_ASSIST_BASE_URL = 'https://cloudcode-pa.googleapis.com/v1internal';
export const GEMINI_API_KEY_ENV_VAR = 'GEMINI_API_KEY';
/**
 * Fast, cheap, multimodal, thinking, with tools and a 1M-token context: Google's named replacement for the retired
 * default gemini-2.5-flash, stable, no shutdown date announced (deprecations page, checked 2026-12-02). It ignores custom
 * `temperature` / `topP` values.
 */
export const GEMINI_DEFAULT_MODEL = 'gemini-3.5-flash-lite';

/** Strict: an unknown key is an `invalid_config` error naming it. (A pure IIFE: unused, it is shaken out.) */
export const geminiSettingsSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    ...providerSettingsShape,
    /**
     * Which Gemini API to call: `'gemini'` (default: the Gemini API, or Code Assist for OAuth accounts, see
     * `oauthBackend`) or `'vertex'` (Gemini on Vertex AI, `https://{location}-aiplatform.googleapis.com/v1/projects/…`,
     * with OAuth `credentials` such as an `OAuthManager` of `vertexServiceAccountCredential`s).
     */
    backend: z.optional(z.enum(['gemini', 'vertex'])),
    /**
     * Vertex AI: the Google Cloud project (default `GOOGLE_CLOUD_PROJECT`); a credential that carries a project (a
     * service-account key's `project_id`) uses its own.
     */
    project: z.optional(nonEmptyStringSchema()),
    /**
     * Vertex AI: the location, e.g. `us-central1` or `global` (default `GOOGLE_CLOUD_LOCATION`, else `global`); a
     * credential made with a `location` uses its own.
     */
    location: z.optional(nonEmptyStringSchema()),
    /**
     * The API OAuth credentials call: `'code-assist'` (Google's Code Assist backend, the one the Gemini CLI uses;
     * default for OAuth) or `'generative-language'` (the standard Gemini API with a Bearer token). Setting it makes the
     * provider an OAuth provider; without it, `credentials` that implement `onUnauthorized` (an `OAuthManager`) are
     * OAuth credentials and anything else is API keys.
     */
    oauthBackend: z.optional(z.enum(['code-assist', 'generative-language'])),
    /**
     * Code Assist: the Google Cloud project ID to use (Workspace and Standard-tier accounts need one; a numeric project
     * number is refused); default `GOOGLE_CLOUD_PROJECT` or `GOOGLE_CLOUD_PROJECT_ID`. Free-tier accounts get a managed
     * project by discovery. `'generative-language'`: the quota project sent as `x-goog-user-project` (a credential's
     * own `projectId` wins).
     */
    projectId: z.optional(nonEmptyStringSchema()),
    /** Code Assist: how long to wait between polls of an account's onboarding operation (default 5 000 ms). */
    onboardingPollIntervalMs: z.optional(durationMsSchema(0)),
    /** Code Assist: how long an account's onboarding may take before discovery gives up (default 300 000 ms). */
    onboardingTimeoutMs: z.optional(durationMsSchema(1)),
  }))();

/** Settings of `createGemini`: the common ones plus the OAuth backend and Code Assist's project. */
export type GeminiSettings = z.infer<typeof geminiSettingsSchema>;

/** Which API an OAuth account calls. */
export type GeminiOAuthBackend = NonNullable<GeminiSettings['oauthBackend']>;

/** Which Gemini API the provider calls: the Gemini API (with Code Assist for OAuth accounts) or Vertex AI. */
export type GeminiBackend = NonNullable<GeminiSettings['backend']>;
