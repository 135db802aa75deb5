import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { KitError } from './kit-error';
import { thenableSchema } from './thenable-schema.test-helper';
import { parseStructuredOutput } from './structured-output';

const jsonSchema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
const city = z.object({ city: z.string(), population: z.number().optional() });
const withSchema = { responseFormat: { type: 'json-schema' as const, schema: jsonSchema }, outputSchema: city };

function failure(run: () => unknown): KitError {
  try {
    run();
  } catch (error) {
    if (KitError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a KitError');
}

describe('parseStructuredOutput', () => {
  it('is undefined unless JSON was asked for', () => {
    expect(parseStructuredOutput('{"a":1}', {})).toBeUndefined();
    expect(parseStructuredOutput('{"a":1}', { responseFormat: { type: 'text' } })).toBeUndefined();
  });

  it('parses JSON for { type: "json" } and a plain JSON Schema (no validation without a Standard Schema)', () => {
    expect(parseStructuredOutput('{"a":1}', { responseFormat: { type: 'json' } })).toEqual({ a: 1 });
    expect(parseStructuredOutput('{"city":5}', { responseFormat: { type: 'json-schema', schema: jsonSchema } })).toEqual({ city: 5 });
  });

  it('validates with the Standard Schema and gives its output', () => {
    expect(parseStructuredOutput('{"city":"Paris","extra":true}', withSchema)).toEqual({ city: 'Paris' });
  });

  it('unwraps an answer in one Markdown code fence', () => {
    expect(parseStructuredOutput('```json\n{"city":"Paris"}\n```\n', withSchema)).toEqual({ city: 'Paris' });
  });

  it('throws invalid_response naming the failing path when the answer does not match', () => {
    const error = failure(() => parseStructuredOutput('{"city":42}', withSchema, { provider: 'openai' }));
    expect(error).toMatchObject({ code: 'invalid_response', provider: 'openai' });
    expect(error.message).toMatch(/^the answer does not match responseFormat\.schema: object\.city: .*expected string/);
  });

  it('throws invalid_response for text that is not JSON, without quoting it, with a hint when the answer was cut', () => {
    const error = failure(() => parseStructuredOutput('{"city": "Par', withSchema, { finishReason: 'length' }));
    expect(error.code).toBe('invalid_response');
    expect(error.message).toBe('object: the answer is not valid JSON (it was cut off at maxTokens)');
    expect(failure(() => parseStructuredOutput('Sure! Here it is', { responseFormat: { type: 'json' } })).message).toBe('object: the answer is not valid JSON');
    expect(failure(() => parseStructuredOutput('  ', withSchema)).message).toBe('object: the answer is empty, not JSON');
  });

  it('rejects (does not throw) when the schema validates asynchronously', async () => {
    const asyncSchema = z.object({ city: z.string().refine(async (name) => name.length > 2, 'too short') });
    const options = { responseFormat: { type: 'json' as const }, outputSchema: asyncSchema };
    await expect(parseStructuredOutput('{"city":"Paris"}', options)).resolves.toEqual({ city: 'Paris' });
    await expect(parseStructuredOutput('{"city":"P"}', options)).rejects.toMatchObject({
      code: 'invalid_response',
      message: expect.stringContaining('object.city: too short'),
    });
  });

  it('adopts a schema that answers with a bare thenable (whose then returns nothing) into a real promise', async () => {
    const result = parseStructuredOutput('{"city":"Paris"}', { responseFormat: { type: 'json' }, outputSchema: thenableSchema() });
    expect(result).toBeInstanceOf(Promise);
    await expect(result).resolves.toEqual({ city: 'Paris', checked: true });
  });
});
