import { anthropicRateLimitHeaders, openAIRateLimitHeaders, type RateLimitHeaderNames } from './rate-limit-info';

/** The statuses of the answers `credentialFetch` writes itself (when no credential could send the request). */
export type SyntheticErrorStatus = 401 | 429 | 503;

/** How `credentialFetch` speaks one provider's HTTP API: where the credential goes, and what its errors look like. */
export interface CredentialFetchPreset {
  /** The header (lower case) that carries the credential. */
  header: string;
  /** Written before the secret with one space (`Bearer`); empty for a bare key. */
  scheme: string;
  /** Auth headers the SDK may have set (a dummy key), removed before the credential's header is written. */
  replaces: readonly string[];
  /** The provider's rate-limit header names, read on every response. */
  rateLimitHeaders?: RateLimitHeaderNames;
  /** The JSON body of an answer `credentialFetch` writes itself, in the provider's own error shape. */
  errorBody(status: SyntheticErrorStatus, message: string): unknown;
}

/** The names of the presets. */
export type CredentialFetchPresetName = 'openai' | 'anthropic' | 'gemini';

// Error shapes: OpenAI's `{ error: { message, type, param, code } }` (platform.openai.com/docs/guides/error-codes),
// Anthropic's `{ type: 'error', error: { type, message } }` (docs.anthropic.com/en/api/errors), Google's
// `{ error: { code, message, status } }` (ai.google.dev/gemini-api/docs/troubleshooting, google.rpc.Status).
const openAITypes: Record<SyntheticErrorStatus, string> = { 401: 'invalid_request_error', 429: 'rate_limit_error', 503: 'server_error' };
const anthropicTypes: Record<SyntheticErrorStatus, string> = { 401: 'authentication_error', 429: 'rate_limit_error', 503: 'api_error' };
const googleStatuses: Record<SyntheticErrorStatus, string> = { 401: 'UNAUTHENTICATED', 429: 'RESOURCE_EXHAUSTED', 503: 'UNAVAILABLE' };

/**
 * The presets of `credentialFetch`: OpenAI `Authorization: Bearer`, Anthropic `x-api-key`, Gemini `x-goog-api-key`.
 * The OpenAI one also fits every OpenAI-compatible API (Groq, Cerebras, OpenRouter, Qwen, Ollama's `/v1`).
 */
export const credentialFetchPresets: Readonly<Record<CredentialFetchPresetName, CredentialFetchPreset>> = {
  openai: {
    header: 'authorization',
    scheme: 'Bearer',
    replaces: ['authorization', 'api-key'],
    rateLimitHeaders: openAIRateLimitHeaders,
    errorBody: (status, message) => ({ error: { message, type: openAITypes[status], param: null, code: 'credentials_exhausted' } }),
  },
  anthropic: {
    header: 'x-api-key',
    scheme: '',
    // The SDK sends `Authorization: Bearer` instead when it was given an `authToken`.
    replaces: ['x-api-key', 'authorization'],
    rateLimitHeaders: anthropicRateLimitHeaders,
    errorBody: (status, message) => ({ type: 'error', error: { type: anthropicTypes[status], message } }),
  },
  gemini: {
    header: 'x-goog-api-key',
    scheme: '',
    replaces: ['x-goog-api-key', 'authorization'],
    errorBody: (status, message) => ({ error: { code: status, message, status: googleStatuses[status] } }),
  },
};
