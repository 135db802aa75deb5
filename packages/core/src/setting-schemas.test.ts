import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { nonEmptyStringSchema, integerSchema } from './setting-schemas';
import { parseOrThrow } from './validate';

const outcome = (schema: z.ZodMiniType, value: unknown) => {
  try {
    return JSON.stringify(parseOrThrow(z.strictObject({ n: z.optional(schema) }), { n: value }, 'invalid_config', { what: 'bad' }));
  } catch (error) {
    return (error as Error).message;
  }
};

describe('integerSchema', () => {
  it.each([1, 0, -1, 1.5, -1.5, '1', null, Number.NaN, Number.POSITIVE_INFINITY, true, [], {}])(
    '%s gives what z.int() gives, checks chained after it included',
    (value) => {
      expect(outcome(integerSchema().check(z.positive()), value)).toBe(outcome(z.int().check(z.positive()), value));
    },
  );

  it('words an integer beyond 2^53 as no integer (z.int() named its safe range)', () => {
    expect(outcome(integerSchema(), 2 ** 53)).toBe('bad: n: must be an integer');
  });
});

describe('nonEmptyStringSchema', () => {
  it.each(['', 'a', '😀', ' ', 1, null, [], ['x']])('%s gives what a zod minimum length of 1 gives', (value) => {
    const expected = outcome(z.string().check(z.minLength(1)), value);
    // zod's length check also ran on a non-string with a length (an array): "must be a string" is the whole story.
    expect(outcome(nonEmptyStringSchema(), value)).toBe(Array.isArray(value) ? expected.replace(/; n: must not be empty$/, '') : expected);
  });
});
