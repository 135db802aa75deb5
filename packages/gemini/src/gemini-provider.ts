import { KitError, type CredentialSource, type OAuthProvider, type Provider } from '@kit/core';
import { createChatProvider, DEFAULT_TIMEOUT_MS, parseOrThrow, readEnvironmentVariable, sseFraming, type ProviderDefinition } from '@kit/core/provider-utils';
import { withCodeAssistProjects } from './code-assist-credentials';
import { CODE_ASSIST_CLIENT_METADATA } from './code-assist-project';
import { refineGeminiError } from './gemini-errors';
import { GEMINI_MODELS_PATH, geminiFallbackModels, parseGeminiModels } from './gemini-models';
import { buildGeminiRequest, validateGeminiProviderOptions } from './gemini-request';
import {
  CODE_ASSIST_BASE_URL,
  GEMINI_API_KEY_ENV_VAR,
  GEMINI_BASE_URL,
  GEMINI_DEFAULT_MODEL,
  geminiSettingsSchema,
  type GeminiSettings,
} from './gemini-settings';
import { createGeminiStreamMapper, parseGeminiResponse } from './gemini-stream-mapper';

/** `models/gemini-2.5-flash` from `gemini-2.5-flash`; a full resource name (`tunedModels/…`) stays as it is. */
const modelResource = (model: string) => (model.includes('/') ? model : `models/${model}`).split('/').map(encodeURIComponent).join('/');

/**
 * Gemini's wire definition (for `createChatProvider` or a custom factory). The standard API
 * (`POST /models/{model}:generateContent` and `:streamGenerateContent?alt=sse`, `GET /models`) by default; with
 * `codeAssist`, Google's Code Assist backend (`POST :generateContent` with a `{ model, project, request }` body,
 * answers wrapped in `response`, no model list; `:loadCodeAssist` as the health check), whose project each lease
 * must carry (`projectId`). API keys go in `x-goog-api-key`, OAuth tokens as `Authorization: Bearer`; never in the URL.
 */
export function defineGeminiProvider({ codeAssist = false }: { codeAssist?: boolean } = {}): ProviderDefinition {
  return {
    type: 'gemini',
    defaultBaseURL: codeAssist ? CODE_ASSIST_BASE_URL : GEMINI_BASE_URL,
    defaultModel: GEMINI_DEFAULT_MODEL,
    apiKeyEnvVar: GEMINI_API_KEY_ENV_VAR,
    capabilities: { streaming: true, tools: true, vision: true, documents: true, audio: true, reasoning: true, json: true },
    fallbackModels: geminiFallbackModels,
    authHeaders: (lease): Record<string, string> => (lease.kind === 'oauth' ? { authorization: `Bearer ${lease.secret}` } : { 'x-goog-api-key': lease.secret }),
    chat: {
      framing: sseFraming,
      buildRequest: (options, context) => {
        const request = buildGeminiRequest(options, context.provider);
        const method = context.stream ? 'streamGenerateContent?alt=sse' : 'generateContent';
        return codeAssist
          ? { path: `:${method}`, body: { model: options.model.replace(/^models\//, ''), project: context.credential.projectId, request } }
          : { path: `/${modelResource(options.model)}:${method}`, body: request };
      },
      createStreamMapper: (context) => createGeminiStreamMapper(context),
      parseResponse: parseGeminiResponse,
    },
    ...(codeAssist
      ? { healthCheckRequest: { path: ':loadCodeAssist', method: 'POST' as const, body: { metadata: CODE_ASSIST_CLIENT_METADATA } } }
      : { models: { request: { path: GEMINI_MODELS_PATH, method: 'GET' as const }, parse: parseGeminiModels } }),
    refineError: refineGeminiError,
    validateProviderOptions: (options) => {
      validateGeminiProviderOptions(options);
    },
  };
}

/**
 * The Gemini provider.
 *
 * - **API keys** (`apiKey`, a `KeyManager`, or `GEMINI_API_KEY` at request time): the standard Gemini API on
 *   `https://generativelanguage.googleapis.com/v1beta`, the key in `x-goog-api-key`.
 * - **OAuth accounts** (`credentials` is an `OAuthManager`, or `oauthBackend` is set): by default Google's Code
 *   Assist backend (`https://cloudcode-pa.googleapis.com/v1internal`, the Gemini CLI's), each account's project
 *   discovered once (`loadCodeAssist` / `onboardUser`); with `oauthBackend: 'generative-language'`, the standard API
 *   with a Bearer token.
 *
 * `baseURL` replaces the base URL of whichever backend is in use.
 *
 * @example
 * const gemini = createGemini({ credentials: new KeyManager('gemini', [process.env.GEMINI_KEY_A!, process.env.GEMINI_KEY_B!]) });
 * const { text } = await gemini.complete({ prompt: 'Say hi' });
 *
 * @example
 * const accounts = new OAuthManager('gemini', [await loginWithGoogle({ clientId })], geminiOAuthRefresh);
 * const gemini = createGemini({ credentials: accounts }); // Code Assist
 */
export function createGemini(settings: GeminiSettings = {}): Provider {
  const valid = parseOrThrow(geminiSettingsSchema, settings ?? {}, 'invalid_config', { what: 'invalid gemini settings', provider: 'gemini' });
  const { oauthBackend, projectId, onboardingPollIntervalMs, ...common } = valid;
  const { credentials } = common;
  if (oauthBackend && !credentials) {
    throw new KitError('invalid_config', 'oauthBackend: needs OAuth `credentials` (an OAuthManager); API keys use the standard API', { provider: 'gemini' });
  }
  // OAuth: asked for, or a source that can refresh tokens (an OAuthManager implements `onUnauthorized`).
  const oauth = oauthBackend !== undefined || typeof credentials?.onUnauthorized === 'function';
  const codeAssist = oauth && (oauthBackend ?? 'code-assist') === 'code-assist';
  const definition = defineGeminiProvider({ codeAssist });
  if (!oauth || !credentials) return createChatProvider(definition, common);
  if (!codeAssist) return asOAuthProvider(createChatProvider(definition, common), credentials);
  // Code Assist: leases reach the engine with their account's project (discovered with the account's token).
  const projects = withCodeAssistProjects(credentials, {
    provider: common.name ?? 'gemini',
    baseURL: (common.baseURL ?? CODE_ASSIST_BASE_URL).replace(/\/+$/, ''),
    fetch: common.fetch,
    hooks: common.hooks,
    headers: common.headers ?? {},
    projectId: projectId ?? readEnvironmentVariable('GOOGLE_CLOUD_PROJECT') ?? readEnvironmentVariable('GOOGLE_CLOUD_PROJECT_ID'),
    pollIntervalMs: onboardingPollIntervalMs ?? 5_000,
    timeoutMs: common.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  // The caller's own source stays visible as `credentials`.
  return asOAuthProvider(createChatProvider(definition, { ...common, credentials: projects }), credentials);
}

/** The provider marked as an OAuth provider (`isOAuthProvider`), showing the caller's own credential source. */
function asOAuthProvider(provider: Provider, credentials: CredentialSource): Provider {
  const oauthProvider: Provider & OAuthProvider = { ...provider, credentials, authKind: 'oauth' };
  return oauthProvider;
}
