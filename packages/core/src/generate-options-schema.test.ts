import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import * as zm from 'zod/mini';
import type { ChatCompletion } from './chat-completion';
import type { ChatMessage, ToolCall } from './chat-message';
import { resolveGenerateOptions } from './generate-options-schema';
import type { GenerateOptions } from './generate-options';
import { KitError } from './kit-error';
import type { Provider } from './provider';

const context = { provider: 'test', defaultModel: 'model-a', defaultStream: true };
const resolve = (options: unknown) => resolveGenerateOptions(options as GenerateOptions, context);

function expectInvalid(options: unknown, field: string): string {
  try {
    resolve(options);
  } catch (error) {
    expect(KitError.is(error)).toBe(true);
    expect((error as KitError).code).toBe('invalid_request');
    expect((error as KitError).message).toContain(field);
    return (error as KitError).message;
  }
  throw new Error(`expected an invalid_request naming ${field}`);
}

describe('resolveGenerateOptions', () => {
  it('uses prompt when messages are empty and prepends system', () => {
    const resolved = resolve({ prompt: 'hi', system: 'be brief', messages: [] });
    expect(resolved.messages).toEqual([
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'hi' },
    ]);
    expect(resolved.model).toBe('model-a');
    expect(resolved.stream).toBe(true);
    expect('prompt' in resolved).toBe(false);
  });

  it('prefers messages over prompt', () => {
    const resolved = resolve({ prompt: 'ignored', messages: [{ role: 'user', content: 'real' }], model: 'm2', stream: false });
    expect(resolved.messages).toEqual([{ role: 'user', content: 'real' }]);
    expect(resolved.model).toBe('m2');
    expect(resolved.stream).toBe(false);
  });

  it('rejects a call with neither messages nor prompt', () => expectInvalid({}, 'messages'));

  it('without a default model, a call must name its model (any provider, checked before a request)', () => {
    const noDefault = { ...context, defaultModel: '' };
    expect(() => resolveGenerateOptions({ prompt: 'hi' }, noDefault)).toThrow(/model: is required/);
    expect(resolveGenerateOptions({ prompt: 'hi', model: 'm-1' }, noDefault).model).toBe('m-1');
  });
  it('names a bad role', () => expectInvalid({ messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role'));
  it('names a bad content part type', () => expectInvalid({ messages: [{ role: 'user', content: [{ type: 'video', url: 'x' }] }] }, 'messages[0].content'));
  it('names a bad media source', () =>
    expectInvalid({ messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', data: 'x' } }] }] }, 'mediaType'));
  it('names an out-of-range temperature', () => expectInvalid({ prompt: 'x', temperature: 3 }, 'temperature'));
  it('names a non-integer maxTokens', () => expectInvalid({ prompt: 'x', maxTokens: 1.5 }, 'maxTokens'));
  it('names an unknown option', () => expectInvalid({ prompt: 'x', temprature: 1 }, 'temprature'));
  it('names a tool without parameters', () => expectInvalid({ prompt: 'x', tools: [{ name: 'get_weather' }] }, 'tools[0].parameters'));
  it('names a bad tool choice', () => expectInvalid({ prompt: 'x', toolChoice: 'always' }, 'toolChoice'));
  it('requires toolCallId on tool messages', () => expectInvalid({ messages: [{ role: 'tool', content: '42' }] }, 'messages[0].toolCallId'));
  it('names a bad response format', () => expectInvalid({ prompt: 'x', responseFormat: { type: 'xml' } }, 'responseFormat.type'));
  it('names an unknown part type with every accepted one, and a bad field of a known part', () => {
    expectInvalid(
      { messages: [{ role: 'user', content: [{ type: 'video', url: 'x' }] }] },
      'messages[0].content[0].type: must be one of "text", "image", "document", "audio", "reasoning"',
    );
    expectInvalid({ prompt: 'x', responseFormat: { type: 'xml' } }, 'responseFormat.type: must be one of "text", "json", "json-schema"');
    expectInvalid(
      { messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'url', url: 5 } }] }] },
      'invalid options: messages[0].content[0].source.url: must be a string',
    );
  });
  it('rejects a non-object options argument', () => expectInvalid(null, 'must be an object'));
});

describe('resolveGenerateOptions: call options that reach timers and headers', () => {
  it('refuses timeouts a timer cannot wait (≥ 2³¹ ms)', () => {
    expect(expectInvalid({ prompt: 'x', timeoutMs: 2 ** 31 }, 'timeoutMs')).toBe(
      'invalid options: timeoutMs: must be at most 2147483647 (about 24.8 days: timers cannot wait longer)',
    );
    expectInvalid({ prompt: 'x', deadlineMs: 3e10 }, 'deadlineMs: must be at most 2147483647');
  });

  it('refuses header values with a line break and header names that are not tokens', () => {
    expectInvalid({ prompt: 'x', headers: { 'x-tag': 'a\nb' } }, 'headers.x-tag: must not contain a line break');
    expectInvalid({ prompt: 'x', headers: { 'x:tag': 'a' } }, 'headers.x:tag: is not a valid HTTP header name');
  });

  it('names a bad field inside a content part array, not just "content"', () => {
    expect(
      expectInvalid(
        {
          messages: [
            {
              role: 'user',
              content: [
                { type: 'text', text: 'a' },
                { type: 'text', text: 5 },
              ],
            },
          ],
        },
        'messages[0].content[1].text',
      ),
    ).toBe('invalid options: messages[0].content[1].text: must be a string');
  });

  it('accepts an assistant message appended from a completion (tool calls with input and inputError)', () => {
    const history: ChatMessage[] = [
      { role: 'user', content: 'weather?' },
      {
        role: 'assistant',
        content: '',
        toolCalls: [
          { id: 'c1', name: 'get_weather', arguments: '{"city":"Paris"}', input: { city: 'Paris' } },
          { id: 'c2', name: 'get_weather', arguments: '{', inputError: { message: 'arguments: not valid JSON' } },
        ],
      },
      { role: 'tool', toolCallId: 'c1', content: 'sunny' },
    ];
    expect(resolve({ messages: history }).messages).toEqual(history);
  });
});

