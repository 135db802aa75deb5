import type { Provider } from '@kit/core';
import { createChatProvider, httpURLSchema, parseOrThrow, readEnvironmentVariable, type ProviderDefinition } from '@kit/core/provider-utils';
import { defineOpenAICompatibleProvider } from '@kit/openai-compatible';
import { isOpenAIChatModel, openAIFallbackModels, openAIModelCapabilities } from './openai-models';
import {
  OPENAI_API_KEY_ENV_VAR,
  OPENAI_BASE_URL,
  OPENAI_BASE_URL_ENV_VAR,
  OPENAI_DEFAULT_MODEL,
  openAISettingsSchema,
  type OpenAISettings,
} from './openai-settings';

/** OpenAI's wire definition (for `createChatProvider` or a custom factory). */
export function defineOpenAIProvider({ organization, project }: { organization?: string; project?: string } = {}): ProviderDefinition {
  return defineOpenAICompatibleProvider({
    type: 'openai',
    defaultBaseURL: OPENAI_BASE_URL,
    defaultModel: OPENAI_DEFAULT_MODEL,
    apiKeyEnvVar: OPENAI_API_KEY_ENV_VAR,
    capabilities: { vision: true, documents: true, audio: true, reasoning: true },
    fallbackModels: openAIFallbackModels,
    headers: { ...(organization && { 'openai-organization': organization }), ...(project && { 'openai-project': project }) },
    // The documented field for every chat model; `max_tokens` is refused by reasoning models.
    maxTokensField: 'max_completion_tokens',
    includeModel: isOpenAIChatModel,
    capabilitiesFor: openAIModelCapabilities,
  });
}

/** `OPENAI_BASE_URL` as the official SDK reads it (the full base URL), checked like the `baseURL` setting. */
function baseURLFromEnvironment(env: OpenAISettings['env']): string | undefined {
  const value = readEnvironmentVariable(OPENAI_BASE_URL_ENV_VAR, env);
  return value === undefined
    ? undefined
    : parseOrThrow(httpURLSchema(), value, 'invalid_config', { what: `invalid ${OPENAI_BASE_URL_ENV_VAR}`, provider: 'openai' });
}

/**
 * The OpenAI provider: `POST /chat/completions` on `https://api.openai.com/v1` (or `OPENAI_BASE_URL`, read when the
 * provider is created, as the official SDK does; an explicit `baseURL` wins), key from `OPENAI_API_KEY`
 * unless `apiKey` or `credentials` (a `KeyManager` pool) is given.
 *
 * @example
 * const openai = createOpenAI({ credentials: new KeyManager('openai', [process.env.OPENAI_KEY_A!, process.env.OPENAI_KEY_B!]) });
 * const { text } = await openai.complete({ prompt: 'Say hi' });
 */
export function createOpenAI(settings: OpenAISettings = {}): Provider {
  const { organization, project, ...common } = parseOrThrow(openAISettingsSchema, settings ?? {}, 'invalid_config', {
    what: 'invalid openai settings',
    provider: 'openai',
  });
  // `organization` and `project` become headers; core gets the common settings (it refuses unknown ones).
  const baseURL = common.baseURL ?? baseURLFromEnvironment(common.env);
  return createChatProvider(defineOpenAIProvider({ organization, project }), baseURL === undefined ? common : { ...common, baseURL });
}
