import { KitError, type Provider } from '@kit/core';
import { createChatProvider, parseOrThrow } from '@kit/core/provider-utils';
import { defineOpenAICompatibleProvider } from './define-openai-compatible-provider';
import { openAICompatiblePresetModels } from './openai-compatible-preset-models';
import { openAICompatiblePresets, type OpenAICompatiblePreset } from './openai-compatible-presets';
import { withUsageCounting } from './openai-usage-counting';
import { openAICompatibleSettingsSchema, type OpenAICompatibleSettings } from './openai-compatible-settings';

const TYPE = 'openai-compatible';

function missingBaseURL(): never {
  throw new KitError('invalid_config', 'invalid openai-compatible settings: baseURL: is required unless a preset is chosen', { provider: TYPE });
}

/**
 * A provider for any server that speaks OpenAI's chat-completions API: a preset (`groq`, `zen`, `deepseek`,
 * `xai`, `together`, `fireworks`, `lmstudio`, `llamacpp`, `vllm`) or your own `baseURL` (with `defaultModel`, or a
 * `model` on every call: a call with neither fails with `invalid_request` naming `model`).
 *
 * @example
 * const groq = createOpenAICompatible({ preset: 'groq' }); // reads GROQ_API_KEY
 * const local = createOpenAICompatible({ baseURL: 'http://localhost:9000/v1', defaultModel: 'my-model', apiKeyOptional: true });
 */
export function createOpenAICompatible(settings: OpenAICompatibleSettings): Provider {
  const parsed = parseOrThrow(openAICompatibleSettingsSchema, settings ?? {}, 'invalid_config', {
    what: 'invalid openai-compatible settings',
    provider: TYPE,
  });
  const { preset: presetName, apiKeyEnvVar, apiKeyOptional, usage, ...common } = parsed;
  const preset: OpenAICompatiblePreset | undefined = presetName ? openAICompatiblePresets[presetName] : undefined;
  const name = common.name ?? presetName ?? TYPE;
  const definition = defineOpenAICompatibleProvider({
    type: TYPE,
    name,
    defaultBaseURL: common.baseURL ?? preset?.baseURL ?? missingBaseURL(),
    // Without one, every call names its `model` (checked at call time); the fallback model list is then empty.
    defaultModel: common.defaultModel ?? preset?.defaultModel ?? '',
    apiKeyEnvVar: apiKeyEnvVar ?? preset?.apiKeyEnvVar,
    apiKeyOptional: apiKeyOptional ?? preset?.apiKeyOptional ?? false,
    capabilities: preset?.capabilities,
    // A preset's current models (its dated table without the shut-down ones) under the instance name; with a
    // `defaultModel` of the caller's own, that model alone.
    fallbackModels:
      presetName && !common.defaultModel
        ? openAICompatiblePresetModels[presetName].flatMap((model) => (model.shutdownDate ? [] : [{ ...model, provider: name }]))
        : undefined,
    maxTokensField: preset?.maxTokensField,
    reasoningReplay: preset?.reasoningReplay,
  });
  return createChatProvider(withUsageCounting(definition, usage ?? preset?.usage), { ...common, name });
}
