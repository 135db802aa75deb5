import { KitError, type KitErrorCode, type KitErrorOptions, type RequestContext } from '@kit/core';

/** Throws the `invalid_request` error for input the dialect cannot take: `"<provider>: <field>: <problem>"`. */
export function invalidRequest(provider: string, field: string, problem: string): never {
  throw new KitError('invalid_request', `${provider}: ${field}: ${problem}`, { provider });
}

/**
 * A copy without the fields that are unset (`null`, `undefined`) or empty (`''`, `[]`): unset knobs are not sent.
 * A copy rather than `delete` in place, which would turn the request body into a slow dictionary-mode object.
 */
export function compact<T extends object>(record: T): T {
  const kept = {} as T;
  for (const key in record) {
    const value = record[key] as { length?: number } | null | undefined;
    if (value != null && value.length !== 0) kept[key] = record[key];
  }
  return kept;
}

/** An error in an answer, attributed to the call's provider and credential: `"<provider>: <message>"`. */
export function responseError(context: RequestContext, code: KitErrorCode, message: string, options?: KitErrorOptions): KitError {
  return new KitError(code, `${context.provider}: ${message}`, { provider: context.provider, credentialId: context.credential.id, ...options });
}

/** OpenAI's wrapper of a tool, tool choice or tool call: `{ type: 'function', function: … }`. */
export const functionOf = <T>(fn: T) => ({ type: 'function' as const, function: fn });
