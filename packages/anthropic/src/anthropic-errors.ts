import type { KitError, KitErrorCode } from '@kit/core';
import { codeForBody, upstreamErrorInBody, upstreamMessage, type ErrorRefiner, type RequestContext } from '@kit/core/provider-utils';
import { fieldsOf } from './wire';

/**
 * Anthropic's own wording of an exhausted allowance that core's shared rules do not know: a subscription's
 * "extra usage" (sent as a 400 `invalid_request_error`). Credit balance and spend-limit messages, and every
 * `error.type` (`authentication_error`, `billing_error`, `overloaded_error`, …), are core's shared evidence.
 */
const extraUsageExhausted = /out of extra usage|draws? from your extra usage/i;

const isInvalidRequestWithExtraUsage = (body: unknown): boolean =>
  fieldsOf(fieldsOf(body).error).type === 'invalid_request_error' && extraUsageExhausted.test(upstreamMessage(body) ?? '');

/**
 * The code of an Anthropic error body (`{ type: 'error', error: { type, message } }`): Anthropic's own wordings
 * first, then core's shared identifiers and messages (`error.type` decides; an `invalid_request_error` may be
 * narrowed by its message to `context_length` or `quota_exceeded`). `undefined` when nothing is recognisable.
 */
export function anthropicErrorCode(body: unknown): KitErrorCode | undefined {
  return isInvalidRequestWithExtraUsage(body) ? 'quota_exceeded' : codeForBody(body);
}

/** Anthropic's refinement of the generic classification: exhausted "extra usage" is `quota_exceeded`. */
export const refineAnthropicError: ErrorRefiner = ({ status, body }) =>
  status < 500 && isInvalidRequestWithExtraUsage(body) ? { code: 'quota_exceeded' } : undefined;

/**
 * The `KitError` for an `error` event inside a stream that had already answered 200 (`overloaded_error`,
 * `api_error`, …): core's classification of in-body errors (`upstreamErrorInBody`) with Anthropic's refinement;
 * `server_error` when unknown, so that it is retried or failed over when it comes before the first content.
 */
export function anthropicStreamError(body: unknown, context: RequestContext): KitError {
  return upstreamErrorInBody(body, { ...context, refineError: context.refineError ?? refineAnthropicError });
}
