import type { GenerateOptions } from '@kit/core';
import { resolveGenerateOptions } from '@kit/core/provider-utils';
import { describe, expect, it } from 'vitest';
import { buildAnthropicRequest, validateAnthropicProviderOptions } from './anthropic-request';

const build = (options: GenerateOptions, beta?: string[]) =>
  buildAnthropicRequest(resolveGenerateOptions(options, { provider: 'anthropic', defaultModel: 'claude-sonnet-5-5', defaultStream: true }), 'anthropic', beta);
const body = (options: GenerateOptions) => build(options).body as Record<string, unknown>;
const weather = {
  name: 'get_weather',
  description: 'Weather of a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('buildAnthropicRequest', () => {
  it('a minimal streaming request: model, max_tokens from the model, messages, stream; nothing else', () => {
    expect(build({ prompt: 'Hi' })).toEqual({
      path: '/messages',
      body: { model: 'claude-sonnet-5-5', max_tokens: 128_000, messages: [{ role: 'user', content: 'Hi' }], stream: true },
    });
    expect(body({ prompt: 'Hi', stream: false, model: 'claude-haiku-4-5-20251001' })).toEqual({
      model: 'claude-haiku-4-5-20251001',
      max_tokens: 64_000,
      messages: [{ role: 'user', content: 'Hi' }],
    });
  });

  it('max_tokens: the caller wins; an unknown model gets 4096', () => {
    expect(body({ prompt: 'Hi', maxTokens: 300 }).max_tokens).toBe(300);
    expect(body({ prompt: 'Hi', model: 'my-proxy-model' }).max_tokens).toBe(4096);
    expect(body({ prompt: 'Hi', model: 'claude-3-5-haiku-20241022' }).max_tokens).toBe(8192);
    expect(body({ prompt: 'Hi', model: 'claude-opus-4-1-20250805' }).max_tokens).toBe(32_000);
  });

  it('sampling knobs and stop sequences; seed is not sent', () => {
    expect(body({ prompt: 'Hi', temperature: 0.2, topP: 0.9, stop: ['END'], seed: 7, providerOptions: { anthropic: { topK: 40 } } })).toMatchObject({
      temperature: 0.2,
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ['END'],
    });
    expect(body({ prompt: 'Hi', seed: 7 })).not.toHaveProperty('seed');
  });

  it('tools and every tool choice', () => {
    const choice = (toolChoice: GenerateOptions['toolChoice']) => body({ prompt: 'Hi', tools: [weather], toolChoice }).tool_choice;
    expect(body({ prompt: 'Hi', tools: [weather] }).tools).toEqual([
      { name: 'get_weather', description: 'Weather of a city', input_schema: weather.parameters },
    ]);
    expect(choice(undefined)).toEqual({ type: 'auto' });
    expect(choice('auto')).toEqual({ type: 'auto' });
    expect(choice('required')).toEqual({ type: 'any' });
    expect(choice('none')).toEqual({ type: 'none' });
    expect(choice({ name: 'get_weather' })).toEqual({ type: 'tool', name: 'get_weather' });
    expect(body({ prompt: 'Hi', tools: [weather], providerOptions: { anthropic: { disableParallelToolUse: true } } }).tool_choice).toEqual({
      type: 'auto',
      disable_parallel_tool_use: true,
    });
    // No tools: no tool_choice.
    expect(body({ prompt: 'Hi', toolChoice: 'none' })).not.toHaveProperty('tool_choice');
  });

  it('thinking passes through; responseFormat json-schema becomes output_config.format, merged with other output_config fields', () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'], additionalProperties: false };
    expect(body({ prompt: 'Hi', providerOptions: { anthropic: { thinking: { type: 'enabled', budget_tokens: 4000 } } } }).thinking).toEqual({
      type: 'enabled',
      budget_tokens: 4000,
    });
    expect(body({ prompt: 'Hi', responseFormat: { type: 'json-schema', schema, name: 'answer' } }).output_config).toEqual({
      format: { type: 'json_schema', schema },
    });
    expect(
      body({ prompt: 'Hi', responseFormat: { type: 'json-schema', schema }, providerOptions: { anthropic: { output_config: { effort: 'low' } } } })
        .output_config,
    ).toEqual({
      effort: 'low',
      format: { type: 'json_schema', schema },
    });
    // No native equivalent and no prompt injection: plain `json` sends nothing.
    const plainJson = body({ prompt: 'Hi', responseFormat: { type: 'json' } });
    expect(plainJson).not.toHaveProperty('output_config');
    expect(plainJson).not.toHaveProperty('system');
  });

  it('other providerOptions fields go into the body as they are', () => {
    expect(body({ prompt: 'Hi', providerOptions: { anthropic: { metadata: { user_id: 'u-1' }, service_tier: 'standard_only' } } })).toMatchObject({
      metadata: { user_id: 'u-1' },
      service_tier: 'standard_only',
    });
  });

  it('anthropic-beta joins the setting and the call, without duplicates', () => {
    expect(build({ prompt: 'Hi' }).headers).toBeUndefined();
    expect(
      build({ prompt: 'Hi', providerOptions: { anthropic: { beta: ['context-1m-2025-08-07', 'files-api-2025-04-14'] } } }, ['files-api-2025-04-14']).headers,
    ).toEqual({
      'anthropic-beta': 'files-api-2025-04-14,context-1m-2025-08-07',
    });
  });

  it('cache breakpoints: the system prompt, a message counted from the end, a part, the tools', () => {
    const request = body({
      system: 'Long instructions.',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Doc' },
            { type: 'text', text: 'Question' },
          ],
        },
        { role: 'assistant', content: 'Answer' },
        { role: 'user', content: 'Next' },
      ],
      tools: [weather, { ...weather, name: 'get_time' }],
      providerOptions: { anthropic: { cacheControl: [{ message: 0 }, { message: 1, part: 0, ttl: '1h' }, { message: -1 }, { tools: true }] } },
    });
    expect(request.system).toEqual([{ type: 'text', text: 'Long instructions.', cache_control: { type: 'ephemeral' } }]);
    expect(request.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Doc', cache_control: { type: 'ephemeral', ttl: '1h' } },
          { type: 'text', text: 'Question' },
        ],
      },
      { role: 'assistant', content: 'Answer' },
      { role: 'user', content: [{ type: 'text', text: 'Next', cache_control: { type: 'ephemeral' } }] },
    ]);
    expect((request.tools as { cache_control?: unknown }[]).map((tool) => tool.cache_control)).toEqual([undefined, { type: 'ephemeral' }]);
  });
});

