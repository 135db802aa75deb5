import {
  codeForBody,
  codeForStatus,
  parseDuration,
  parseRetryAfter,
  upstreamMessage,
  type ErrorRefiner,
  type KitError,
  type KitErrorCode,
  type RequestContext,
} from '@kit/core';
import { responseError } from './wire';

// "Please try again in 6m0s." / "try again in 20ms" / "Please retry in 1.5s" (OpenAI, Groq, most compatible servers).
const retryHint = /(?:try again|retry) in ~?\s*((?:\d+(?:\.\d+)?(?:ms|s|m|h))+)/i;

/** The wait an error message asks for ("Please try again in 6m0s"), in milliseconds. */
export function retryHintMs(message: string | undefined): number | undefined {
  const match = message && retryHint.exec(message);
  return match ? parseDuration(match[1] as string) : undefined;
}

/**
 * The refinement every OpenAI-compatible server gets: the retry wait its message asks for, when no usable
 * `Retry-After` header came with it. Core's generic classification already reads OpenAI's error
 * identifiers (`invalid_api_key`, `insufficient_quota`, `rate_limit_exceeded`, `context_length_exceeded`, …).
 */
export const refineOpenAIError: ErrorRefiner = ({ body, headers }) => {
  const retryAfterMs = parseRetryAfter(headers) === undefined ? retryHintMs(upstreamMessage(body)) : undefined;
  return retryAfterMs === undefined ? undefined : { retryAfterMs };
};

/**
 * `refineOpenAIError` plus a table of provider error identifiers (`error.code` / `error.type`) for what
 * core's classification does not know. Identifiers narrow client errors only: a 5xx stays the server's fault.
 */
export function createOpenAIErrorRefiner(codes: Readonly<Record<string, KitErrorCode>> = {}): ErrorRefiner {
  return (response) => {
    const error = errorObject(response.body);
    const ids = [error.code, error.type].filter((id): id is string => typeof id === 'string').map((id) => id.toLowerCase());
    const id = response.status < 500 ? ids.find((candidate) => Object.hasOwn(codes, candidate)) : undefined;
    const hint = refineOpenAIError(response);
    return id ? { ...hint, code: codes[id] } : hint;
  };
}

/**
 * The error object of an OpenAI-style body, `{ error: {...} }`, else the body itself (vLLM's `{ object: 'error', ... }`);
 * read leniently: `Object()` turns any value into something whose fields can be read.
 */
const errorObject = (body: unknown): Record<string, unknown> => Object(Object(body).error ?? body);

/**
 * The `KitError` for an error the upstream sent inside a 2xx answer (an SSE `data: {"error": …}` chunk, an
 * `event: error`, a JSON body). Classified by its identifiers and message; a numeric `code` or `status` is read
 * as the HTTP status; `server_error` otherwise.
 */
export function openAIErrorFromBody(body: unknown, context: RequestContext): KitError {
  const error = errorObject(body);
  const status = [error.code, error.status].find((value): value is number => typeof value === 'number' && value >= 400 && value < 600);
  const message = upstreamMessage(body) ?? 'error in the response stream';
  return responseError(context, codeForBody(body) ?? (status ? codeForStatus(status) : 'server_error'), message, { status, retryAfterMs: retryHintMs(message) });
}
