/**
 * A tiny strict validator for settings and call options; every issue names the bad field.
 * zod/mini costs ~7 KB min+gzip for the same checks, half of the whole bundle budget (see docs/architecture.md),
 * so runtime validation uses this. The shapes read like zod's, and anything with the same `safeParse` works too.
 */

/** One problem: where (`path`) and what, in words ("must be a string"). */
export interface SchemaIssue {
  path: PropertyKey[];
  message: string;
}

export type ParseResult<T> = { success: true; data: T } | { success: false; error: { issues: SchemaIssue[] } };

export interface Schema<T> {
  readonly optional: boolean;
  /** Checks `input`, appending issues found at `path`. */
  check(input: unknown, path: PropertyKey[], issues: SchemaIssue[]): void;
  safeParse(input: unknown): ParseResult<T>;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

/** Returns the problem with `input`, or `undefined` when it is fine. */
export type Test = (input: unknown, path: PropertyKey[], issues: SchemaIssue[]) => string | undefined | void;

function schema<T>(test: Test, optional = false): Schema<T> {
  const check = (input: unknown, path: PropertyKey[], issues: SchemaIssue[]) => {
    const message = test(input, path, issues);
    if (message) issues.push({ path, message });
  };
  return {
    optional,
    check,
    safeParse(input) {
      const issues: SchemaIssue[] = [];
      check(input, [], issues);
      return issues.length === 0 ? { success: true, data: input as T } : { success: false, error: { issues } };
    },
  };
}

export function string(checks: { min?: number; pattern?: RegExp; format?: string } = {}): Schema<string> {
  return schema((input) =>
    typeof input !== 'string'
      ? 'must be a string'
      : checks.min && input.length < checks.min
        ? 'must not be empty'
        : checks.pattern && !checks.pattern.test(input)
          ? `must be a valid ${checks.format}`
          : undefined,
  );
}

export function url(): Schema<string> {
  return schema((input) => (typeof input === 'string' && /^https?:\/\/[^\s/]/i.test(input) ? undefined : 'must be an http(s) URL'));
}

export function number(checks: { int?: boolean; min?: number; max?: number; positive?: boolean } = {}): Schema<number> {
  return schema((input) =>
    typeof input !== 'number' || !Number.isFinite(input) || (checks.int && !Number.isInteger(input))
      ? `must be ${checks.int ? 'an integer' : 'a finite number'}`
      : checks.positive && input <= 0
        ? 'must be greater than 0'
        : input < (checks.min ?? -Infinity)
          ? `must be at least ${checks.min}`
          : input > (checks.max ?? Infinity)
            ? `must be at most ${checks.max}`
            : undefined,
  );
}

export function boolean(): Schema<boolean> {
  return schema((input) => (typeof input === 'boolean' ? undefined : 'must be a boolean'));
}

export function literal<const T extends readonly (string | number | boolean)[]>(...values: T): Schema<T[number]> {
  return schema((input) => (values.includes(input as T[number]) ? undefined : `must be one of ${values.map((value) => JSON.stringify(value)).join(', ')}`));
}

/**
 * Any value passing `test`; `message` says what was expected ("must be a function"). `inner` may check the
 * value's contents further and report issues of its own.
 */
export function custom<T>(test: (input: unknown) => boolean, message: string, inner?: Test): Schema<T> {
  return schema((input, path, issues) => (test(input) ? inner?.(input, path, issues) : message) || undefined);
}

export function optional<T>(inner: Schema<T>): Schema<T | undefined> {
  return schema((input, path, issues) => {
    if (input !== undefined) inner.check(input, path, issues);
  }, true);
}

export function array<T>(item: Schema<T>): Schema<T[]> {
  return schema((input, path, issues) => {
    if (!Array.isArray(input)) return 'must be an array';
    input.forEach((value, index) => item.check(value, [...path, index], issues));
  });
}

const isPlainObject = (input: unknown): input is Record<string, unknown> =>
  typeof input === 'object' && input !== null && !Array.isArray(input);

export function record<T>(value: Schema<T>): Schema<Record<string, T>> {
  return schema((input, path, issues) => {
    if (!isPlainObject(input)) return 'must be an object';
    for (const key in input) value.check(input[key], [...path, key], issues);
  });
}

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K]['optional'] extends true ? K : never }[keyof S];
export type ObjectOf<S extends Shape> = { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & {
  [K in OptionalKeys<S>]?: Infer<S[K]>;
};

/** An object whose keys are checked; with `strict`, an unknown key is an issue (it catches typos like `apikey`). */
export function object<S extends Shape>(shape: S, strict = false): Schema<ObjectOf<S>> & { shape: S } {
  const checked = schema<ObjectOf<S>>((input, path, issues) => {
    if (!isPlainObject(input)) return 'must be an object';
    for (const key in shape) {
      const value = input[key];
      // Absent optional fields cost nothing (this runs on every call).
      if (value !== undefined) (shape[key] as Schema<unknown>).check(value, [...path, key], issues);
      else if (!(shape[key] as Schema<unknown>).optional) issues.push({ path: [...path, key], message: 'is required' });
    }
    if (strict) {
      for (const key in input) if (!(key in shape) && input[key] !== undefined) issues.push({ path: [...path, key], message: 'is not a known option' });
    }
  });
  return Object.assign(checked, { shape });
}

/** An object that allows only the keys of `shape`. */
export function strictObject<S extends Shape>(shape: S): Schema<ObjectOf<S>> & { shape: S } {
  return object(shape, true);
}

/** Objects told apart by a string field (`type`): the issue names that field and its allowed values. */
export function discriminated<T>(key: string, members: Record<string, Schema<unknown>>): Schema<T> {
  return schema((input, path, issues) => {
    if (!isPlainObject(input)) return 'must be an object';
    const member = members[input[key] as string];
    if (!member) issues.push({ path: [...path, key], message: `must be one of ${Object.keys(members).map((name) => `"${name}"`).join(', ')}` });
    else member.check(input, path, issues);
  });
}
