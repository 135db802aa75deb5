import type { Provider } from '@kit/core';
import { createChatProvider, parseOrThrow, type ProviderDefinition } from '@kit/core/provider-utils';
import { defineOpenAICompatibleProvider } from '@kit/openai-compatible';
import { isOpenAIChatModel, isOpenAIReasoningModel, openAIFallbackModels, openAIModelCapabilities } from './openai-models';
import { OPENAI_API_KEY_ENV_VAR, OPENAI_BASE_URL, OPENAI_DEFAULT_MODEL, openAISettingsSchema, type OpenAISettings } from './openai-settings';

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
    maxTokensField: (model) => (isOpenAIReasoningModel(model) ? 'max_completion_tokens' : 'max_tokens'),
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
  const valid = parseOrThrow(openAISettingsSchema, settings ?? {}, 'invalid_config', { what: 'invalid openai settings', provider: 'openai' });
  // `organization` and `project` become headers; core reads the common settings and passes over these two.
  return createChatProvider(defineOpenAIProvider(valid), valid);
}
