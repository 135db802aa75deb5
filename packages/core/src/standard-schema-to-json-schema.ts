import { KitError } from './kit-error';
import type { StandardSchemaV1 } from './standard-schema';
import { isRecord } from './is-record';

/** The JSON Schema dialect requested from converters: the one OpenAI, Anthropic and Gemini document. */
const JSON_SCHEMA_TARGET = 'draft-2020-12';

// Keywords whose value is data (or a list of names), not a schema: copied as they are.
const dataKeywords = new Set(['enum', 'const', 'default', 'examples', 'required', 'title', 'description', '$comment', 'pattern', 'format', 'type']);
// Keywords whose value maps names to schemas.
const schemaMaps = new Set(['properties', '$defs', 'definitions', 'patternProperties', 'dependentSchemas']);

/**
 * A copy of a converted JSON Schema in which every object with declared `properties` and no `additionalProperties`
 * allows no other properties. zod describes the input of `z.object()` as open (it strips unknown keys), but a model
 * should produce exactly the declared fields, and OpenAI's strict mode refuses an open object.
 */
function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (!isRecord(node)) return node;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(node)) {
    const value = node[key];
    if (dataKeywords.has(key)) copy[key] = value;
    else if (schemaMaps.has(key) && isRecord(value)) {
      const map: Record<string, unknown> = {};
      for (const name of Object.keys(value)) map[name] = closeObjects(value[name]);
      copy[key] = map;
    } else copy[key] = closeObjects(value);
  }
  const isObjectType = copy.type === 'object' || (Array.isArray(copy.type) && copy.type.includes('object'));
  if (isObjectType && isRecord(copy.properties) && copy.additionalProperties === undefined) copy.additionalProperties = false;
  return copy;
}

/** zod (classic) 4 before Standard JSON Schema had its converter as a method. */
interface WithToJSONSchemaMethod {
  toJSONSchema(params: { io: 'input'; target: string }): Record<string, unknown>;
}

const hasToJSONSchemaMethod = (schema: object): schema is WithToJSONSchemaMethod => typeof (schema as { toJSONSchema?: unknown }).toJSONSchema === 'function';

function describe(schema: StandardSchemaV1): Record<string, unknown> | undefined {
  const standard = schema['~standard'];
  if (standard.jsonSchema) return standard.jsonSchema.input({ target: JSON_SCHEMA_TARGET });
  if (standard.vendor === 'zod' && hasToJSONSchemaMethod(schema)) return schema.toJSONSchema({ io: 'input', target: JSON_SCHEMA_TARGET });
  return undefined;
}

/** What to do instead, for a schema that cannot describe itself as JSON Schema. */
function withoutJSONSchema(vendor: string): string {
  return vendor === 'zod'
    ? 'a zod schema without JSON Schema support (zod/mini schemas have none): use a schema from `zod`, or pass `z.toJSONSchema(schema)`'
    : `a Standard Schema without JSON Schema support (${vendor}): pass a JSON Schema`;
}

// A schema is converted once, whatever the number of calls that use it (schemas are immutable values).
const converted = /* @__PURE__ */ new WeakMap<object, Record<string, unknown>>();

/**
 * The JSON Schema of what a Standard Schema accepts (its input), through the schema's own converter: Standard JSON
 * Schema (`~standard.jsonSchema`) when present, else zod's `toJSONSchema()` method. Objects are closed
 * (`additionalProperties: false`). Converted once per schema. A schema without a converter, or one whose types JSON
 * Schema cannot describe (a `Date`, a transform), is an `invalid_request` naming `field`.
 */
export function standardSchemaToJSONSchema(schema: StandardSchemaV1, field: string, provider?: string): Record<string, unknown> {
  const known = converted.get(schema);
  if (known) return known;
  const options = provider === undefined ? {} : { provider };
  let json: Record<string, unknown> | undefined;
  try {
    json = describe(schema);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new KitError('invalid_request', `${field}: this schema cannot be described as JSON Schema (${reason})`, { ...options, cause: error });
  }
  if (!isRecord(json)) throw new KitError('invalid_request', `${field}: ${withoutJSONSchema(schema['~standard'].vendor)}`, options);
  const closed = closeObjects(json) as Record<string, unknown>;
  converted.set(schema, closed);
  return closed;
}
