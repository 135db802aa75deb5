import { codeForBody, KitError, upstreamMessage, type ErrorRefiner, type KitErrorCode, type RequestContext } from '@kit/core';
import { fieldsOf } from './wire';

/** Anthropic's `error.type` values and what they mean (SPEC §4). */
const codesByType: Readonly<Record<string, KitErrorCode>> = {
  authentication_error: 'authentication',
  permission_error: 'permission',
  not_found_error: 'not_found',
  rate_limit_error: 'rate_limit',
  request_too_large: 'invalid_request',
  billing_error: 'quota_exceeded',
  api_error: 'server_error',
  overloaded_error: 'server_error',
  timeout_error: 'timeout',
};

/** A spent credit balance or a reached spend limit: another key (another workspace or organization) may still work. */
const quotaMessage = /credit balance|usage limits?|spend(ing)? limit/i;

/**
 * The code of an Anthropic error body (`{ type: 'error', error: { type, message } }`). `invalid_request_error`
 * says little by itself: a prompt over the context window becomes `context_length`, an exhausted credit balance
 * or spend limit `quota_exceeded`, anything else `invalid_request`. `undefined` for a body that is not Anthropic's.
 */
export function anthropicErrorCode(body: unknown): KitErrorCode | undefined {
  const type = fieldsOf(fieldsOf(body).error).type;
  if (type === 'invalid_request_error') {
    if (quotaMessage.test(upstreamMessage(body) ?? '')) return 'quota_exceeded';
    const byBody = codeForBody(body);
    return byBody === 'context_length' || byBody === 'quota_exceeded' || byBody === 'content_filter' ? byBody : 'invalid_request';
  }
  return typeof type === 'string' ? codesByType[type] : undefined;
}

/**
 * Anthropic's refinement of the generic classification: its `error.type` decides for client errors (4xx), and
 * `overloaded_error` is a server error whatever the status (529). Other 5xx keep core's status-based code;
 * `retry-after` and the `request-id` header are read by core.
 */
export const refineAnthropicError: ErrorRefiner = ({ status, body }) => {
  const code = anthropicErrorCode(body);
  return code && (status < 500 || code === 'server_error') ? { code } : undefined;
};

/**
 * The `KitError` for an `error` event inside a stream that had already answered 200 (`overloaded_error`,
 * `api_error`, …): classified by its type and message, `server_error` when unknown, so that it is retried or
 * failed over when it comes before the first content.
 */
export function anthropicStreamError(body: unknown, context: RequestContext): KitError {
  const requestId = fieldsOf(body).request_id;
  return new KitError(
    anthropicErrorCode(body) ?? codeForBody(body) ?? 'server_error',
    `${context.provider}: ${upstreamMessage(body) ?? 'error in the response stream'}`,
    { provider: context.provider, credentialId: context.credential.id, requestId: typeof requestId === 'string' ? requestId : undefined },
  );
}
