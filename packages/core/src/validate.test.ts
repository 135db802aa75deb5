import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { KitError } from './kit-error';
import { headersSchema, nonEmptyStringSchema } from './setting-schemas';
import { fieldName, formatIssues, parseContext, parseOrThrow } from './validate';

function messageOf(schema: Parameters<typeof parseOrThrow>[0], input: unknown, prefix?: string): string {
  try {
    parseOrThrow(schema, input, 'invalid_config', { what: 'invalid test settings', provider: 'test', ...(prefix === undefined ? {} : { prefix }) });
  } catch (error) {
    expect(KitError.is(error)).toBe(true);
    expect((error as KitError).code).toBe('invalid_config');
    return (error as KitError).message;
  }
  throw new Error('expected an invalid_config error');
}

describe('parseOrThrow with zod/mini schemas', () => {
  const settings = z.strictObject({
    name: z.optional(z.string().check(z.minLength(1))),
    timeoutMs: z.optional(z.int().check(z.positive(), z.maximum(10))),
    ratio: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
    mode: z.optional(z.enum(['fast', 'slow'])),
    tags: z.optional(z.array(z.string())),
    required: z.string(),
  });

  it('says what is wrong in plain words, naming each field (zod/mini has no locale of its own)', () => {
    expect(messageOf(settings, { required: 'x', timeoutMs: 1.5 })).toBe('invalid test settings: timeoutMs: must be an integer');
    expect(messageOf(settings, { required: 'x', timeoutMs: 0 })).toBe('invalid test settings: timeoutMs: must be greater than 0');
    expect(messageOf(settings, { required: 'x', timeoutMs: 11 })).toBe('invalid test settings: timeoutMs: must be at most 10');
    expect(messageOf(settings, { required: 'x', ratio: 'high' })).toBe('invalid test settings: ratio: must be a finite number');
    expect(messageOf(settings, { required: 'x', ratio: -1 })).toBe('invalid test settings: ratio: must be at least 0');
    expect(messageOf(settings, { required: 'x', name: '' })).toBe('invalid test settings: name: must not be empty');
    expect(messageOf(settings, { required: 'x', mode: 'medium' })).toBe('invalid test settings: mode: must be one of "fast", "slow"');
    expect(messageOf(settings, { required: 'x', tags: ['a', 2] })).toBe('invalid test settings: tags[1]: must be a string');
    expect(messageOf(settings, {})).toBe('invalid test settings: required: is required');
    expect(messageOf(settings, null)).toBe('invalid test settings: (value): must be an object');
  });

  it('names every unknown key as a field of its own, under the prefix', () => {
    expect(messageOf(settings, { required: 'x', apikey: 'k', timout: 1 }, 'options')).toBe(
      'invalid test settings: options.apikey: is not a known option; options.timout: is not a known option',
    );
  });

  it('keeps a message the schema gives itself', () => {
    const schema = z.object({ key: z.string().check(z.refine((value: string) => !value.includes(' '), { error: 'must not contain spaces' })) });
    expect(messageOf(schema, { key: 'a b' })).toBe('invalid test settings: key: must not contain spaces');
  });

  it('reports the union member the value matched in form (a bad item of an array), else the union’s own message', () => {
    const content = z.object({
      content: z.union([z.string(), z.array(z.strictObject({ text: z.string() }))], { error: 'must be a string or an array of parts' }),
    });
    expect(messageOf(content, { content: [{ text: 'a' }, { text: 5 }] })).toBe('invalid test settings: content[1].text: must be a string');
    expect(messageOf(content, { content: 42 })).toBe('invalid test settings: content: must be a string or an array of parts');
  });

  it('names the discriminator and its allowed values', () => {
    const part = z.object({ part: z.discriminatedUnion('type', [z.strictObject({ type: z.literal('text') }), z.strictObject({ type: z.literal('image') })]) });
    expect(messageOf(part, { part: { type: 'video' } })).toBe('invalid test settings: part.type: must be one of "text", "image"');
  });

  it('names the tag and its allowed values for a plain union of tagged objects too, and the matched member’s problem', () => {
    const part = z.object({
      part: z.union([z.strictObject({ type: z.literal('text'), text: z.string() }), z.strictObject({ type: z.literal('image'), url: z.string() })]),
    });
    expect(messageOf(part, { part: { type: 'video' } })).toBe('invalid test settings: part.type: must be one of "text", "image"');
    expect(messageOf(part, { part: { type: 'image', url: 5 } })).toBe('invalid test settings: part.url: must be a string');
  });

  it('explains a bad record key with the key schema’s own message', () => {
    const headers = z.object({ headers: z.record(z.string().check(z.regex(/^[a-z-]+$/, { error: 'is not a valid header name' })), z.string()) });
    expect(messageOf(headers, { headers: { 'bad name': 'x' } })).toBe('invalid test settings: headers.bad name: is not a valid header name');
  });

  it('does not change the messages of the caller’s zod configuration or of other parses', () => {
    const schema = z.object({ n: z.number() });
    const result = schema.safeParse({ n: 'x' });
    expect(result.success).toBe(false);
    // Without our per-parse error map, zod/mini's default (no locale) is left as it is.
    expect(result.error?.issues[0]?.message).not.toBe('must be a finite number');
  });

  it('returns the parsed value', () => {
    expect(parseOrThrow(settings, { required: 'x', mode: 'fast' }, 'invalid_config', { what: 'x' })).toEqual({ required: 'x', mode: 'fast' });
  });
});

