import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as zm from 'zod/mini';
import { isStandardSchema, type StandardSchemaV1 } from './standard-schema';

/** A minimal third-party Standard Schema: validates strings, optionally with Standard JSON Schema. */
function fakeSchema(jsonSchema?: () => Record<string, unknown>): StandardSchemaV1<string> {
  return {
    '~standard': {
      version: 1,
      vendor: 'fake',
      validate: (value) => (typeof value === 'string' ? { value } : { issues: [{ message: 'expected string' }] }),
      ...(jsonSchema && { jsonSchema: { input: jsonSchema, output: jsonSchema } }),
    },
  };
}

describe('isStandardSchema', () => {
  it('recognises zod (classic and mini) and any object or function with ~standard.validate', () => {
    expect(isStandardSchema(z.object({}))).toBe(true);
    expect(isStandardSchema(zm.object({}))).toBe(true);
    expect(isStandardSchema(fakeSchema())).toBe(true);
    expect(isStandardSchema(Object.assign(() => {}, { '~standard': { version: 1, vendor: 'arktype', validate: () => ({ value: 1 }) } }))).toBe(true);
    expect(isStandardSchema({ type: 'object', properties: {} })).toBe(false);
    expect(isStandardSchema({ '~standard': {} })).toBe(false);
    expect(isStandardSchema(null)).toBe(false);
  });
});
