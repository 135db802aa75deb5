import { KitError, type Provider } from '@kit/core';
import { createChatProvider, httpURLSchema, parseOrThrow, providerSettingsShape, type ProviderDefinition } from '@kit/core/provider-utils';
import { buildOpenAIChatBody, defineOpenAICompatibleProvider, type OpenAICompatibleConfig } from '@kit/openai-compatible';
import { DASHSCOPE_BASE_URL, dashScopeBaseURLs, QWEN_OAUTH_BASE_URL, qwenBaseURLFor } from './qwen-base-url';
import { refineQwenError } from './qwen-errors';
import { qwenFallbackModels, qwenTextModel, qwenVisionModel } from './qwen-models';
import * as z from 'zod/mini';

/** The environment variable read for a DashScope key when neither `apiKey` nor `credentials` is given. */
export const DASHSCOPE_API_KEY_ENV_VAR = 'DASHSCOPE_API_KEY';
/** Default model of DashScope API keys: Model Studio's balanced general-purpose model. */
export const QWEN_DASHSCOPE_DEFAULT_MODEL = 'qwen-plus';
/** Default model of Qwen OAuth accounts (the coding model the free Qwen Code tier serves). */
export const QWEN_OAUTH_DEFAULT_MODEL = 'qwen3-coder-plus';

/** Strict: an unknown key is an `invalid_config` error naming it. (A pure IIFE: unused, it is shaken out.) */
export const qwenSettingsSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    ...providerSettingsShape,
    /** The DashScope region of your API keys (default `'singapore'`); use `baseURL` for any other endpoint. */
    region: z.optional(z.enum(['singapore', 'virginia', 'beijing'])),
    /** API keys: the OpenAI-compatible endpoint (default the region's DashScope endpoint). Not with `region`. */
    baseURL: providerSettingsShape.baseURL,
    /** OAuth accounts whose credential has no `resourceUrl` (default `https://portal.qwen.ai/v1`). */
    oauthBaseURL: z.optional(httpURLSchema()),
    /**
     * Default `qwen3-coder-plus` when `credentials` is an OAuth pool (a source with `onUnauthorized`, such as an
     * `OAuthManager`), else `qwen-plus`.
     */
    defaultModel: providerSettingsShape.defaultModel,
  }))();

/** Settings of `createQwen`: the common ones plus where DashScope keys and OAuth accounts send their requests. */
export type QwenSettings = z.infer<typeof qwenSettingsSchema>;

// DashScope's model list also holds embedding, speech, image and realtime models, which chat cannot use.
const nonChatModel = /embed|rerank|tts|asr|paraformer|sambert|cosyvoice|wanx|wan2|image|realtime|livetranslate/i;

/** Options of `defineQwenProvider` (`createQwen` derives them from its settings). */
export interface QwenDefinitionOptions {
  /** Base URL of OAuth accounts without `resourceUrl` (default `https://portal.qwen.ai/v1`). */
  oauthBaseURL?: string;
  /** Default `qwen-plus`. */
  defaultModel?: string;
  /** Base URL of API keys (default DashScope's international endpoint). */
  defaultBaseURL?: string;
}

/**
 * Qwen's wire definition: the OpenAI dialect with DashScope's error identifiers, the per-credential base URL
 * (`resourceUrl` of an OAuth account) and `maxTokens` sent as each endpoint wants it.
 */
export function defineQwenProvider(options: QwenDefinitionOptions = {}): ProviderDefinition {
  const config: OpenAICompatibleConfig = {
    type: 'qwen',
    defaultBaseURL: options.defaultBaseURL ?? DASHSCOPE_BASE_URL,
    defaultModel: options.defaultModel ?? QWEN_DASHSCOPE_DEFAULT_MODEL,
    apiKeyEnvVar: DASHSCOPE_API_KEY_ENV_VAR,
    capabilities: { vision: true, reasoning: true },
    fallbackModels: qwenFallbackModels,
    refineError: refineQwenError,
    includeModel: (id) => !nonChatModel.test(id),
    capabilitiesFor: (id) => (/vl|omni|qvq/i.test(id) ? qwenVisionModel : qwenTextModel),
  };
  const definition = defineOpenAICompatibleProvider(config);
  // DashScope replaced `max_tokens` by `max_completion_tokens` (2026); the OAuth portal keeps `max_tokens`.
  const dashScopeConfig = { ...config, maxTokensField: 'max_completion_tokens' as const };
  return {
    ...definition,
    baseURLFor: (lease, configuredBaseURL) => qwenBaseURLFor(lease, configuredBaseURL, options.oauthBaseURL),
    chat: {
      ...definition.chat,
      buildRequest: (generate, context) => ({
        path: '/chat/completions',
        body: buildOpenAIChatBody(generate, context.credential.kind === 'oauth' ? config : dashScopeConfig, context.provider),
      }),
    },
  };
}

/**
 * The Qwen provider, OpenAI wire format throughout:
 * - **API keys** (`apiKey`, `DASHSCOPE_API_KEY`, or a `KeyManager`) go to DashScope's OpenAI-compatible endpoint,
 *   `https://dashscope-intl.aliyuncs.com/compatible-mode/v1` (or the `region`'s, or `baseURL`).
 * - **OAuth accounts** (an `OAuthManager` with `qwenOAuthRefresh`) go to `https://portal.qwen.ai/v1`, or to
 *   `https://<resourceUrl>/v1` when the account's credential names a resource URL.
 *
 * @example
 * const qwen = createQwen({ credentials: new OAuthManager('qwen', accounts, qwenOAuthRefresh) });
 * const { text } = await qwen.complete({ prompt: 'Write a haiku about failover' });
 */
export function createQwen(settings: QwenSettings = {}): Provider {
  const valid = parseOrThrow(qwenSettingsSchema, settings ?? {}, 'invalid_config', { what: 'invalid qwen settings', provider: 'qwen' });
  if (valid.region && valid.baseURL)
    throw new KitError('invalid_config', 'invalid qwen settings: region: give either region or baseURL, not both', { provider: 'qwen' });
  const oauthPool = typeof valid.credentials?.onUnauthorized === 'function';
  const definition = defineQwenProvider({
    oauthBaseURL: valid.oauthBaseURL ?? QWEN_OAUTH_BASE_URL,
    defaultModel: oauthPool ? QWEN_OAUTH_DEFAULT_MODEL : QWEN_DASHSCOPE_DEFAULT_MODEL,
    defaultBaseURL: valid.region ? dashScopeBaseURLs[valid.region] : DASHSCOPE_BASE_URL,
  });
  // `region` and `oauthBaseURL` are in the definition; core gets the common settings (it refuses unknown ones).
  const { region, oauthBaseURL, ...common } = valid;
  return createChatProvider(definition, common);
}
