import { describe, expect, it } from 'vitest';
import {
  GEMINI_MODELS_VERIFIED_ON,
  geminiFallbackModels,
  geminiModelCapabilities,
  geminiModels,
  geminiShutdownModels,
  parseGeminiModels,
} from './gemini-models';
import { GEMINI_DEFAULT_MODEL } from './gemini-settings';

describe('Gemini models', () => {
  it('parses GET /models leniently: ids without "models/", limits, only generateContent models', () => {
    const body = {
      models: [
        {
          name: 'models/gemini-2.5-pro',
          displayName: 'Gemini 2.5 Pro',
          inputTokenLimit: 1048576,
          outputTokenLimit: 65536,
          supportedGenerationMethods: ['generateContent'],
          thinking: true,
        },
        { name: 'models/gemini-2.0-flash', supportedGenerationMethods: ['generateContent', 'countTokens'] },
        { name: 'models/embedding-001', supportedGenerationMethods: ['embedContent'] },
        { displayName: 'no name' },
        null,
        'garbage',
      ],
    };
    expect(parseGeminiModels(body, 'my-gemini')).toEqual([
      {
        id: 'gemini-2.5-pro',
        provider: 'my-gemini',
        name: 'Gemini 2.5 Pro',
        contextWindow: 1048576,
        maxOutputTokens: 65536,
        capabilities: geminiModelCapabilities('gemini-2.5-pro', true),
      },
      { id: 'gemini-2.0-flash', provider: 'my-gemini', capabilities: { streaming: true, tools: true, vision: true, reasoning: false, json: true } },
    ]);
    expect(parseGeminiModels({ nothing: true }, 'gemini')).toEqual([]);
    expect(parseGeminiModels(null, 'gemini')).toEqual([]);
  });

  it('the fallback list holds current models, none with a shutdown date; reasoning by family', () => {
    expect(geminiFallbackModels.map((model) => model.id)).toEqual(['gemini-3.5-flash-lite', 'gemini-3.5-flash', 'gemini-3.8-flash']);
    expect(geminiFallbackModels[0]).toMatchObject({ contextWindow: 1_048_576, maxOutputTokens: 65_536 });
    for (const model of geminiFallbackModels) {
      expect(model).toMatchObject({ provider: 'gemini', capabilities: { reasoning: true, tools: true } });
      expect(model.shutdownDate).toBeUndefined();
    }
    expect(geminiModelCapabilities('gemini-3-pro-preview').reasoning).toBe(true);
    expect(geminiModelCapabilities('gemma-3-4b-it')).toMatchObject({ tools: false, vision: false, json: false });
  });

  it('keeps one dated table: the default is current, the 2.5 family carries its shutdown dates', () => {
    expect(GEMINI_MODELS_VERIFIED_ON).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(geminiModels).toEqual([...geminiFallbackModels, ...geminiShutdownModels]);
    expect(geminiFallbackModels[0]?.id).toBe(GEMINI_DEFAULT_MODEL);
    const shutdownOf = (id: string) => geminiModels.find((model) => model.id === id)?.shutdownDate;
    expect(['gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite'].map(shutdownOf)).toEqual(['2026-06-17', '2026-06-17', '2026-07-22']);
    expect(shutdownOf(GEMINI_DEFAULT_MODEL)).toBeUndefined();
  });
});
