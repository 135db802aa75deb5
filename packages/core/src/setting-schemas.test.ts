import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { atLeast, atMost, integerSchema, nonEmptyStringSchema } from './setting-schemas';
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

describe('atLeast, atMost', () => {
  it.each([-1, -0.5, 0, 0.5, 1, 2, 2.5, 3, '1', null, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    '%s gives what z.minimum, z.positive and z.maximum give',
    (value) => {
      expect(outcome(z.number().check(atLeast(0), atMost(2)), value)).toBe(outcome(z.number().check(z.minimum(0), z.maximum(2)), value));
      expect(outcome(z.number().check(atLeast(0, true)), value)).toBe(outcome(z.number().check(z.positive()), value));
      expect(outcome(integerSchema().check(atLeast(-1)), value)).toBe(outcome(integerSchema().check(z.gte(-1)), value));
    },
  );

  it('words an upper bound with the error it is given', () => {
    expect(outcome(z.number().check(atMost(5, 'must be at most 5 (a timer limit)')), 6)).toBe('bad: n: must be at most 5 (a timer limit)');
  });
});

describe('nonEmptyStringSchema', () => {
  it.each(['', 'a', '😀', ' ', 1, null, [], ['x']])('%s gives what a zod minimum length of 1 gives', (value) => {
    const expected = outcome(z.string().check(z.minLength(1)), value);
    // zod's length check also ran on a non-string with a length (an array): "must be a string" is the whole story.
    expect(outcome(nonEmptyStringSchema(), value)).toBe(Array.isArray(value) ? expected.replace(/; n: must not be empty$/, '') : expected);
  });
});
