import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ToolCall } from './chat-message';
import type { StandardSchemaV1 } from './standard-schema';
import { parseToolCallInput } from './tool-input';

const call = (argumentsText: string): ToolCall => ({ id: 'call_1', name: 'get_weather', arguments: argumentsText });
const weather = z.object({ city: z.string(), days: z.number().int().default(1) });

describe('parseToolCallInput', () => {
  it('parses the arguments into input, without a schema', () => {
    expect(parseToolCallInput(call('{"city":"Paris"}'))).toEqual({ ...call('{"city":"Paris"}'), input: { city: 'Paris' } });
  });

  it('validates with the tool’s Standard Schema and gives its output (defaults applied)', () => {
    expect(parseToolCallInput(call('{"city":"Paris"}'), weather)).toEqual({ ...call('{"city":"Paris"}'), input: { city: 'Paris', days: 1 } });
  });

  it('reports input the schema refuses on the call, naming each field, with the schema’s issues', () => {
    const parsed = parseToolCallInput(call('{"city":42}'), weather) as ToolCall;
    expect(parsed.input).toEqual({ city: 42 });
    expect(parsed.inputError?.message).toMatch(/^input\.city: .*expected string/);
    expect(parsed.inputError?.issues).toEqual([expect.objectContaining({ path: ['city'] })]);
  });

  it('reports arguments that are not JSON, without repeating the text, and leaves input unset', () => {
    const parsed = parseToolCallInput(call('{"city": "Par'), weather) as ToolCall;
    expect(parsed.inputError).toEqual({ message: 'arguments: not valid JSON' });
    expect('input' in parsed).toBe(false);
    expect(parsed.arguments).toBe('{"city": "Par');
  });

  it('reports arguments that are JSON but not an object', () => {
    expect(parseToolCallInput(call('[1,2]'))).toMatchObject({ input: [1, 2], inputError: { message: 'arguments: must be a JSON object' } });
  });

  it('answers with a promise when the schema validates asynchronously', async () => {
    const known = z.object({ city: z.string().refine(async (city) => city === 'Paris', 'unknown city') });
    const result = parseToolCallInput(call('{"city":"Lyon"}'), known);
    expect(result).toBeInstanceOf(Promise);
    expect(await result).toMatchObject({ input: { city: 'Lyon' }, inputError: { message: 'input.city: unknown city' } });
    expect(await parseToolCallInput(call('{"city":"Paris"}'), known)).toEqual({ ...call('{"city":"Paris"}'), input: { city: 'Paris' } });
  });

  it('reports a schema that throws as an input error, never throwing', async () => {
    const throwing: StandardSchemaV1 = {
      '~standard': {
        version: 1,
        vendor: 'x',
        validate: () => {
          throw new Error('boom');
        },
      },
    };
    const rejecting: StandardSchemaV1 = { '~standard': { version: 1, vendor: 'x', validate: () => Promise.reject(new Error('late boom')) } };
    expect(parseToolCallInput(call('{}'), throwing)).toMatchObject({
      input: {},
      inputError: { message: "input: the tool's schema failed while validating (boom)" },
    });
    await expect(parseToolCallInput(call('{}'), rejecting)).resolves.toMatchObject({
      inputError: { message: "input: the tool's schema failed while validating (late boom)" },
    });
  });

  it('is pure: the given call is not changed, and a second parse replaces the first one’s result', () => {
    const original = call('{"city":"Paris"}');
    const first = parseToolCallInput({ ...original, arguments: 'nope' }) as ToolCall;
    expect(original).toEqual({ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' });
    expect(parseToolCallInput({ ...first, arguments: '{"city":"Paris"}' })).toEqual({ ...original, input: { city: 'Paris' } });
  });
});
