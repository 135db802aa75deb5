import { KitError } from '@kit/core';

/** Throws the `invalid_request` error for input Anthropic cannot take: `"<provider>: <field>: <problem>"`. */
export function invalidRequest(provider: string, field: string, problem: string): never {
  throw new KitError('invalid_request', `${provider}: ${field}: ${problem}`, { provider });
}

/** A copy without the fields that are unset (`null`, `undefined`) or empty lists: unset knobs are not sent. */
export function compact<T extends object>(record: T): T {
  const kept = {} as T;
  for (const key in record) {
    const value = record[key] as { length?: number } | null | undefined;
    if (value != null && !(Array.isArray(value) && value.length === 0)) kept[key] = record[key];
  }
  return kept;
}

/** Any value read as a record of fields (`null`, text and numbers read as having none). */
export const fieldsOf = (value: unknown): Record<string, unknown> => Object(value ?? {}) as Record<string, unknown>;
