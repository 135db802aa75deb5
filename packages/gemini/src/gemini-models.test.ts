import { describe, expect, it } from 'vitest';
import { geminiFallbackModels, geminiModelCapabilities, parseGeminiModels } from './gemini-models';

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

  it('the fallback list holds the current models with limits; reasoning by family', () => {
    expect(geminiFallbackModels.map((model) => model.id)).toEqual(['gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite']);
    for (const model of geminiFallbackModels)
      expect(model).toMatchObject({ provider: 'gemini', contextWindow: 1_048_576, capabilities: { reasoning: true, tools: true } });
    expect(geminiModelCapabilities('gemini-3-pro-preview').reasoning).toBe(true);
    expect(geminiModelCapabilities('gemma-3-4b-it')).toMatchObject({ tools: false, vision: false, json: false });
  });
});
