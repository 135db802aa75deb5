import type { KitErrorCode } from './error-codes';
import { KitError } from './kit-error';
import { nonEmptyCheck } from './non-empty-check';

/**
 * One problem found by a schema: where (`path`) and what (`message`). zod's issues have this shape; a Standard
 * Schema's path may also hold `{ key }` segments.
 */
export interface SchemaIssue {
  readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[] | undefined;
  readonly message: string;
}

/** The fields of a zod issue this file reads, beyond `path` and `message` (all optional: other schemas lack them). */
interface DetailedIssue extends SchemaIssue {
  readonly code?: string;
  /** `unrecognized_keys`: the unknown keys of the object at `path`. */
  readonly keys?: readonly PropertyKey[];
  /** `invalid_union`: the issues of each member, relative to `path`. */
  readonly errors?: readonly (readonly DetailedIssue[])[];
  /** `invalid_key`: what is wrong with the key itself. */
  readonly issues?: readonly DetailedIssue[];
}

/** A zod issue before it has a message: what the error map below turns into plain words. */
interface RawIssue {
  readonly code?: string;
  readonly input?: unknown;
  readonly expected?: string;
  readonly origin?: string;
  readonly format?: string;
  readonly minimum?: number | bigint;
  readonly maximum?: number | bigint;
  readonly inclusive?: boolean;
  readonly divisor?: number | bigint;
  readonly values?: readonly unknown[];
  readonly options?: readonly unknown[];
}

/**
 * Anything with a zod-like `safeParse`: a zod (or zod/mini) schema, or a hand-written parser. The second argument is
 * zod's per-parse context; other parsers may ignore it.
 */
export interface SafeParser<T> {
  safeParse(
    input: unknown,
    context?: { error?: (issue: RawIssue) => string | undefined },
  ): { success: true; data: T } | { success: false; error: { issues: readonly SchemaIssue[] } };
}

