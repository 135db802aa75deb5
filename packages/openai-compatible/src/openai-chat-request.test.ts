import type { ResolvedGenerateOptions } from '@kit/core/provider-utils';
import { describe, expect, it } from 'vitest';
import { buildOpenAIChatBody, validateOpenAIProviderOptions } from './openai-chat-request';
import { kitErrorOf } from './__fixtures__/kit-error-of';

const messages = [{ role: 'user' as const, content: 'Hi' }];
const build = (options: Partial<ResolvedGenerateOptions>, config: Parameters<typeof buildOpenAIChatBody>[1] = { type: 'openai' }, provider = 'openai') =>
  buildOpenAIChatBody({ model: 'gpt-4.1-mini', messages, stream: false, ...options }, config, provider);

describe('buildOpenAIChatBody', () => {
  it('sends only model and messages when no knob is set', () => {
    expect(build({})).toEqual({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hi' }] });
  });

  it('maps every option', () => {
    const body = build({
      tools: [
        { name: 'get_weather', description: 'Weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
        { name: 'now', parameters: { type: 'object', properties: {} } },
      ],
      toolChoice: { name: 'get_weather' },
      temperature: 0,
      topP: 0.9,
      stop: ['\n\n', 'END'],
      seed: 7,
      maxTokens: 256,
      responseFormat: { type: 'json' },
    });
    expect(body).toEqual({
      model: 'gpt-4.1-mini',
      messages: [{ role: 'user', content: 'Hi' }],
      tools: [
        {
          type: 'function',
          function: { name: 'get_weather', description: 'Weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
        },
        { type: 'function', function: { name: 'now', parameters: { type: 'object', properties: {} } } },
      ],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      temperature: 0,
      top_p: 0.9,
      stop: ['\n\n', 'END'],
      seed: 7,
      max_tokens: 256,
      response_format: { type: 'json_object' },
    });
  });

  it('passes string tool choices through', () => {
    expect(build({ toolChoice: 'auto' }).tool_choice).toBe('auto');
    expect(build({ toolChoice: 'none' }).tool_choice).toBe('none');
    expect(build({ toolChoice: 'required' }).tool_choice).toBe('required');
  });

  it('maps json-schema response formats with a default name', () => {
    const schema = { type: 'object', properties: { a: { type: 'number' } }, required: ['a'] };
    expect(build({ responseFormat: { type: 'json-schema', schema } }).response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'response', schema },
    });
    expect(build({ responseFormat: { type: 'json-schema', schema, name: 'answer', strict: true } }).response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'answer', schema, strict: true },
    });
    expect(build({ responseFormat: { type: 'text' } })).not.toHaveProperty('response_format');
  });

  it('asks for usage when streaming', () => {
    expect(build({ stream: true })).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(build({ stream: false })).not.toHaveProperty('stream');
  });

  it('does not send empty tools or stop lists', () => {
    const body = build({ tools: [], stop: [] });
    expect(body).not.toHaveProperty('tools');
    expect(body).not.toHaveProperty('stop');
  });

  it('sends maxTokens in the configured field for every model, max_tokens by default', () => {
    const config = { type: 'openai', maxTokensField: 'max_completion_tokens' as const };
    for (const model of ['o3', 'gpt-4o', 'gpt-6-mini']) {
      const body = buildOpenAIChatBody({ model, messages, stream: false, maxTokens: 10 }, config, 'openai');
      expect(body).toMatchObject({ max_completion_tokens: 10 });
      expect(body).not.toHaveProperty('max_tokens');
    }
    expect(buildOpenAIChatBody({ model: 'o3', messages, stream: false, maxTokens: 10 }, { type: 'x' }, 'x')).toMatchObject({ max_tokens: 10 });
  });

  it('merges providerOptions of its type (and instance name) last, after the thin layer', () => {
    const body = build(
      {
        temperature: 1,
        providerOptions: {
          'openai-compatible': { reasoning_effort: 'low', temperature: 0.2 },
          groq: { service_tier: 'flex' },
          anthropic: { thinking: true },
        },
      },
      { type: 'openai-compatible', transformRequestBody: (body) => ({ ...body, layer: true, temperature: 0.5 }) },
      'groq',
    );
    expect(body).toMatchObject({ reasoning_effort: 'low', temperature: 0.2, service_tier: 'flex', layer: true });
    expect(body).not.toHaveProperty('thinking');
  });

  it('rejects providerOptions that would replace what core owns', () => {
    for (const field of ['model', 'messages', 'stream']) {
      const error = kitErrorOf(() => build({ providerOptions: { openai: { [field]: 'x' } } }));
      expect(error.code).toBe('invalid_request');
      expect(error.message).toContain(`providerOptions.openai.${field}`);
    }
    expect(kitErrorOf(() => build({ providerOptions: { openai: { n: 3 } } })).message).toContain('providerOptions.openai.n');
    expect(kitErrorOf(() => validateOpenAIProviderOptions('x', 'openai', 'openai')).message).toContain('providerOptions.openai:');
  });
});
