import type { KitErrorCode } from '@kit/core';
import type { ErrorRefiner } from '@kit/core/provider-utils';

/**
 * Echo's error body: `{ "problem": { "type": "throttled", "text": "…" } }`. The status says most of it (core
 * classifies 401, 403, 429, 5xx); the type tells what a status alone does not.
 */
const codes: Record<string, KitErrorCode> = {
  key_invalid: 'authentication',
  key_forbidden: 'permission',
  throttled: 'rate_limit',
  out_of_credit: 'quota_exceeded',
  too_long: 'context_length',
  unknown_model: 'not_found',
  bad_request: 'invalid_request',
  busy: 'server_error',
  internal: 'server_error',
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The `problem` object of an Echo error body, if the body is one. */
export function echoProblem(body: unknown): { type?: string; text?: string } | undefined {
  const problem = isRecord(body) && isRecord(body.problem) ? body.problem : undefined;
  if (!problem) return undefined;
  return {
    ...(typeof problem.type === 'string' ? { type: problem.type } : {}),
    ...(typeof problem.text === 'string' ? { text: problem.text } : {}),
  };
}

/** Echo's error types as `KitError` codes, and its message as the error's. */
export const refineEchoError: ErrorRefiner = (response) => {
  const problem = echoProblem(response.body);
  if (!problem) return undefined;
  const code = problem.type === undefined ? undefined : codes[problem.type];
  return { ...(code ? { code } : {}), ...(problem.text ? { message: problem.text } : {}) };
};
