import { createChatProvider, parseOrThrow, type Provider, type ProviderDefinition } from '@kit/core';
import { defineOpenAICompatibleProvider } from '@kit/openai-compatible';
import { refineOpenAIPlatformError } from './openai-errors';
import { isOpenAIChatModel, isOpenAIReasoningModel, openAIFallbackModels, openAIModelCapabilities } from './openai-models';
import { OPENAI_API_KEY_ENV_VAR, OPENAI_BASE_URL, OPENAI_DEFAULT_MODEL, openAISettingsSchema, type OpenAISettings } from './openai-settings';

/** OpenAI's wire definition (for `createChatProvider` or a custom factory). */
export function defineOpenAIProvider(options: { organization?: string; project?: string } = {}): ProviderDefinition {
  const headers: Record<string, string> = {};
  if (options.organization) headers['openai-organization'] = options.organization;
  if (options.project) headers['openai-project'] = options.project;
  return defineOpenAICompatibleProvider({
    type: 'openai',
    defaultBaseURL: OPENAI_BASE_URL,
    defaultModel: OPENAI_DEFAULT_MODEL,
    apiKeyEnvVar: OPENAI_API_KEY_ENV_VAR,
    capabilities: { vision: true, documents: true, audio: true, reasoning: true },
    fallbackModels: openAIFallbackModels,
    headers,
    maxTokensField: (model) => (isOpenAIReasoningModel(model) ? 'max_completion_tokens' : 'max_tokens'),
    refineError: refineOpenAIPlatformError,
    includeModel: isOpenAIChatModel,
    capabilitiesFor: openAIModelCapabilities,
  });
}

/**
 * The OpenAI provider: `POST /chat/completions` on `https://api.openai.com/v1`, key from `OPENAI_API_KEY`
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
  return createChatProvider(defineOpenAIProvider({ organization, project }), common);
}
