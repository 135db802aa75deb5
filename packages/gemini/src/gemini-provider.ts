import { nextGeminiModelsPage } from './gemini-model-pages';
import { KitError, PROVIDER_SPECIFICATION_VERSION, type CredentialLease, type CredentialSource, type OAuthProvider, type Provider } from '@kit/core';
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
import { checkVertexLocation, VERTEX_DEFAULT_LOCATION, vertexApiRoot, vertexLocationURL, vertexTargetOf } from './vertex-endpoint';

/** `models/gemini-2.5-flash` from `gemini-2.5-flash`; a full resource name (`tunedModels/…`) stays as it is. */
const modelResource = (model: string) => (model.includes('/') ? model : `models/${model}`).split('/').map(encodeURIComponent).join('/');

/** Vertex AI's `publishers/google/models/gemini-2.5-flash` from `gemini-2.5-flash` or `models/…`; `publishers/…` stays. */
const vertexModelResource = (model: string) =>
  (model.startsWith('publishers/') ? model : `publishers/google/models/${model.replace(/^models\//, '')}`).split('/').map(encodeURIComponent).join('/');

/** What the Vertex AI backend of `defineGeminiProvider` needs: where calls go unless a credential says otherwise. */
export interface VertexBackendOptions {
  /** The provider's project; a lease's `projectId` wins. */
  project?: string;
  /** The provider's location; a lease whose `baseURL` names one (`vertexServiceAccountCredential` with a `location`) wins. */
  location: string;
  /** Replaces the API root (`https://{location}-aiplatform.googleapis.com/v1`) for every credential (a proxy, testkit). */
  baseURL?: string;
  /** The model whose `countTokens` the health check calls. */
  healthCheckModel?: string;
  /** The provider's name in errors. */
  provider?: string;
}

/**
 * The Vertex AI base URL of one lease: `{root}/projects/{project}/locations/{location}`. The lease's project
 * (`projectId`) and location (read from its `baseURL`) win over the provider's; the root is the configured `baseURL`,
 * else the lease's own non-Vertex `baseURL`, else the location's regional endpoint (`aiplatform.googleapis.com` for
 * `global`).
 */
function vertexBaseURLFor(lease: CredentialLease, vertex: VertexBackendOptions): string {
  const own = lease.baseURL ? vertexTargetOf(lease.baseURL) : undefined;
  const location = own?.location ?? vertex.location;
  const project = lease.projectId ?? own?.project ?? vertex.project;
  if (!project) {
    throw new KitError(
      'invalid_config',
      `project: ${vertex.provider ?? 'gemini'}: credential "${lease.id}" has no Google Cloud project: set \`project\` (or GOOGLE_CLOUD_PROJECT), or give the credential one`,
      { provider: vertex.provider ?? 'gemini', credentialId: lease.id },
    );
  }
  const root = vertex.baseURL ?? (lease.baseURL && !own ? lease.baseURL : vertexApiRoot(location));
  return vertexLocationURL(root, { project, location });
}

/**
 * Gemini's wire definition (for `createChatProvider` or a custom factory). The standard API
 * (`POST /models/{model}:generateContent` and `:streamGenerateContent?alt=sse`, `GET /models`) by default; with
 * `codeAssist`, Google's Code Assist backend (`POST :generateContent` with a `{ model, project, request }` body,
 * answers wrapped in `response`, no model list; `:loadCodeAssist` as the health check), whose project each lease
 * must carry (`projectId`). API keys go in `x-goog-api-key`, OAuth tokens as `Authorization: Bearer`; never in the URL.
 */
