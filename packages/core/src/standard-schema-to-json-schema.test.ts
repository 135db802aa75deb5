import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import * as zm from 'zod/mini';
import { KitError } from './kit-error';
import type { StandardSchemaV1 } from './standard-schema';
import { standardSchemaToJSONSchema } from './standard-schema-to-json-schema';

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

function problem(run: () => unknown): KitError {
  try {
    run();
  } catch (error) {
    if (KitError.is(error)) return error;
    throw error;
  }
  throw new Error('expected an invalid_request error');
}

describe('standardSchemaToJSONSchema', () => {
  it('converts a zod schema through Standard JSON Schema: the input type, objects closed', () => {
    const schema = z.object({ city: z.string().describe('City name'), days: z.optional(z.number()), stops: z.array(z.object({ name: z.string() })) });
    expect(standardSchemaToJSONSchema(schema, 'tools[0].parameters')).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: {
        city: { type: 'string', description: 'City name' },
        days: { type: 'number' },
        stops: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false } },
      },
      required: ['city', 'stops'],
      additionalProperties: false,
    });
  });

  it('keeps an explicit additionalProperties (a loose object stays open) and treats property names as names', () => {
    const schema = z.looseObject({ type: z.string(), properties: z.object({ enum: z.string() }) });
    const json = standardSchemaToJSONSchema(schema, 'responseFormat.schema') as {
      additionalProperties: unknown;
      properties: Record<string, Record<string, unknown>>;
    };
    expect(json.additionalProperties).toEqual({});
    expect(json.properties.type).toEqual({ type: 'string' });
    expect(json.properties.properties).toMatchObject({ type: 'object', properties: { enum: { type: 'string' } }, additionalProperties: false });
  });

  it('uses any vendor’s Standard JSON Schema, asking for draft 2020-12, once per schema', () => {
    const convert = vi.fn((options?: { target: string }) => ({ type: 'string', target: options?.target }));
    const schema = fakeSchema(convert as unknown as () => Record<string, unknown>);
    expect(standardSchemaToJSONSchema(schema, 'x')).toEqual({ type: 'string', target: 'draft-2020-12' });
    expect(standardSchemaToJSONSchema(schema, 'x')).toBe(standardSchemaToJSONSchema(schema, 'x'));
    expect(convert).toHaveBeenCalledTimes(1);
  });

  it('refuses a Standard Schema without JSON Schema support, naming the field and the fix', () => {
    const error = problem(() => standardSchemaToJSONSchema(fakeSchema(), 'tools[0].parameters', 'openai'));
    expect(error).toMatchObject({ code: 'invalid_request', provider: 'openai' });
    expect(error.message).toBe('tools[0].parameters: a Standard Schema without JSON Schema support (fake): pass a JSON Schema');
  });

  it('refuses a zod/mini schema (no converter built in) with the two ways out', () => {
    const error = problem(() => standardSchemaToJSONSchema(zm.object({ city: zm.string() }), 'responseFormat.schema'));
    expect(error.message).toBe(
      'responseFormat.schema: a zod schema without JSON Schema support (zod/mini schemas have none): use a schema from `zod`, or pass `z.toJSONSchema(schema)`',
    );
  });

  it('reports a type JSON Schema cannot describe as invalid_request, not a TypeError', () => {
    const error = problem(() => standardSchemaToJSONSchema(z.object({ when: z.date() }), 'tools[1].parameters'));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toMatch(/^tools\[1\]\.parameters: this schema cannot be described as JSON Schema \(.*Date.*\)$/);
  });
});