describe('validateAnthropicProviderOptions', () => {
  const problem = (options: unknown) => {
    try {
      validateAnthropicProviderOptions(options);
    } catch (error) {
      return error as Error & { code: string };
    }
    throw new Error('expected an error');
  };

  it('names the bad field', () => {
    expect(problem({ topK: 0 })).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('providerOptions.anthropic.topK') });
    expect(problem({ thinking: { budget_tokens: 10 } }).message).toContain('providerOptions.anthropic.thinking: must be an object with a string "type"');
    expect(problem({ beta: 'files-api' }).message).toContain('providerOptions.anthropic.beta');
    expect(problem({ cacheControl: [{ message: 1, ttl: '2h' }] }).message).toContain('providerOptions.anthropic.cacheControl[0].ttl');
    expect(problem({ cacheControl: [{ message: 1, part: -1 }] }).message).toContain('cacheControl[0].part');
    expect(problem({ cacheControl: [{ tools: true, message: 1 }] }).message).toContain('cacheControl[0].message');
    expect(problem({ model: 'other' }).message).toContain('providerOptions.anthropic.model: is set by @kit');
    expect(problem({ stream: false }).message).toContain('providerOptions.anthropic.stream');
  });

  it('accepts the named options and any other body field', () => {
    const options = {
      thinking: { type: 'adaptive' },
      beta: ['x'],
      topK: 5,
      cacheControl: [{ message: -1 }, { tools: true, ttl: '1h' }],
      disableParallelToolUse: false,
      service_tier: 'auto',
    };
    expect(validateAnthropicProviderOptions(options)).toEqual(options);
  });
});
