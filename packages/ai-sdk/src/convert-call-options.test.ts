import { describe, expect, it } from 'vitest';
import { convertCallOptions } from './convert-call-options';

const prompt = [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }];

describe('convertCallOptions', () => {
  it('maps every setting @kit has, and sends nothing that was not set', () => {
    const signal = new AbortController().signal;
    const { options, warnings } = convertCallOptions(
      {
        prompt,
        maxOutputTokens: 100,
        temperature: 0.2,
        topP: 0.9,
        stopSequences: ['END'],
        seed: 7,
        responseFormat: { type: 'json', name: 'weather', schema: { type: 'object', properties: { city: { type: 'string' } } } },
        tools: [{ type: 'function', name: 'get_weather', description: 'Weather', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } }],
        toolChoice: { type: 'tool', toolName: 'get_weather' },
        abortSignal: signal,
        headers: { 'x-trace': 'abc', 'x-empty': undefined },
        providerOptions: { anthropic: { thinking: { type: 'enabled', budgetTokens: 1024 } }, openai: { user: 'u' }, kit: { maxRetries: 1, timeoutMs: 5000 } },
      },
      'anthropic',
      true,
    );
    expect(warnings).toEqual([]);
    expect(options).toEqual({
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      maxTokens: 100,
      temperature: 0.2,
      topP: 0.9,
      stop: ['END'],
      seed: 7,
      responseFormat: { type: 'json-schema', name: 'weather', schema: { type: 'object', properties: { city: { type: 'string' } } } },
      tools: [{ name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
      toolChoice: { name: 'get_weather' },
      signal,
      headers: { 'x-trace': 'abc' },
      providerOptions: { anthropic: { thinking: { type: 'enabled', budgetTokens: 1024 } } },
      maxRetries: 1,
      timeoutMs: 5000,
    });
    expect(convertCallOptions({ prompt }, 'anthropic', false).options).toEqual({ messages: [{ role: 'user', content: 'hi' }], stream: false });
  });

  it('maps JSON without a schema, tool choices by kind, and warns about what @kit has no place for', () => {
    const { options, warnings } = convertCallOptions(
      {
        prompt,
        responseFormat: { type: 'json' },
        tools: [
          { type: 'function', name: 'f', inputSchema: { type: 'object' } },
          { type: 'provider', id: 'anthropic.web_search_20250305', name: 'web_search', args: {} },
        ],
        toolChoice: { type: 'required' },
        topK: 5,
        presencePenalty: 0.1,
        frequencyPenalty: 0.1,
        reasoning: 'high',
        providerOptions: { kit: { stream: false } },
      },
      'openai',
      true,
    );
    expect(options).toMatchObject({ responseFormat: { type: 'json' }, tools: [{ name: 'f', parameters: { type: 'object' } }], toolChoice: 'required' });
    expect(options).not.toHaveProperty('stream', false);
    expect(warnings.map((warning) => (warning as { feature: string }).feature)).toEqual([
      'topK',
      'presencePenalty',
      'frequencyPenalty',
      'reasoning',
      'provider-defined tool anthropic.web_search_20250305',
      'providerOptions.kit.stream',
    ]);
  });
});
