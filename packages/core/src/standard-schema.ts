/**
 * A Standard Schema, v1 (https://standardschema.dev): the interface zod (3.24+ and 4), Valibot, ArkType and others
 * implement, so that a library can validate with any of them. Written here rather than taken from
 * `@standard-schema/spec`: it is a few lines, and @kit's core has no type-only dependencies.
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': StandardSchemaV1Props<Input, Output>;
}

/** The `~standard` property of a Standard Schema. */
export interface StandardSchemaV1Props<Input = unknown, Output = Input> {
  readonly version: 1;
  /** The library: `'zod'`, `'valibot'`, `'arktype'`, … */
  readonly vendor: string;
  /** Validates a value; libraries with asynchronous checks may answer with a promise. */
  readonly validate: (
    value: unknown,
    options?: { readonly libraryOptions?: Record<string, unknown> | undefined },
  ) => StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>;
  /** Types only (never read at run time): what the schema accepts and what it gives. */
  readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  /**
   * The Standard JSON Schema extension: present on schemas that can describe themselves as JSON Schema (zod 4's
   * `zod` schemas, not `zod/mini` ones; ArkType; …).
   */
  readonly jsonSchema?: StandardJSONSchemaConverter | undefined;
}

/** The outcome of `validate`: the (possibly transformed) value, or the issues. */
export type StandardSchemaResult<Output> = { readonly value: Output; readonly issues?: undefined } | { readonly issues: readonly StandardSchemaIssue[] };

/** One problem found by a Standard Schema. */
export interface StandardSchemaIssue {
  readonly message: string;
  readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[] | undefined;
}

/** The Standard JSON Schema converter (`~standard.jsonSchema`). It may throw for a type JSON Schema cannot describe. */
export interface StandardJSONSchemaConverter {
  readonly input: (options: { readonly target: string; readonly libraryOptions?: Record<string, unknown> | undefined }) => Record<string, unknown>;
  readonly output: (options: { readonly target: string; readonly libraryOptions?: Record<string, unknown> | undefined }) => Record<string, unknown>;
}

/** What a Standard Schema gives after validation: `InferStandardOutput<typeof schema>`. */
export type InferStandardOutput<Schema extends StandardSchemaV1> = NonNullable<Schema['~standard']['types']>['output'];

/** Whether a value is a Standard Schema (an object or function with a `~standard.validate` function). */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const standard = (value as { '~standard'?: unknown })['~standard'];
  return typeof standard === 'object' && standard !== null && typeof (standard as { validate?: unknown }).validate === 'function';
}