export function defineGeminiProvider({
  codeAssist = false,
  vertex,
  quotaProject,
}: {
  codeAssist?: boolean;
  /** Gemini on Vertex AI (`…/projects/{project}/locations/{location}/publishers/google/models/{model}:generateContent`). */
  vertex?: VertexBackendOptions;
  /** OAuth on the Gemini API: the project sent as `x-goog-user-project` when the lease carries none. */
  quotaProject?: string;
} = {}): ProviderDefinition {
  const oauthOnGeminiAPI = !codeAssist && !vertex;
  return {
    specificationVersion: PROVIDER_SPECIFICATION_VERSION,
    type: 'gemini',
    defaultBaseURL: vertex ? vertexApiRoot(vertex.location) : codeAssist ? CODE_ASSIST_BASE_URL : GEMINI_BASE_URL,
    defaultModel: GEMINI_DEFAULT_MODEL,
    apiKeyEnvVar: GEMINI_API_KEY_ENV_VAR,
    capabilities: { streaming: true, tools: true, vision: true, documents: true, audio: true, reasoning: true, json: true },
    fallbackModels: geminiFallbackModels,
    authHeaders: (lease): Record<string, string> => {
      if (lease.kind !== 'oauth') return { 'x-goog-api-key': lease.secret };
      // The Gemini API bills a user's OAuth calls to a quota project, named by this header.
      const project = oauthOnGeminiAPI ? (lease.projectId ?? quotaProject) : undefined;
      return project ? { authorization: `Bearer ${lease.secret}`, 'x-goog-user-project': project } : { authorization: `Bearer ${lease.secret}` };
    },
    ...(vertex ? { baseURLFor: (lease: CredentialLease) => vertexBaseURLFor(lease, vertex) } : {}),
    chat: {
      framing: sseFraming,
      buildRequest: (options, context) => {
        const request = buildGeminiRequest(options, context.provider);
        const method = context.stream ? 'streamGenerateContent?alt=sse' : 'generateContent';
        if (vertex) return { path: `/${vertexModelResource(options.model)}:${method}`, body: request };
        return codeAssist
          ? { path: `:${method}`, body: { model: options.model.replace(/^models\//, ''), project: context.credential.projectId, request } }
          : { path: `/${modelResource(options.model)}:${method}`, body: request };
      },
      createStreamMapper: (context) => createGeminiStreamMapper(context),
      parseResponse: parseGeminiResponse,
    },
    ...(vertex
      ? {
          // No model list on Vertex AI's v1 API: a free, authenticated countTokens call proves the credential and project.
          healthCheckRequest: {
            path: `/${vertexModelResource(vertex.healthCheckModel ?? GEMINI_DEFAULT_MODEL)}:countTokens`,
            method: 'POST' as const,
            body: { contents: [{ role: 'user', parts: [{ text: 'ping' }] }] },
          },
        }
      : codeAssist
        ? { healthCheckRequest: { path: ':loadCodeAssist', method: 'POST' as const, body: { metadata: CODE_ASSIST_CLIENT_METADATA } } }
        : { models: { request: { path: GEMINI_MODELS_PATH, method: 'GET' as const }, parse: parseGeminiModels, nextPage: nextGeminiModelsPage } }),
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
 * - **Vertex AI** (`backend: 'vertex'`, OAuth `credentials` such as an `OAuthManager` of
 *   `vertexServiceAccountCredential`s): `https://{location}-aiplatform.googleapis.com/v1/projects/{project}/locations/{location}/publishers/google/models/{model}:generateContent`
 *   (`aiplatform.googleapis.com` for `global`), each credential's project and location winning over `project` / `location`.
 *
 * `baseURL` replaces the base URL of whichever backend is in use (for Vertex AI, the API root `…/v1`).
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
  const { oauthBackend, projectId, onboardingPollIntervalMs, onboardingTimeoutMs, backend, project, location, ...common } = valid;
  const { credentials } = common;
  if (backend === 'vertex') return createVertexGemini(valid);
  if (project !== undefined || location !== undefined) {
    throw new KitError('invalid_config', `${project === undefined ? 'location' : 'project'}: only the Vertex AI backend takes it (set backend: 'vertex')`, {
      provider: 'gemini',
    });
  }
  if (oauthBackend && !credentials) {
    throw new KitError('invalid_config', 'oauthBackend: needs OAuth `credentials` (an OAuthManager); API keys use the standard API', { provider: 'gemini' });
  }
  // OAuth: asked for, or a source that can refresh tokens (an OAuthManager implements `onUnauthorized`).
  const oauth = oauthBackend !== undefined || typeof credentials?.onUnauthorized === 'function';
  const codeAssist = oauth && (oauthBackend ?? 'code-assist') === 'code-assist';
  const definition = defineGeminiProvider({ codeAssist, ...(projectId && !codeAssist ? { quotaProject: projectId } : {}) });
  if (!oauth || !credentials) return createChatProvider(definition, common);
  if (!codeAssist) return asOAuthProvider(createChatProvider(definition, common), credentials);
  const codeAssistProject = projectId ?? readEnvironmentVariable('GOOGLE_CLOUD_PROJECT') ?? readEnvironmentVariable('GOOGLE_CLOUD_PROJECT_ID');
  if (codeAssistProject !== undefined && /^\d+$/.test(codeAssistProject)) {
    throw new KitError(
      'invalid_config',
      `projectId: "${codeAssistProject}" is a project number; Code Assist needs the project ID (letters, digits and hyphens, e.g. my-project-123456), as \`gcloud projects describe ${codeAssistProject}\` shows it`,
      { provider: 'gemini' },
    );
  }
  // Code Assist: leases reach the engine with their account's project (discovered with the account's token).
  const projects = withCodeAssistProjects(credentials, {
    provider: common.name ?? 'gemini',
    baseURL: (common.baseURL ?? CODE_ASSIST_BASE_URL).replace(/\/+$/, ''),
    fetch: common.fetch,
    hooks: common.hooks,
    headers: common.headers ?? {},
    projectId: codeAssistProject,
    pollIntervalMs: onboardingPollIntervalMs ?? 5_000,
    onboardingTimeoutMs: onboardingTimeoutMs ?? 300_000,
    timeoutMs: common.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  // The caller's own source stays visible as `credentials`.
  return asOAuthProvider(createChatProvider(definition, { ...common, credentials: projects }), credentials);
}

/**
 * Gemini on Vertex AI: the Gemini wire under `…/projects/{project}/locations/{location}/publishers/google/models/…`,
 * each call with its credential's project and location (else the provider's), Bearer tokens from `credentials`.
 */
function createVertexGemini(settings: GeminiSettings): Provider {
  const { oauthBackend, projectId, onboardingPollIntervalMs, onboardingTimeoutMs, backend, project, location, ...common } = settings;
  const provider = common.name ?? 'gemini';
  const fail = (message: string) => new KitError('invalid_config', message, { provider });
  if (oauthBackend !== undefined) throw fail("oauthBackend: the Vertex AI backend has no other OAuth backend: leave it out with backend: 'vertex'");
  if (projectId !== undefined) throw fail("projectId: Code Assist's setting; the Vertex AI backend takes `project`");
  if (common.apiKey !== undefined) throw fail('apiKey: the Vertex AI backend takes OAuth `credentials` (an OAuthManager of vertexServiceAccountCredential(…))');
  const { credentials } = common;
  if (!credentials) throw fail('credentials: the Vertex AI backend needs OAuth credentials (an OAuthManager of vertexServiceAccountCredential(…))');
  const vertex: VertexBackendOptions = {
    location: checkVertexLocation(location ?? readEnvironmentVariable('GOOGLE_CLOUD_LOCATION') ?? VERTEX_DEFAULT_LOCATION, 'location', provider),
    provider,
  };
  const defaultProject = project ?? readEnvironmentVariable('GOOGLE_CLOUD_PROJECT');
  if (defaultProject) vertex.project = defaultProject;
  if (common.baseURL) vertex.baseURL = common.baseURL.replace(/\/+$/, '');
  if (common.defaultModel) vertex.healthCheckModel = common.defaultModel;
  const { baseURL, ...rest } = common;
  return asOAuthProvider(createChatProvider(defineGeminiProvider({ vertex }), rest), credentials);
}

/** The provider marked as an OAuth provider (`isOAuthProvider`), showing the caller's own credential source. */
function asOAuthProvider(provider: Provider, credentials: CredentialSource): Provider {
  const oauthProvider: Provider & OAuthProvider = { ...provider, credentials, authKind: 'oauth' };
  return oauthProvider;
}
