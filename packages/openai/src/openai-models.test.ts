import { describe, expect, it } from 'vitest';
import { isOpenAIChatModel, isOpenAIReasoningModel, openAIFallbackModels, openAIModelCapabilities } from './openai-models';

describe('OpenAI model knowledge', () => {
  it('knows which models are reasoning models', () => {
    for (const id of ['o1', 'o3', 'o3-mini', 'o4-mini-2025-04-16', 'gpt-5', 'gpt-5-mini', 'gpt-5.1', 'ft:o4-mini:acme::abc'])
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
    expect(openAIFallbackModels.map((model) => model.id)).toContain('gpt-4.1-mini');
    for (const model of openAIFallbackModels) {
      expect(model.provider).toBe('openai');
      expect(model.contextWindow).toBeGreaterThan(100_000);
      expect(model.capabilities.reasoning).toBe(isOpenAIReasoningModel(model.id));
    }
    expect(openAIModelCapabilities('o3-mini').vision).toBe(false);
    expect(openAIModelCapabilities('gpt-4o').vision).toBe(true);
  });
});
