import { KitError, type ChatCompletion, type ChatStream, type GenerateOptions, type Provider } from '@kit/core';
import { createChatProvider, parseOrThrow, type ProviderDefinition } from '@kit/core/provider-utils';
import {
  buildOpenAIChatBody,
  defineOpenAICompatibleProvider,
  type MaxTokensField,
  type OpenAIChatBody,
  type OpenAICompatibleConfig,
} from '@kit/openai-compatible';
import { azureAuthHeaders, refuseCredentialHeaders } from './azure-auth-headers';
import { azureBaseURLFor, azureResourceBaseURL } from './azure-base-url';
import { refineAzureError } from './azure-errors';
import { AZURE_OPENAI_API_KEY_ENV_VAR, azureSettingsSchema, type AzureSettings } from './azure-settings';

const TYPE = 'azure';

/** Options of `defineAzureProvider` (`createAzure` derives them from its settings). */
export interface AzureDefinitionOptions {
  /** The base URL up to `/openai` when credentials carry none; `''` reads `AZURE_OPENAI_ENDPOINT` at request time. */
  defaultBaseURL?: string;
  /** The deployment-path form with this `api-version`; without it, the v1 API. */
  apiVersion?: string;
  /** The deployment of calls without `model`; default none (every call names one). */
  defaultModel?: string;
  /** Instance name in errors and the fallback model list (default `'azure'`). */
  name?: string;
}

/** Whether an api-version predates 2024-09-01 (preview): the request fields OpenAI added since are unknown there. */
function isBeforeSeptember2024(apiVersion: string | undefined): boolean {
  return apiVersion !== undefined && /^\d{4}-\d{2}-\d{2}/.test(apiVersion) && apiVersion < '2024-09-01';
}

/**
 * The field that carries `maxTokens`: `max_completion_tokens` (which reasoning deployments require) on the v1 API and
 * api-versions from 2024-09-01 (preview) on; `max_tokens` on older api-versions, which do not know the other.
 */
export function azureMaxTokensField(apiVersion: string | undefined): MaxTokensField {
  return isBeforeSeptember2024(apiVersion) ? 'max_tokens' : 'max_completion_tokens';
}

/**
 * Older api-versions refuse `stream_options` ("Unrecognized request argument supplied: stream_options",
 * openai/openai-python#1469 on 2023-05-15; supported from 2024-09-01-preview and in the stable 2024-10-21): their
 * streams carry no usage, so the call reports zero tokens rather than failing.
 */
function withoutStreamOptions(body: OpenAIChatBody): OpenAIChatBody {
  const { stream_options: _dropped, ...rest } = body;
  return rest;
}

/** The path of a chat request below the base URL: v1, or the deployment path with `api-version`. */
export function azureChatPath(deployment: string, apiVersion: string | undefined): string {
  return apiVersion === undefined
    ? '/v1/chat/completions'
    : `/deployments/${encodeURIComponent(deployment)}/chat/completions?api-version=${encodeURIComponent(apiVersion)}`;
}

/**
 * Azure OpenAI's wire definition: the OpenAI dialect of `@kit/openai-compatible` (request, stream and error mapping)
 * with Azure's URLs (v1 or deployment path), its `api-key` / `Authorization: Bearer` headers, a per-credential resource
 * (a pool of deployments across regions) and Azure's error identifiers.
 */