const article = (noun: string) => (/^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`);
const quoteAll = (values: readonly unknown[]) => values.map((value) => (typeof value === 'bigint' ? `${value}` : JSON.stringify(value))).join(', ');
const oneOf = (values: readonly unknown[]) => (values.length === 1 ? quoteAll(values) : `one of ${quoteAll(values)}`);

/** "must be an integer", "must be a string", … by what the schema expected. */
function expectedMessage(expected: string): string {
  if (expected === 'int') return 'must be an integer';
  if (expected === 'number') return 'must be a finite number';
  if (expected === 'record') return 'must be an object';
  if (expected === 'never') return 'must not be set';
  return `must be ${article(expected)}`;
}

function tooSmall(issue: RawIssue): string {
  const { origin, minimum, inclusive } = issue;
  if ((origin === 'string' || origin === 'array') && minimum === 1) return 'must not be empty';
  if (origin === 'string') return `must be at least ${minimum} characters long`;
  if (origin === 'array' || origin === 'set') return `must have at least ${minimum} items`;
  return inclusive === false ? `must be greater than ${minimum}` : `must be at least ${minimum}`;
}

function tooBig(issue: RawIssue): string {
  const { origin, maximum, inclusive } = issue;
  if (origin === 'string') return `must be at most ${maximum} characters long`;
  if (origin === 'array' || origin === 'set') return `must have at most ${maximum} items`;
  return inclusive === false ? `must be less than ${maximum}` : `must be at most ${maximum}`;
}

/**
 * zod's error map for every issue that has no message of its own: the problem in plain words ("must be an integer",
 * "is required", "is not a known option"). zod/mini ships no locale, so without it every message would read
 * "Invalid input". Passed per parse, never through `z.config()`: a user's own zod schemas are not affected.
 */
function plainIssueMessage(issue: RawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : expectedMessage(issue.expected ?? 'valid value');
    case 'too_small':
      return tooSmall(issue);
    case 'too_big':
      return tooBig(issue);
    case 'invalid_value':
      return `must be ${oneOf(issue.values ?? [])}`;
    case 'invalid_union':
      return issue.options ? `must be ${oneOf(issue.options)}` : 'does not match any accepted form';
    case 'unrecognized_keys':
      return 'is not a known option';
    case 'invalid_key':
      return 'is not an accepted key';
    case 'invalid_format':
      return issue.format === 'regex' ? 'is not in the accepted format' : `must be a valid ${issue.format}`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    default:
      return 'is invalid';
  }
}

/** The per-parse context that words zod's issues (`parseOrThrow`, and schemas that parse parts of a value themselves). */
export const parseContext = { error: plainIssueMessage };

/** `messages[2].content` from `['messages', 2, 'content']`. */
export function fieldName(path: readonly (PropertyKey | { readonly key: PropertyKey })[], prefix = ''): string {
  let name = prefix;
  for (const segment of path) {
    const part = typeof segment === 'object' && segment !== null ? segment.key : segment;
    name = typeof part === 'number' ? `${name}[${part}]` : name ? `${name}.${String(part)}` : String(part);
  }
  return name || '(value)';
}

/**
 * A union member whose issues all lie inside the value matched the value's form (an array whose third item is
 * wrong): its issues say more than "does not match". Of several, the one with the fewest issues.
 */
function closestUnionMember(issue: DetailedIssue): readonly DetailedIssue[] | undefined {
  let best: readonly DetailedIssue[] | undefined;
  let fewest = Infinity;
  for (const member of issue.errors ?? []) {
    // An unknown key is a problem inside the value too: it names the key.
    const inside = member.length > 0 && member.every((inner) => (inner.path?.length ?? 0) > 0 || inner.code === 'unrecognized_keys');
    const count = member.reduce((total, inner) => total + (inner.code === 'unrecognized_keys' ? (inner.keys?.length ?? 1) : 1), 0);
    if (inside && count < fewest) {
      best = member;
      fewest = count;
    }
  }
  return best;
}

/**
 * A union of objects told apart by one field (`type`), none of whose values the input has: that field and every
 * value it may take (`type: must be one of "text", "image"`), as a discriminated union says it.
 */
function unknownTag(issue: DetailedIssue): { key: PropertyKey; values: unknown[] } | undefined {
  let key: PropertyKey | undefined;
  const values: unknown[] = [];
  for (const member of issue.errors ?? []) {
    const tag = member.find((inner) => inner.code === 'invalid_value' && inner.path?.length === 1) as (DetailedIssue & RawIssue) | undefined;
    if (!tag || (key !== undefined && tag.path?.[0] !== key)) return undefined;
    key = tag.path?.[0] as PropertyKey;
    values.push(...(tag.values ?? []));
  }
  return key === undefined ? undefined : { key, values };
}

function describeIssue(issue: DetailedIssue, base: readonly (PropertyKey | { key: PropertyKey })[], prefix: string, out: string[]): void {
  const path = [...base, ...(issue.path ?? [])];
  if (issue.code === 'unrecognized_keys' && issue.keys) {
    for (const key of issue.keys) out.push(`${fieldName([...path, key], prefix)}: ${issue.message}`);
    return;
  }
  const tag = issue.code === 'invalid_union' ? unknownTag(issue) : undefined;
  if (tag) {
    out.push(`${fieldName([...path, tag.key], prefix)}: must be ${oneOf(tag.values)}`);
    return;
  }
  const member = issue.code === 'invalid_union' ? closestUnionMember(issue) : undefined;
  if (member) for (const inner of member) describeIssue(inner, path, prefix, out);
  else out.push(`${fieldName(path, prefix)}: ${(issue.code === 'invalid_key' && issue.issues?.[0]?.message) || issue.message}`);
}

/** Formats issues as "field: problem" joined by "; ": one entry per unknown key, the closest member of a union. */
export function formatIssues(issues: readonly SchemaIssue[], prefix = ''): string {
  const out: string[] = [];
  for (const issue of issues) describeIssue(issue, [], prefix, out);
  return out.join('; ');
}

/** An object literal (or `Object.create(null)`): no class instance, whose getters and inherited fields zod reads. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** The parts of a zod field schema read by `parsePresentFields` and `plainValueTest`. */
interface FieldSchemaInternals {
  _zod?: {
    optin?: string;
    def?: { type: string; coerce?: boolean; format?: string; innerType?: FieldSchemaInternals; checks?: readonly unknown[] };
  };
}

/** The parts of a zod object schema read by `parsePresentFields`. */
interface ObjectSchemaInternals {
  _zod?: { def: { type: string; shape?: Record<string, SafeParser<unknown> & FieldSchemaInternals>; checks?: readonly unknown[] } };
}

/** Whether a value passes a field schema unchanged: answered without zod for the commonest fields (see below). */
type PlainValueTest = (value: unknown) => boolean;

/**
 * For a field that is, under an optional wrapper, a plain `z.boolean()` or `z.string()`, the latter perhaps with
 * the shared `nonEmptyCheck`: a test that answers `true` only for values zod takes as they are. Anything it does not
 * answer `true` for goes to zod, which has the last word. A zod parse of a 2-field call cost more than the rest of
 * a call's preparation.
 */
function plainValueTest(schema: FieldSchemaInternals): PlainValueTest | undefined {
  let def = schema._zod?.def;
  if (def?.type === 'optional') def = def.innerType?._zod?.def;
  if (!def || def.coerce || def.format !== undefined) return undefined;
  const checks = def.checks ?? [];
  if (def.type === 'boolean' && checks.length === 0) return (value) => typeof value === 'boolean';
  if (def.type !== 'string' || !checks.every((check) => check === nonEmptyCheck)) return undefined;
  const floor = checks.length > 0 ? 1 : 0;
  return (value) => typeof value === 'string' && value.length >= floor;
}

/** What `parsePresentFields` needs of an object schema, worked out once per schema. */
interface ObjectPlan {
  /**
   * The fields by name, each with its schema and, when one could be derived, a test of values it takes as they are: a
   * `Map`, so that looking a call's keys up is no property access keyed by each name (a megamorphic one).
   */
  fields: Map<string, { schema: SafeParser<unknown>; plain: PlainValueTest | undefined }>;
  /** The fields that must be set (most settings and call options have none). */
  required: readonly string[];
}

const objectPlans = /* @__PURE__ */ new WeakMap<object, ObjectPlan | null>();

function objectPlanOf(schema: SafeParser<unknown>): ObjectPlan | null {
  let plan = objectPlans.get(schema);
  if (plan === undefined) {
    const def = (schema as ObjectSchemaInternals)._zod?.def;
    const shape = def?.type === 'object' && !def.checks?.length ? def.shape : undefined;
    plan = null;
    if (shape) {
      const fields: ObjectPlan['fields'] = new Map();
      for (const [key, schema] of Object.entries(shape)) fields.set(key, { schema, plain: plainValueTest(schema) });
      plan = { fields, required: Object.keys(shape).filter((key) => shape[key]?._zod?.optin !== 'optional') };
    }
    objectPlans.set(schema, plan);
  }
  return plan;
}

/**
 * An object schema checks every field it knows, set or not: 7.5 µs for call options of 27 optional fields of which a
 * call sets 2, on every call. A value whose keys are all known, with every required field set and every field valid, is
 * accepted from its own fields alone (the same field schemas, so the same result); anything else — an unknown key, a
 * bad or missing field, an object with checks of its own — takes the whole parse, which words the error.
 *
 * The value itself is the result when every field parses to the value it was given (plain strings and booleans always
 * do); it is copied only for a field whose parse built a value of its own. A copy, key by key, of every call's options
 * was a megamorphic store per field, and the caller copies the fields it keeps anyway.
 */
function parsePresentFields(schema: SafeParser<unknown>, input: unknown): Record<string, unknown> | undefined {
  const plan = objectPlanOf(schema);
  if (!plan || !isPlainObject(input)) return undefined;
  let output: Record<string, unknown> | undefined;
  // `for…in` (a plain object inherits nothing enumerable) reads each value through the key cache of the object's shape.
  for (const key in input) {
    const field = plan.fields.get(key);
    if (!field) return undefined;
    const value = input[key];
    if (field.plain?.(value)) continue;
    const result = field.schema.safeParse(value, parseContext);
    if (!result.success) return undefined;
    if (result.data !== value) {
      output ??= { ...input };
      output[key] = result.data;
    }
  }
  for (const key of plan.required) if (!Object.hasOwn(input, key)) return undefined;
  return output ?? input;
}

/**
 * Parses `input` with a schema, or throws a `KitError` whose message names every bad field.
 * `code` is `invalid_config` for settings and `invalid_request` for call options. An object whose fields all parse to
 * themselves may come back as the same object: treat the result as read-only, as the input.
 *
 * @example
 * parseOrThrow(settingsSchema, settings, 'invalid_config', { what: 'invalid openai settings', provider: 'openai' });
 * // KitError: invalid openai settings: timeoutMs: must be an integer
 */
export function parseOrThrow<T>(
  schema: SafeParser<T>,
  input: unknown,
  code: Extract<KitErrorCode, 'invalid_config' | 'invalid_request'>,
  context: { what: string; provider?: string; prefix?: string },
): T {
  // One return, at the end: V8 tiers a function up by how far into its code a call returns.
  return (parsePresentFields(schema, input) as T | undefined) ?? parseWhole(schema, input, code, context);
}

/** The whole zod parse: what words the error of a bad value or an unknown field. */
function parseWhole<T>(
  schema: SafeParser<T>,
  input: unknown,
  code: Extract<KitErrorCode, 'invalid_config' | 'invalid_request'>,
  context: { what: string; provider?: string; prefix?: string },
): T {
  const result = schema.safeParse(input, parseContext);
  if (result.success) return result.data;
  throw new KitError(
    code,
    `${context.what}: ${formatIssues(result.error.issues, context.prefix)}`,
    context.provider === undefined ? {} : { provider: context.provider },
  );
}
