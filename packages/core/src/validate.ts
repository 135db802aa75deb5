import type { KitErrorCode } from './error-codes';
import { KitError } from './kit-error';

import type { SchemaIssue as Issue } from './schema';

/** Anything with a zod-like `safeParse` (this package's schemas, or zod's). */
interface SafeParser<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false; error: { issues: readonly Issue[] } };
}

function fieldName(prefix: string, path: PropertyKey[]): string {
  let name = prefix;
  for (const part of path) name = typeof part === 'number' ? `${name}[${part}]` : name ? `${name}.${String(part)}` : String(part);
  return name || '(root)';
}

function describeIssue(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${String(issue.expected)}`;
    case 'missing':
      return 'is required';
    case 'too_small':
      if (issue.minimum === Number.MIN_VALUE) return 'must be greater than 0';
      return issue.minimum === 1 ? 'must not be empty' : `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}`;
    case 'invalid_format':
      return `must be a valid ${issue.format ?? 'value'}`;
    case 'invalid_value':
      return `must be one of ${(issue.values ?? []).map((value) => JSON.stringify(value)).join(', ')}`;
    case 'invalid_union':
      return 'has an unsupported shape';
    case 'custom':
      return issue.message && issue.message !== 'Invalid input' ? issue.message : 'is invalid';
    default:
      return issue.message;
  }
}

/** Formats validation issues as "field: problem" lines that name the bad field. */
export function formatIssues(issues: readonly Issue[], prefix = ''): string {
  return issues
    .map((issue) =>
      issue.code === 'unrecognized_keys'
        ? `${(issue.keys ?? []).map((key) => fieldName(prefix, [...issue.path, key])).join(', ')}: unknown option`
        : `${fieldName(prefix, issue.path)}: ${describeIssue(issue)}`,
    )
    .join('; ');
}

/**
 * Parses `input` with a schema, or throws a `KitError` whose message names every bad field.
 * `code` is `invalid_config` for settings and `invalid_request` for call options.
 */
export function parseOrThrow<T>(
  schema: SafeParser<T>,
  input: unknown,
  code: Extract<KitErrorCode, 'invalid_config' | 'invalid_request'>,
  context: { what: string; provider?: string; prefix?: string },
): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  return failValidation(code, `${context.what}: ${formatIssues(result.error.issues, context.prefix)}`, context.provider);
}

function failValidation(code: KitErrorCode, message: string, provider: string | undefined): never {
  throw new KitError(code, message, provider === undefined ? {} : { provider });
}
