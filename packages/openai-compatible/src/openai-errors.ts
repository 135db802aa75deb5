import type { KitError, KitErrorCode } from '@kit/core';
import {
  classifyUpstreamError,
  retryHintFromMessage,
  truncateMasked,
  upstreamIdentifiers,
  upstreamErrorInBody,
  upstreamMessage,
  type ErrorRefinement,
  type ErrorRefiner,
  type RequestContext,
} from '@kit/core/provider-utils';

/**
 * The wait an error message asks for ("Please try again in 6m0s"), in milliseconds.
 * @deprecated Core reads it (`retryHintFromMessage`) for every rate limit without a header; kept for callers.
 */
export const retryHintMs: (message: string | undefined) => number | undefined = retryHintFromMessage;

const fields = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' ? (value as Record<string, unknown>) : {});

/** Parses a JSON text, `undefined` when it is not JSON. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The refinement every OpenAI-compatible server gets. Core already reads the dialect's identifiers
 * (`invalid_api_key`, `insufficient_quota`, `rate_limit_exceeded`, `context_length_exceeded`, …) and the
 * "try again in 2s" waits; this adds what only routers send: a generic "Provider returned error" whose
 * `error.metadata.raw` holds the upstream's own answer (OpenRouter). That answer becomes the message, and a
 * JSON one is classified by its identifiers (under the router's status: a 5xx stays a server error).
 */
export const refineOpenAIError: ErrorRefiner = ({ status, body, headers }) => {
  const raw = fields(fields(fields(body).error).metadata).raw;
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const upstream = parseJson(raw);
  const refinement: ErrorRefinement = {
    message: `${upstreamMessage(body) ?? 'upstream error'}: ${truncateMasked(upstream === undefined ? raw : (upstreamMessage(upstream) ?? raw), 500)}`,
  };
  if (upstream !== undefined && upstreamIdentifiers(upstream).length > 0) refinement.code = classifyUpstreamError({ status, body: upstream, headers });
  return refinement;
};

/**
 * `refineOpenAIError` plus a table of one provider's own error identifiers (matched against `error.code`,
 * `error.type` and the top-level ones, normalised as core does: lower case, `_` for separators —
 * `AllocationQuota.FreeTierOnly` is `allocationquota_freetieronly`). Identifiers narrow client errors only:
 * a 5xx stays the server's fault.
 */
export function createOpenAIErrorRefiner(codes: Readonly<Record<string, KitErrorCode>> = {}): ErrorRefiner {
  return (response) => {
    const dialect = refineOpenAIError(response);
    const id = response.status < 500 ? upstreamIdentifiers(response.body).find((candidate) => Object.hasOwn(codes, candidate)) : undefined;
    return id === undefined ? dialect : { ...dialect, code: codes[id] as KitErrorCode };
  };
}

/**
 * The `KitError` for an error the upstream sent inside a 2xx answer (an SSE `data: {"error": …}` chunk, an
 * `event: error`, a JSON body): core's classification of in-body errors (`upstreamErrorInBody`) with the
 * OpenAI-compatible refinement — a numeric `code` or `status` read as the HTTP status; without it, the body's
 * identifiers and message; `server_error` when nothing is recognisable.
 */
export function openAIErrorFromBody(body: unknown, context: RequestContext): KitError {
  return upstreamErrorInBody(body, { ...context, refineError: context.refineError ?? refineOpenAIError });
}
