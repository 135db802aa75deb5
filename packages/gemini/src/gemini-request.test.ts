import type { GenerateOptions } from '@kit/core';
import { resolveGenerateOptions } from '@kit/core/provider-utils';
import { describe, expect, it } from 'vitest';
import { buildGeminiRequest, validateGeminiProviderOptions } from './gemini-request';

const build = (options: GenerateOptions) =>
  buildGeminiRequest(resolveGenerateOptions(options, { provider: 'gemini', defaultModel: 'gemini-2.5-flash', defaultStream: true }), 'gemini');

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather',
  parameters: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
    required: ['city'],
    additionalProperties: false,
  },
};

describe('buildGeminiRequest', () => {
  it('sends only what was set: no invented generationConfig', () => {
    expect(build({ prompt: 'Hi' })).toEqual({ contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] });
  });

  it('maps the knobs to generationConfig (topK and penalties from providerOptions.gemini)', () => {
    const request = build({
      system: 'Be terse.',
      prompt: 'Hi',
      temperature: 0.2,
      topP: 0.9,
      maxTokens: 256,
      stop: ['END'],
      seed: 7,
      providerOptions: {
        gemini: { topK: 40, presencePenalty: 0.5, frequencyPenalty: 0.1, thinkingConfig: { thinkingBudget: 1024, includeThoughts: true } },
      },
    });
    expect(request.systemInstruction).toEqual({ parts: [{ text: 'Be terse.' }] });
    expect(request.generationConfig).toEqual({
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      maxOutputTokens: 256,
      stopSequences: ['END'],
      seed: 7,
      presencePenalty: 0.5,
      frequencyPenalty: 0.1,
      thinkingConfig: { thinkingBudget: 1024, includeThoughts: true },
    });
  });

  it('json → responseMimeType; json-schema → responseJsonSchema (JSON Schema as given, minus $schema)', () => {
    expect(build({ prompt: 'x', responseFormat: { type: 'json' } }).generationConfig).toEqual({ responseMimeType: 'application/json' });
    expect(build({ prompt: 'x', responseFormat: { type: 'text' } }).generationConfig).toBeUndefined();
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { answer: { anyOf: [{ type: 'string' }, { type: 'null' }] } },
      required: ['answer'],
    };
    expect(build({ prompt: 'x', responseFormat: { type: 'json-schema', schema, name: 'reply' } }).generationConfig).toEqual({
      responseMimeType: 'application/json',
      responseJsonSchema: { type: 'object', properties: { answer: { anyOf: [{ type: 'string' }, { type: 'null' }] } }, required: ['answer'] },
    });
    const openApi = { type: 'OBJECT', properties: { answer: { type: 'STRING' } } };
    expect(
      build({ prompt: 'x', responseFormat: { type: 'json-schema', schema }, providerOptions: { gemini: { responseSchema: openApi } } }).generationConfig,
    ).toEqual({
      responseMimeType: 'application/json',
      responseSchema: openApi,
    });
  });

  it('tools → functionDeclarations with parametersJsonSchema; a function without parameters has no schema; extra Gemini tools appended', () => {
    const request = build({
      prompt: 'x',
      tools: [weatherTool, { name: 'now', parameters: { type: 'object', properties: {} } }],
      providerOptions: { gemini: { tools: [{ googleSearch: {} }] } },
    });
    expect(request.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'get_weather',
            description: 'Current weather',
            parametersJsonSchema: { type: 'object', properties: weatherTool.parameters.properties, required: ['city'], additionalProperties: false },
          },
          { name: 'now' },
        ],
      },
      { googleSearch: {} },
    ]);
    expect(request.toolConfig).toBeUndefined();
  });

  it('toolChoice → toolConfig.functionCallingConfig', () => {
    const config = (toolChoice: GenerateOptions['toolChoice']) => build({ prompt: 'x', tools: [weatherTool], toolChoice }).toolConfig;
    expect(config('auto')).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
    expect(config('none')).toEqual({ functionCallingConfig: { mode: 'NONE' } });
    expect(config('required')).toEqual({ functionCallingConfig: { mode: 'ANY' } });
    expect(config({ name: 'get_weather' })).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } });
    expect(build({ prompt: 'x', toolChoice: 'required' }).toolConfig).toBeUndefined();
  });

  it('safetySettings and cachedContent go at the top level', () => {
    const safetySettings = [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' }];
    expect(build({ prompt: 'x', providerOptions: { gemini: { safetySettings, cachedContent: 'cachedContents/abc' } } })).toMatchObject({
      safetySettings,
      cachedContent: 'cachedContents/abc',
    });
  });

  it('a conversation of system messages only is an invalid_request', () => {
    expect(() => build({ messages: [{ role: 'system', content: 'x' }] })).toThrow(
      expect.objectContaining({ code: 'invalid_request', message: expect.stringContaining('messages') }),
    );
  });
});

describe('validateGeminiProviderOptions', () => {
  it('accepts the documented options and names a bad or unknown field', () => {
    expect(() => validateGeminiProviderOptions({ topK: 3, thinkingConfig: { thinkingBudget: -1 } })).not.toThrow();
    expect(() => validateGeminiProviderOptions({ topK: 0 })).toThrow(
      expect.objectContaining({ code: 'invalid_request', message: expect.stringContaining('providerOptions.gemini.topK') }),
    );
    expect(() => validateGeminiProviderOptions({ topk: 3 })).toThrow(
      expect.objectContaining({ message: expect.stringContaining('providerOptions.gemini.topk: is not a known option') }),
    );
    expect(() => validateGeminiProviderOptions({ thinkingConfig: { budget: 3 } })).toThrow(
      expect.objectContaining({ message: expect.stringContaining('providerOptions.gemini.thinkingConfig.budget') }),
    );
    expect(() => validateGeminiProviderOptions({ safetySettings: [{ category: 'X' }] })).toThrow(
      expect.objectContaining({ message: expect.stringContaining('providerOptions.gemini.safetySettings[0].threshold') }),
    );
  });
});