export function defineAzureProvider(options: AzureDefinitionOptions = {}): ProviderDefinition {
  const { apiVersion, name = TYPE } = options;
  const config: OpenAICompatibleConfig = {
    type: TYPE,
    name,
    defaultBaseURL: options.defaultBaseURL ?? '',
    // Deployment names are the user's own: no default.
    defaultModel: options.defaultModel ?? '',
    apiKeyEnvVar: AZURE_OPENAI_API_KEY_ENV_VAR,
    capabilities: { vision: true },
    maxTokensField: azureMaxTokensField(apiVersion),
    transformRequestBody: isBeforeSeptember2024(apiVersion) ? withoutStreamOptions : undefined,
    refineError: refineAzureError,
  };
  const definition = defineOpenAICompatibleProvider(config);
  const versionQuery = apiVersion === undefined ? '' : `?api-version=${encodeURIComponent(apiVersion)}`;
  return {
    ...definition,
    authHeaders: azureAuthHeaders,
    baseURLFor: (lease, configuredBaseURL) => azureBaseURLFor(lease, configuredBaseURL, name),
    chat: {
      ...definition.chat,
      buildRequest: (generate, context) => {
        const body = buildOpenAIChatBody(generate, config, context.provider);
        return { path: azureChatPath(body.model, apiVersion), body };
      },
    },
    models: definition.models && { ...definition.models, request: { path: apiVersion === undefined ? '/v1/models' : `/models${versionQuery}`, method: 'GET' } },
  };
}

/**
 * The Azure OpenAI provider, over the OpenAI dialect:
 * - **Where**: `resourceName` (`https://{resourceName}.openai.azure.com/openai`), `baseURL` (up to `/openai`),
 *   `AZURE_OPENAI_ENDPOINT`, or each credential's own resource (`azureEntraCredential({ resourceName })`).
 * - **URL shape**: the v1 API (`…/openai/v1/chat/completions`, `model` = deployment name) by default; with
 *   `apiVersion`, `…/openai/deployments/{model}/chat/completions?api-version={apiVersion}`.
 * - **Auth**: API keys (`apiKey`, `AZURE_OPENAI_API_KEY`, a `KeyManager`) as `api-key`; Entra ID tokens (an
 *   `OAuthManager` with `azureEntraRefresh`) as `Authorization: Bearer`. Never both: user headers may not set either.
 *
 * @example
 * const azure = createAzure({ resourceName: 'my-resource', apiKey: process.env.AZURE_OPENAI_API_KEY });
 * const { text } = await azure.complete({ model: 'my-gpt-4o-deployment', prompt: 'Hello' });
 */
export function createAzure(settings: AzureSettings = {}): Provider {
  const valid = parseOrThrow(azureSettingsSchema, settings ?? {}, 'invalid_config', { what: 'invalid azure settings', provider: TYPE });
  const { resourceName, apiVersion, baseURL, ...common } = valid;
  const name = common.name ?? TYPE;
  if (resourceName !== undefined && baseURL !== undefined) {
    throw new KitError('invalid_config', 'invalid azure settings: resourceName: give either resourceName or baseURL, not both', { provider: TYPE });
  }
  if (baseURL !== undefined && /\/(v1|deployments(\/.*)?)\/*$/.test(new URL(baseURL).pathname)) {
    throw new KitError('invalid_config', 'invalid azure settings: baseURL: give the URL up to /openai: @kit appends /v1/… or /deployments/{deployment}/…', {
      provider: TYPE,
    });
  }
  refuseCredentialHeaders(common.headers, 'invalid azure settings', 'invalid_config', TYPE);
  const resolvedBaseURL = baseURL ?? (resourceName === undefined ? undefined : azureResourceBaseURL(resourceName));
  const definition = defineAzureProvider({ defaultBaseURL: resolvedBaseURL ?? '', apiVersion, defaultModel: common.defaultModel, name });
  const provider = createChatProvider(definition, { ...common, baseURL: resolvedBaseURL });
  return {
    ...provider,
    async generateChatCompletion(options: GenerateOptions): Promise<ChatStream> {
      refuseCredentialHeaders(options?.headers, name, 'invalid_request', name);
      return provider.generateChatCompletion(options);
    },
    async complete<OUTPUT = unknown>(options: GenerateOptions<OUTPUT>): Promise<ChatCompletion<OUTPUT>> {
      refuseCredentialHeaders(options?.headers, name, 'invalid_request', name);
      return provider.complete(options);
    },
  };
}
