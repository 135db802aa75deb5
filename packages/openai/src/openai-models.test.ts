import { describe, expect, it } from 'vitest';
import {
  isOpenAIChatModel,
  isOpenAIReasoningModel,
  openAIFallbackModels,
  openAIModelCapabilities,
  openAIModels,
  openAIShutdownModels,
  OPENAI_MODELS_VERIFIED_ON,
} from './openai-models';
import { OPENAI_DEFAULT_MODEL } from './openai-settings';

describe('OpenAI model knowledge', () => {
  it('knows which models are reasoning models', () => {
    for (const id of ['o1', 'o3', 'o3-mini', 'o4-mini-2025-04-16', 'gpt-5', 'gpt-5-mini', 'gpt-5.1', 'gpt-6-luna', 'gpt-6.1-sol', 'ft:o4-mini:acme::abc'])
      expect(isOpenAIReasoningModel(id)).toBe(true);
    for (const id of ['gpt-4.1-mini', 'gpt-4o', 'gpt-4o-mini', 'chatgpt-4o-latest', 'gpt-3.5-turbo']) expect(isOpenAIReasoningModel(id)).toBe(false);
  });

  it('keeps chat models out of everything GET /models lists', () => {
    for (const id of ['gpt-4.1-mini', 'gpt-5', 'o3', 'chatgpt-4o-latest', 'ft:gpt-4o-mini:acme::x1']) expect(isOpenAIChatModel(id)).toBe(true);
    for (const id of [
      'text-embedding-3-small',
      'whisper-1',
      'tts-1',
      'dall-e-3',
      'gpt-4o-realtime-preview',
      'gpt-4o-audio-preview',
      'gpt-image-1',
      'gpt-3.5-turbo-instruct',
      'omni-moderation-latest',
      'o1-pro',
      'gpt-5-codex',
      'davinci-002',
    ])
      expect(isOpenAIChatModel(id)).toBe(false);
  });

  it('describes the fallback models with capabilities', () => {
    expect(openAIFallbackModels.map((model) => model.id)).toContain(OPENAI_DEFAULT_MODEL);
    for (const model of openAIFallbackModels) {
      expect(model.provider).toBe('openai');
      expect(model.contextWindow).toBeGreaterThan(100_000);
      expect(model.capabilities.reasoning).toBe(isOpenAIReasoningModel(model.id));
    }
    expect(openAIModelCapabilities('o3-mini').vision).toBe(false);
    expect(openAIModelCapabilities('gpt-4o').vision).toBe(true);
  });

  it('keeps one dated table: current models without a shutdown date, announced shutdowns with theirs', () => {
    expect(OPENAI_MODELS_VERIFIED_ON).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(openAIModels).toEqual([...openAIFallbackModels, ...openAIShutdownModels]);
    expect(openAIFallbackModels.every((model) => model.shutdownDate === undefined)).toBe(true);
    const shutdownOf = (id: string) => openAIShutdownModels.find((model) => model.id === id)?.shutdownDate;
    // The dates of the deprecations page (read 2026-12-02).
    expect(['o3-mini', 'o4-mini', 'gpt-4.1-nano'].map(shutdownOf)).toEqual(['2026-10-23', '2026-10-23', '2026-10-23']);
    expect(['gpt-5', 'gpt-5-mini', 'gpt-5-nano', 'o3'].map(shutdownOf)).toEqual(['2026-12-11', '2026-12-11', '2026-12-11', '2026-12-11']);
    expect(shutdownOf('gpt-4.1-mini')).toBe('2027-01-14');
    expect(openAIModels.map((model) => model.id)).not.toContain(undefined);
    expect(new Set(openAIModels.map((model) => model.id)).size).toBe(openAIModels.length);
  });
});