describe('parseOrThrow with any safeParse', () => {
  it('formats the issues of a hand-written parser', () => {
    const parser = { safeParse: () => ({ success: false as const, error: { issues: [{ path: ['a', 0, 'b'], message: 'is wrong' }] } }) };
    expect(messageOf(parser, {})).toBe('invalid test settings: a[0].b: is wrong');
  });
});

describe('fieldName and formatIssues', () => {
  it('reads Standard Schema path segments ({ key })', () => {
    expect(fieldName([{ key: 'city' }, { key: 0 }], 'object')).toBe('object.city[0]');
    expect(formatIssues([{ path: [{ key: 'city' }], message: 'expected string' }], 'object')).toBe('object.city: expected string');
  });
});

describe('parseOrThrow reads only what a full parse would accept (the present-fields fast path)', () => {
  const schema = z.strictObject({ a: z.optional(z.string()), b: z.optional(z.number()) });

  it.each(['constructor', 'toString', 'hasOwnProperty', '__proto__'])('a key named %s is an unknown option, not a TypeError', (key) => {
    const input = JSON.parse(`{"${key}": 1}`);
    expect(() => parseOrThrow(schema, input, 'invalid_config', { what: 'bad' })).toThrow(KitError);
    expect(() => parseOrThrow(schema, input, 'invalid_config', { what: 'bad' })).toThrow(
      new RegExp(`${key === '__proto__' ? '__proto__' : key}: is not a known option`),
    );
  });

  it('a class instance gives what the full zod parse gives (its getters are read)', () => {
    class WithGetter {
      get a() {
        return 'from-getter';
      }
    }
    const input = new WithGetter();
    expect(parseOrThrow(schema, input, 'invalid_config', { what: 'bad' })).toEqual(schema.safeParse(input).data);
  });

  it('50 different option objects in a row parse exactly like the full parse', () => {
    for (let index = 0; index < 50; index++) {
      const input = index % 2 ? { a: `x${index}` } : { a: `x${index}`, b: index };
      expect(parseOrThrow(schema, input, 'invalid_config', { what: 'bad' })).toEqual(schema.safeParse(input).data);
    }
  });

  it('fields that parse to themselves: the input comes back as it is; a field parsed to a new value: a copy, the input untouched', () => {
    const withTransform = z.strictObject({
      a: z.optional(z.string()),
      list: z.optional(
        z.array(
          z.pipe(
            z.string(),
            z.transform((item) => item.toUpperCase()),
          ),
        ),
      ),
    });
    const plain = { a: 'x' };
    expect(parseOrThrow(withTransform, plain, 'invalid_config', { what: 'bad' })).toBe(plain);
    const list = ['p', 'q'];
    const input = { a: 'x', list };
    const parsed = parseOrThrow(withTransform, input, 'invalid_config', { what: 'bad' });
    expect(parsed).toEqual({ a: 'x', list: ['P', 'Q'] });
    expect(parsed).not.toBe(input);
    expect(input).toEqual({ a: 'x', list: ['p', 'q'] });
    expect(input.list).toBe(list);
    // Interleaved with another schema: each still parses by its own fields.
    for (let index = 0; index < 10; index++) {
      expect(parseOrThrow(index % 2 ? schema : withTransform, { a: `y${index}` }, 'invalid_config', { what: 'bad' })).toEqual({ a: `y${index}` });
      expect(() => parseOrThrow(index % 2 ? schema : withTransform, { list: [1] }, 'invalid_config', { what: 'bad' })).toThrow(
        index % 2 ? /list: is not a known option/ : /list\[0\]: must be a string/,
      );
    }
  });
});

describe('parseOrThrow takes plain and non-empty strings and booleans without zod, exactly when zod takes them as they are', () => {
  const schema = z.strictObject({
    name: z.optional(z.string()),
    id: z.optional(z.string().check(z.minLength(2))),
    model: z.optional(nonEmptyStringSchema()),
    flag: z.optional(z.boolean()),
    url: z.optional(z.url()),
  });
  // Code points, not UTF-16 units, count for a minimum length: '😀' is 2 units but 1 code point (too short for 2).
  const values = ['', 'a', 'ab', '😀', '😀😀', 'a😀', '\ud800', 'abc', 0, 1, true, false, null, undefined, [], {}, 'https://example.test/', 'not a url'];

  it.each(['name', 'id', 'model', 'flag', 'url'])('%s: every value gives what the full zod parse gives', (field) => {
    for (const value of values) {
      const input = { [field]: value };
      const full = schema.safeParse(input, parseContext);
      const mine = () => parseOrThrow(schema, input, 'invalid_config', { what: 'bad' });
      if (full.success) expect(mine()).toEqual(full.data);
      else expect(mine).toThrow(KitError);
    }
  });
});

describe('headers take plain objects only', () => {
  it.each([
    ['a Headers', () => new Headers({ authorization: 'Bearer other' })],
    ['a Map', () => new Map([['x-trace', '1']])],
    ['a Date', () => new Date()],
  ])('%s is refused (its entries would not be checked)', (_name, make) => {
    expect(() => parseOrThrow(z.strictObject({ headers: headersSchema() }), { headers: make() }, 'invalid_config', { what: 'bad' })).toThrow(
      /headers: must be an object/,
    );
  });
});
