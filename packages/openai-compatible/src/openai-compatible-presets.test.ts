import { describe, expect, it } from 'vitest';
import { openAICompatiblePresetModels, OPENAI_COMPATIBLE_PRESET_MODELS_VERIFIED_ON } from './openai-compatible-preset-models';
import { openAICompatiblePresetNames, openAICompatiblePresets } from './openai-compatible-presets';
import { createOpenAICompatible } from './openai-compatible-provider';

describe('openAICompatiblePresets', () => {
  it('has the documented base URLs and key variables', () => {
    const table = Object.fromEntries(
      Object.entries(openAICompatiblePresets).map(([name, preset]) => [name, [preset.baseURL, 'apiKeyEnvVar' in preset ? preset.apiKeyEnvVar : null]]),
    );
    expect(table).toEqual({
      groq: ['https://api.groq.com/openai/v1', 'GROQ_API_KEY'],
      zen: ['https://opencode.ai/zen/v1', 'OPENCODE_API_KEY'],
      deepseek: ['https://api.deepseek.com/v1', 'DEEPSEEK_API_KEY'],
      xai: ['https://api.x.ai/v1', 'XAI_API_KEY'],
      together: ['https://api.together.xyz/v1', 'TOGETHER_API_KEY'],
      fireworks: ['https://api.fireworks.ai/inference/v1', 'FIREWORKS_API_KEY'],
      lmstudio: ['http://localhost:1234/v1', null],
      llamacpp: ['http://localhost:8080/v1', null],
      vllm: ['http://localhost:8000/v1', null],
    });
  });

  it('lets only local servers go without a key', () => {
    const keyless = openAICompatiblePresetNames.filter((name) => 'apiKeyOptional' in openAICompatiblePresets[name]);
    expect(keyless).toEqual(['lmstudio', 'llamacpp', 'vllm']);
  });

  it('builds a provider for every preset, named after it, with its default model', () => {
    for (const name of openAICompatiblePresetNames) {
      const provider = createOpenAICompatible({ preset: name, apiKey: 'test-key-1' });
      expect(provider.name).toBe(name);
      expect(provider.getDefaultModel()).toBe(openAICompatiblePresets[name].defaultModel);
      expect(provider.getConfig()).toMatchObject({ baseURL: openAICompatiblePresets[name].baseURL });
    }
    const custom = createOpenAICompatible({ preset: 'groq', name: 'groq-eu', defaultModel: 'llama-x', baseURL: 'https://proxy.test/v1' });
    expect([custom.name, custom.getDefaultModel(), custom.getConfig().baseURL]).toEqual(['groq-eu', 'llama-x', 'https://proxy.test/v1']);
  });

  it('keeps a dated table per preset: the default current, the retired ids with their shutdown date', async () => {
    expect(OPENAI_COMPATIBLE_PRESET_MODELS_VERIFIED_ON).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Object.keys(openAICompatiblePresetModels)).toEqual(openAICompatiblePresetNames);
    for (const name of openAICompatiblePresetNames) {
      const table = openAICompatiblePresetModels[name];
      expect(table[0]?.id, name).toBe(openAICompatiblePresets[name].defaultModel);
      expect(table[0]?.shutdownDate, name).toBeUndefined();
      for (const model of table) expect(model.provider).toBe(name);
    }
    const shutdownOf = (name: 'deepseek' | 'xai', id: string) => openAICompatiblePresetModels[name].find((model) => model.id === id)?.shutdownDate;
    expect([shutdownOf('deepseek', 'deepseek-chat'), shutdownOf('deepseek', 'deepseek-reasoner')]).toEqual(['2026-07-24', '2026-07-24']);
    expect(shutdownOf('xai', 'grok-4-1-fast-reasoning')).toBe('2026-05-15');
    // The fallback list of a preset provider: its current models, under the instance name, none retired.
    const deepseek = createOpenAICompatible({ preset: 'deepseek', name: 'ds', apiKey: 'test-key-1', baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0 });
    expect((await deepseek.getModels()).map((model) => [model.id, model.provider, model.contextWindow])).toEqual([
      ['deepseek-v4-flash', 'ds', 1_048_576],
      ['deepseek-v4-pro', 'ds', 1_048_576],
    ]);
  });
});
