import { KitError, type KitErrorCode, type KitErrorOptions } from '@kit/core';
import type { RequestContext } from '@kit/core/provider-utils';

/** Throws the `invalid_request` error for input the dialect cannot take: `"<provider>: <field>: <problem>"`. */
export function invalidRequest(provider: string, field: string, problem: string): never {
  throw new KitError('invalid_request', `${provider}: ${field}: ${problem}`, { provider });
}

/** An error in an answer, attributed to the call's provider and credential: `"<provider>: <message>"`. */
export function responseError(context: RequestContext, code: KitErrorCode, message: string, options?: KitErrorOptions): KitError {
  return new KitError(code, `${context.provider}: ${message}`, { provider: context.provider, credentialId: context.credential.id, ...options });
}

/** OpenAI's wrapper of a tool, tool choice or tool call: `{ type: 'function', function: … }`. */
export const functionOf = <T>(fn: T) => ({ type: 'function' as const, function: fn });
