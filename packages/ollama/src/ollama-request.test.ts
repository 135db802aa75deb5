import { KitError } from '@kit/core';
import { resolveGenerateOptions } from '@kit/core/provider-utils';
import { describe, expect, it } from 'vitest';
import { buildOllamaRequest, validateOllamaProviderOptions } from './ollama-request';

const resolve = (options: Parameters<typeof resolveGenerateOptions>[0]) =>
  resolveGenerateOptions(options, { provider: 'ollama', defaultModel: 'llama3.2', defaultStream: true });

const weatherTool = {
  name: 'get_current_weather',
  description: 'Get the current weather for a location',
  parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
};

describe('buildOllamaRequest', () => {
  it('sends only what is set, and always `stream` (Ollama streams unless told false)', () => {
    expect(buildOllamaRequest(resolve({ prompt: 'why is the sky blue?', stream: false }), 'ollama')).toEqual({
      model: 'llama3.2',
      messages: [{ role: 'user', content: 'why is the sky blue?' }],
      stream: false,
    });
  });

  it('maps the common knobs into `options` (maxTokens → num_predict) with the named Ollama knobs and raw options', () => {
    const body = buildOllamaRequest(
      resolve({
        prompt: 'hi',
        temperature: 0,
        topP: 0.9,
        seed: 101,
        stop: ['\n', 'user:'],
        maxTokens: 100,
        providerOptions: { ollama: { numCtx: 8192, topK: 20, repeatPenalty: 1.2, options: { num_gpu: 1, temperature: 1 }, think: 'high', keepAlive: '10m' } },
      }),
      'ollama',
      '5m',
    );
    expect(body.options).toEqual({
      temperature: 0,
      top_p: 0.9,
      seed: 101,
      stop: ['\n', 'user:'],
      num_predict: 100,
      num_ctx: 8192,
      top_k: 20,
      repeat_penalty: 1.2,
      num_gpu: 1,
    });
    expect(body.think).toBe('high');
    expect(body.keep_alive).toBe('10m');
  });

  it('uses the keepAlive setting when the call sets none (0 unloads, and is sent)', () => {
    expect(buildOllamaRequest(resolve({ prompt: 'hi' }), 'ollama', 0).keep_alive).toBe(0);
    expect(buildOllamaRequest(resolve({ prompt: 'hi' }), 'ollama')).not.toHaveProperty('keep_alive');
  });

  it('maps responseFormat to `format`: "json", or the JSON Schema itself', () => {
    expect(buildOllamaRequest(resolve({ prompt: 'hi', responseFormat: { type: 'json' } }), 'ollama').format).toBe('json');
    const schema = { type: 'object', properties: { age: { type: 'integer' }, available: { type: 'boolean' } }, required: ['age', 'available'] };
    expect(buildOllamaRequest(resolve({ prompt: 'hi', responseFormat: { type: 'json-schema', schema } }), 'ollama').format).toEqual(schema);
    expect(buildOllamaRequest(resolve({ prompt: 'hi', responseFormat: { type: 'text' } }), 'ollama')).not.toHaveProperty('format');
  });

  it('sends tools as functions; toolChoice "none" sends none and { name } only that one', () => {
    const other = { name: 'get_time', parameters: { type: 'object', properties: {} } };
    const auto = buildOllamaRequest(resolve({ prompt: 'hi', tools: [weatherTool, other] }), 'ollama');
    expect(auto.tools).toEqual([
      { type: 'function', function: weatherTool },
      { type: 'function', function: other },
    ]);
    expect(buildOllamaRequest(resolve({ prompt: 'hi', tools: [weatherTool], toolChoice: 'none' }), 'ollama')).not.toHaveProperty('tools');
    expect(buildOllamaRequest(resolve({ prompt: 'hi', tools: [weatherTool, other], toolChoice: { name: 'get_time' } }), 'ollama').tools).toEqual([
      { type: 'function', function: other },
    ]);
  });
});

describe('validateOllamaProviderOptions', () => {
  it('refuses an unknown key or a bad value, naming it', () => {
    expect(() => validateOllamaProviderOptions({ num_ctx: 4096 })).toThrow(KitError);
    expect(() => validateOllamaProviderOptions({ num_ctx: 4096 })).toThrow(/providerOptions\.ollama.*num_ctx/);
    expect(() => validateOllamaProviderOptions({ numCtx: -1 })).toThrow(/providerOptions\.ollama\.numCtx/);
    expect(() => validateOllamaProviderOptions({ think: 'max' })).toThrow(/providerOptions\.ollama\.think/);
    expect(validateOllamaProviderOptions({ think: true, keepAlive: -1 })).toEqual({ think: true, keepAlive: -1 });
  });
});
