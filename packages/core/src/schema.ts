/**
 * A tiny strict validator for settings and call options. It names the bad field in every issue.
 * zod/mini costs ~7 KB min+gzip for the same checks, half of the whole bundle budget (see docs/architecture.md),
 * so runtime validation uses this; the shapes read like zod's.
 */

export interface SchemaIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: string;
  minimum?: number;
  maximum?: number;
  keys?: string[];
  format?: string;
  values?: unknown[];
}

export type ParseResult<T> = { success: true; data: T } | { success: false; error: { issues: SchemaIssue[] } };

export interface Schema<T> {
  readonly optional: boolean;
  /** Checks `input`, appending issues at `path`; returns the (possibly defaulted) value. */
  check(input: unknown, path: PropertyKey[], issues: SchemaIssue[]): T;
  safeParse(input: unknown): ParseResult<T>;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

type Checker<T> = (input: unknown, path: PropertyKey[], issues: SchemaIssue[]) => T;

function schema<T>(check: Checker<T>, optional = false): Schema<T> {
  return {
    optional,
    check,
    safeParse(input) {
      const issues: SchemaIssue[] = [];
      const data = check(input, [], issues);
      return issues.length === 0 ? { success: true, data } : { success: false, error: { issues } };
    },
  };
}

const typeIssue = (path: PropertyKey[], expected: string): SchemaIssue => ({
  code: 'invalid_type',
  path,
  expected,
  message: `expected ${expected}`,
});

export interface StringChecks {
  min?: number;
  pattern?: RegExp;
  format?: string;
}

export function string(checks: StringChecks = {}): Schema<string> {
  return schema((input, path, issues) => {
    if (typeof input !== 'string') issues.push(typeIssue(path, 'a string'));
    else if (checks.min !== undefined && input.length < checks.min)
      issues.push({ code: 'too_small', path, minimum: checks.min, message: 'too short' });
    else if (checks.pattern && !checks.pattern.test(input))
      issues.push({ code: 'invalid_format', path, format: checks.format ?? 'value', message: 'invalid format' });
    return input as string;
  });
}

export function url(): Schema<string> {
  return schema((input, path, issues) => {
    if (typeof input !== 'string') issues.push(typeIssue(path, 'a URL string'));
    else if (!/^https?:\/\/[^\s/]+/i.test(input)) issues.push({ code: 'invalid_format', path, format: 'http(s) URL', message: 'invalid URL' });
    return input as string;
  });
}

export interface NumberChecks {
  int?: boolean;
  min?: number;
  max?: number;
  /** Strictly greater than 0. */
  positive?: boolean;
}

export function number(checks: NumberChecks = {}): Schema<number> {
  return schema((input, path, issues) => {
    if (typeof input !== 'number' || !Number.isFinite(input)) issues.push(typeIssue(path, checks.int ? 'an integer' : 'a finite number'));
    else if (checks.int && !Number.isInteger(input)) issues.push(typeIssue(path, 'an integer'));
    else if (checks.positive && input <= 0) issues.push({ code: 'too_small', path, minimum: Number.MIN_VALUE, message: 'must be positive' });
    else if (checks.min !== undefined && input < checks.min) issues.push({ code: 'too_small', path, minimum: checks.min, message: 'too small' });
    else if (checks.max !== undefined && input > checks.max) issues.push({ code: 'too_big', path, maximum: checks.max, message: 'too big' });
    return input as number;
  });
}

export function boolean(): Schema<boolean> {
  return schema((input, path, issues) => {
    if (typeof input !== 'boolean') issues.push(typeIssue(path, 'a boolean'));
    return input as boolean;
  });
}

export function literal<const T extends readonly (string | number | boolean)[]>(...values: T): Schema<T[number]> {
  return schema((input, path, issues) => {
    if (!values.includes(input as T[number])) issues.push({ code: 'invalid_value', path, values: [...values], message: 'not allowed' });
    return input as T[number];
  });
}

/** Any value passing `test`; `message` says what was expected ("must be a function"). */
export function custom<T>(test: (input: unknown) => boolean, message: string): Schema<T> {
  return schema((input, path, issues) => {
    if (!test(input)) issues.push({ code: 'custom', path, message });
    return input as T;
  });
}

export function optional<T>(inner: Schema<T>): Schema<T | undefined> {
  return schema<T | undefined>((input, path, issues) => (input === undefined ? undefined : inner.check(input, path, issues)), true);
}

export function array<T>(item: Schema<T>, checks: { min?: number } = {}): Schema<T[]> {
  return schema((input, path, issues) => {
    if (!Array.isArray(input)) {
      issues.push(typeIssue(path, 'an array'));
      return input as T[];
    }
    if (checks.min !== undefined && input.length < checks.min) issues.push({ code: 'too_small', path, minimum: checks.min, message: 'too short' });
    input.forEach((value, index) => item.check(value, [...path, index], issues));
    return input as T[];
  });
}

export function record<T>(value: Schema<T>): Schema<Record<string, T>> {
  return schema((input, path, issues) => {
    if (!isPlainObject(input)) {
      issues.push(typeIssue(path, 'an object'));
      return input as Record<string, T>;
    }
    for (const [key, item] of Object.entries(input)) value.check(item, [...path, key], issues);
    return input as Record<string, T>;
  });
}

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K]['optional'] extends true ? K : never }[keyof S];
export type ObjectOf<S extends Shape> = { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & {
  [K in OptionalKeys<S>]?: Infer<S[K]>;
};

function isPlainObject(input: unknown): input is Record<string, unknown> {
  return typeof input === 'object' && input !== null && !Array.isArray(input);
}

/** An object whose keys are checked; unknown keys are an issue when `strict`. */
export function object<S extends Shape>(shape: S, options: { strict?: boolean } = {}): Schema<ObjectOf<S>> & { shape: S } {
  const checked = schema((input, path, issues) => {
    if (!isPlainObject(input)) {
      issues.push(typeIssue(path, 'an object'));
      return input as ObjectOf<S>;
    }
    for (const [key, field] of Object.entries(shape)) {
      const value = input[key];
      if (value === undefined && !field.optional) issues.push({ ...typeIssue([...path, key], 'a value'), code: 'missing' });
      else field.check(value, [...path, key], issues);
    }
    if (options.strict) {
      const unknown = Object.keys(input).filter((key) => !(key in shape) && input[key] !== undefined);
      if (unknown.length > 0) issues.push({ code: 'unrecognized_keys', path, keys: unknown, message: 'unknown option' });
    }
    return input as ObjectOf<S>;
  });
  return Object.assign(checked, { shape });
}

/** An object that allows only the keys of `shape`. */
export function strictObject<S extends Shape>(shape: S): Schema<ObjectOf<S>> & { shape: S } {
  return object(shape, { strict: true });
}

/** The first member whose check passes; when none does, the issues of the member whose type matched. */
export function union<T>(members: Schema<T>[], describe: string): Schema<T> {
  return schema((input, path, issues) => {
    let deeper: SchemaIssue[] | undefined;
    for (const member of members) {
      const attempt: SchemaIssue[] = [];
      member.check(input, path, attempt);
      if (attempt.length === 0) return input as T;
      // A member whose type matched but whose contents did not says more than "wrong shape".
      const typeMatched = !attempt.some((issue) => issue.path.length === path.length && issue.code === 'invalid_type');
      if (typeMatched && !deeper) deeper = attempt;
    }
    if (deeper) issues.push(...deeper);
    else issues.push({ code: 'custom', path, message: `must be ${describe}` });
    return input as T;
  });
}

/** Objects told apart by a string field (`type`, `role`): the issue names the field and the allowed values. */
export function discriminated<T>(key: string, members: Record<string, Schema<unknown>>): Schema<T> {
  const allowed = Object.keys(members);
  return schema((input, path, issues) => {
    if (!isPlainObject(input)) {
      issues.push(typeIssue(path, 'an object'));
      return input as T;
    }
    const member = typeof input[key] === 'string' ? members[input[key] as string] : undefined;
    if (!member) issues.push({ code: 'invalid_value', path: [...path, key], values: allowed, message: 'not allowed' });
    else member.check(input, path, issues);
    return input as T;
  });
}
