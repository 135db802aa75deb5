import { describe, expect, it } from 'vitest';
import { resolveGenerateOptions } from './generate-options-schema';
import type { GenerateOptions } from './generate-options';
import { KitError } from './kit-error';

const context = { provider: 'test', defaultModel: 'model-a', defaultStream: true };
const resolve = (options: unknown) => resolveGenerateOptions(options as GenerateOptions, context);

function expectInvalid(options: unknown, field: string) {
  try {
    resolve(options);
  } catch (error) {
    expect(KitError.is(error)).toBe(true);
    expect((error as KitError).code).toBe('invalid_request');
    expect((error as KitError).message).toContain(field);
    return;
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
  it('names a bad role', () => expectInvalid({ messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role'));
  it('names a bad content part type', () =>
    expectInvalid({ messages: [{ role: 'user', content: [{ type: 'video', url: 'x' }] }] }, 'messages[0].content'));
  it('names a bad media source', () =>
    expectInvalid({ messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', data: 'x' } }] }] }, 'mediaType'));
  it('names an out-of-range temperature', () => expectInvalid({ prompt: 'x', temperature: 3 }, 'temperature'));
  it('names a non-integer maxTokens', () => expectInvalid({ prompt: 'x', maxTokens: 1.5 }, 'maxTokens'));
  it('names an unknown option', () => expectInvalid({ prompt: 'x', temprature: 1 }, 'temprature'));
  it('names a tool without parameters', () => expectInvalid({ prompt: 'x', tools: [{ name: 'get_weather' }] }, 'tools[0].parameters'));
  it('names a bad tool choice', () => expectInvalid({ prompt: 'x', toolChoice: 'always' }, 'toolChoice'));
  it('requires toolCallId on tool messages', () =>
    expectInvalid({ messages: [{ role: 'tool', content: '42' }] }, 'messages[0].toolCallId'));
  it('names a bad response format', () => expectInvalid({ prompt: 'x', responseFormat: { type: 'xml' } }, 'responseFormat.type'));
  it('rejects a non-object options argument', () => expectInvalid(null, 'must be an object'));
});