describe('resolveGenerateOptions: Standard Schemas in tools and responseFormat', () => {
  const weather = z.object({ city: z.string() });
  const weatherJSONSchema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  };

  it('sends a zod schema given as tool parameters as JSON Schema (it used to be sent as zod internals)', () => {
    const resolved = resolve({ prompt: 'x', tools: [{ name: 'get_weather', description: 'Weather', parameters: weather }] });
    expect(resolved.tools).toEqual([{ name: 'get_weather', description: 'Weather', parameters: weatherJSONSchema }]);
    expect(resolved.toolInputSchemas?.get('get_weather')).toBe(weather);
  });

  it('passes a JSON Schema through untouched, and keeps no schema for it', () => {
    const parameters = { type: 'object', properties: { city: { type: 'string' } } };
    const resolved = resolve({ prompt: 'x', tools: [{ name: 'get_weather', parameters }] });
    expect(resolved.tools?.[0]?.parameters).toBe(parameters);
    expect(resolved.toolInputSchemas).toBeUndefined();
  });

  it('converts responseFormat.schema and keeps the schema to validate ChatCompletion.object', () => {
    const resolved = resolve({ prompt: 'x', responseFormat: { type: 'json-schema', schema: weather, name: 'weather', strict: true } });
    expect(resolved.responseFormat).toEqual({ type: 'json-schema', schema: weatherJSONSchema, name: 'weather', strict: true });
    expect(resolved.outputSchema).toBe(weather);
    expect(resolve({ prompt: 'x', responseFormat: { type: 'json' } })).toMatchObject({ responseFormat: { type: 'json' } });
    expect(resolve({ prompt: 'x', responseFormat: { type: 'json' } }).outputSchema).toBeUndefined();
  });

  it('refuses a schema object that is neither JSON Schema nor a Standard Schema (a zod 3 schema, a class instance)', () => {
    class LegacySchema {
      readonly _def = { typeName: 'ZodObject' };
    }
    expect(expectInvalid({ prompt: 'x', tools: [{ name: 'f', parameters: new LegacySchema() }] }, 'tools[0].parameters')).toBe(
      'invalid options: tools[0].parameters: must be a JSON Schema object or a Standard Schema (a zod schema, for example)',
    );
    expectInvalid({ prompt: 'x', responseFormat: { type: 'json-schema', schema: [] } }, 'responseFormat.schema: must be a JSON Schema object');
  });

  it('names the field and the way out for a schema that cannot describe itself as JSON Schema', () => {
    expect(expectInvalid({ prompt: 'x', tools: [{ name: 'f', parameters: zm.object({ city: zm.string() }) }] }, 'tools[0].parameters')).toContain(
      'invalid options: tools[0].parameters: a zod schema without JSON Schema support',
    );
    expectInvalid(
      { prompt: 'x', responseFormat: { type: 'json-schema', schema: z.object({ at: z.date() }) } },
      'responseFormat.schema: this schema cannot be described as JSON Schema',
    );
  });

  it('refuses two tools with one name (their inputs could not be told apart)', () => {
    const parameters = { type: 'object' };
    expect(
      expectInvalid(
        {
          prompt: 'x',
          tools: [
            { name: 'f', parameters },
            { name: 'g', parameters },
            { name: 'f', parameters },
          ],
        },
        'tools[2].name',
      ),
    ).toBe('invalid options: tools[2].name: "f" is already the name of tools[0]');
  });
});

describe('types', () => {
  const complete = (async () => {
    throw new Error('types only');
  }) as Provider['complete'];

  it('types ChatCompletion.object from a Standard Schema responseFormat, unknown otherwise', () => {
    const typed = () => complete({ prompt: 'x', responseFormat: { type: 'json-schema', schema: z.object({ city: z.string() }) } });
    const untyped = () => complete({ prompt: 'x', responseFormat: { type: 'json-schema', schema: { type: 'object' } } });
    const plain = () => complete({ prompt: 'x' });
    expectTypeOf<Awaited<ReturnType<typeof typed>>['object']>().toEqualTypeOf<{ city: string }>();
    expectTypeOf<Awaited<ReturnType<typeof untyped>>['object']>().toEqualTypeOf<unknown>();
    expectTypeOf<Awaited<ReturnType<typeof plain>>['object']>().toEqualTypeOf<unknown>();
    expectTypeOf<ChatCompletion<{ city: string }>>().toMatchTypeOf<ChatCompletion>();
    expectTypeOf<ToolCall['input']>().toEqualTypeOf<unknown>();
    // Typed options are still options: usable wherever untyped ones are.
    expectTypeOf<GenerateOptions<{ city: string }>>().toMatchTypeOf<GenerateOptions>();
    expect(typed).toBeTypeOf('function');
  });
});
