import type { KitErrorCode } from './error-codes';
import { KitError } from './kit-error';
import type { SchemaIssue } from './schema';

/** Anything with a zod-like `safeParse` (this package's schemas, or zod's). */
interface SafeParser<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false; error: { issues: readonly SchemaIssue[] } };
}

/** `messages[2].content` from `['messages', 2, 'content']`. */
export function fieldName(path: readonly PropertyKey[], prefix = ''): string {
  let name = prefix;
  for (const part of path) name = typeof part === 'number' ? `${name}[${part}]` : name ? `${name}.${String(part)}` : String(part);
  return name || '(value)';
}

/** Formats issues as "field: problem" joined by "; ". */
export function formatIssues(issues: readonly SchemaIssue[], prefix = ''): string {
  return issues.map((issue) => `${fieldName(issue.path, prefix)}: ${issue.message}`).join('; ');
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
  throw new KitError(code, `${context.what}: ${formatIssues(result.error.issues, context.prefix)}`, context.provider === undefined ? {} : { provider: context.provider });
}
