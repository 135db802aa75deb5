import { nextAnthropicModelsPage } from './anthropic-model-pages';
import { streamsLongAnswersOnWire } from './anthropic-long-requests';
import { PROVIDER_SPECIFICATION_VERSION, type Provider } from '@kit/core';
import { createChatProvider, httpURLSchema, parseOrThrow, readEnvironmentVariable, sseFraming, type ProviderDefinition } from '@kit/core/provider-utils';
import { refineAnthropicError } from './anthropic-errors';
import { anthropicFallbackModels, MODELS_PAGE_LIMIT, parseAnthropicModels } from './anthropic-models';
import { readAnthropicRateLimits } from './anthropic-rate-limits';
import { buildAnthropicRequest, validateAnthropicProviderOptions } from './anthropic-request';
import {
  ANTHROPIC_API_KEY_ENV_VAR,
  ANTHROPIC_BASE_URL,
  ANTHROPIC_BASE_URL_ENV_VAR,
  ANTHROPIC_DEFAULT_MODEL,
  ANTHROPIC_VERSION,
  anthropicSettingsSchema,
  type AnthropicSettings,
} from './anthropic-settings';
import { createAnthropicStreamMapper, parseAnthropicResponse } from './anthropic-stream-mapper';

/**
 * Anthropic's wire definition (for `createChatProvider` or a custom factory): `POST /messages` (SSE when
 * streaming), `GET /models`, `x-api-key`, `anthropic-version`, `anthropic-beta`, `anthropic-ratelimit-*` headers.
 */
export function defineAnthropicProvider({
  anthropicVersion = ANTHROPIC_VERSION,
  beta = [],
}: Pick<AnthropicSettings, 'anthropicVersion' | 'beta'> = {}): ProviderDefinition {
  return {
    specificationVersion: PROVIDER_SPECIFICATION_VERSION,
    type: 'anthropic',
    defaultBaseURL: ANTHROPIC_BASE_URL,
    defaultModel: ANTHROPIC_DEFAULT_MODEL,
    apiKeyEnvVar: ANTHROPIC_API_KEY_ENV_VAR,
    capabilities: { streaming: true, tools: true, vision: true, documents: true, audio: false, reasoning: true, json: true },
    fallbackModels: anthropicFallbackModels,
    authHeaders: (lease) => ({ 'x-api-key': lease.secret }),
    headers: { 'anthropic-version': anthropicVersion },
    chat: {
      framing: sseFraming,
      buildRequest: (options, context) => buildAnthropicRequest(options, context.provider, beta),
      createStreamMapper: createAnthropicStreamMapper,
      parseResponse: parseAnthropicResponse,
      streamsOnWire: streamsLongAnswersOnWire,
    },
    // Pages of the API's largest size, following `has_more` (core caches the list).
    models: { request: { path: `/models?limit=${MODELS_PAGE_LIMIT}`, method: 'GET' }, parse: parseAnthropicModels, nextPage: nextAnthropicModelsPage },
    // Cheap and authenticated: one model.
    healthCheckRequest: { path: '/models?limit=1', method: 'GET' },
    refineError: refineAnthropicError,
    rateLimits: readAnthropicRateLimits,
    validateProviderOptions: (options) => {
      validateAnthropicProviderOptions(options);
    },
  };
}

/** `ANTHROPIC_BASE_URL` as the official SDK reads it (the host; `/v1` appended), checked like the `baseURL` setting. */
function baseURLFromEnvironment(env: AnthropicSettings['env']): string | undefined {
  const value = readEnvironmentVariable(ANTHROPIC_BASE_URL_ENV_VAR, env);
  if (value === undefined) return undefined;
  const host = parseOrThrow(httpURLSchema(), value, 'invalid_config', { what: `invalid ${ANTHROPIC_BASE_URL_ENV_VAR}`, provider: 'anthropic' });
  return `${host.replace(/\/+$/, '')}/v1`;
}

/**
 * The Anthropic provider: the Messages API (`POST /messages`) on `https://api.anthropic.com/v1`, key from
 * `ANTHROPIC_API_KEY` unless `apiKey` or `credentials` (a `KeyManager` pool) is given.
 *
 * @example
 * const claude = createAnthropic({ credentials: new KeyManager('anthropic', [process.env.ANTHROPIC_KEY_A!, process.env.ANTHROPIC_KEY_B!]) });
 * const { text } = await claude.complete({ prompt: 'Say hi' });
 */
export function createAnthropic(settings: AnthropicSettings = {}): Provider {
  const { anthropicVersion, beta, ...common } = parseOrThrow(anthropicSettingsSchema, settings ?? {}, 'invalid_config', {
    what: 'invalid anthropic settings',
    provider: 'anthropic',
  });
  // `ANTHROPIC_BASE_URL` is read when the provider is created, as the official SDK does; an explicit `baseURL` wins.
  const baseURL = common.baseURL ?? baseURLFromEnvironment(common.env);
  return createChatProvider(defineAnthropicProvider({ anthropicVersion, beta }), baseURL === undefined ? common : { ...common, baseURL });
}
