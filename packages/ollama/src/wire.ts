import { KitError } from '@kit/core';

/** Throws the `invalid_request` error for input Ollama cannot take: `"<provider>: <field>: <problem>"`. */
export function invalidRequest(provider: string, field: string, problem: string): never {
  throw new KitError('invalid_request', `${provider}: ${field}: ${problem}`, { provider });
}

/** Any value read as a record of fields (`null`, text and numbers read as having none). */
export const fieldsOf = (value: unknown): Record<string, unknown> => Object(value ?? {}) as Record<string, unknown>;
