import {
  codeForBody,
  codeForStatus,
  KitError,
  parseDuration,
  upstreamMessage,
  type ErrorRefinement,
  type ErrorRefiner,
  type KitErrorCode,
  type RequestContext,
} from '@kit/core';

/** A Google API error (`google.rpc.Status` as JSON): `{ code, message, status, details }`. */
interface GoogleError {
  code?: unknown;
  status?: unknown;
  details?: unknown;
}

/** The `error` object of a Google error body, `{ error }` or `[{ error }]`; read leniently (any value works). */
const googleError = (body: unknown): GoogleError => Object(Object(Array.isArray(body) ? body[0] : body).error);

/**
 * Google's error bodies: `ErrorInfo.reason` `API_KEY_INVALID` → `authentication` (Google answers a bad key with a
 * 400); `RESOURCE_EXHAUSTED` → `rate_limit` (its "You exceeded your current quota" is a per-minute limit), unless
 * a per-day quota or Code Assist's `QUOTA_EXHAUSTED` ran out → `quota_exceeded`; `RetryInfo.retryDelay` ("43s")
 * or the message's "Please retry in 43.5s" → `retryAfterMs`; an input over the model's token limit →
 * `context_length`. A 5xx stays the server's fault; other answers are left to core's classification (status first).
 */
export const refineGeminiError: ErrorRefiner = ({ status, body }) => {
  const error = googleError(body);
  const details: Record<string, unknown>[] = Array.isArray(error.details) ? error.details.map(Object) : [];
  const message = upstreamMessage(body) ?? '';
  // Every reason and quota id of the details, as one string to test.
  const reasons = details
    .flatMap((detail) => [detail.reason, ...(Array.isArray(detail.violations) ? detail.violations.map((violation) => Object(violation).quotaId) : [])])
    .join(' ');
  const delay = details.map((detail) => detail.retryDelay).find((value): value is string => typeof value === 'string');
  const hint = /retry in ([\d.]+m?s)/i.exec(message)?.[1];
  const retryAfterMs = parseDuration(delay ?? hint ?? '');
  let code: KitErrorCode | undefined;
  if (status < 500) {
    code = /API_KEY_INVALID|API_KEY_EXPIRED/.test(reasons)
      ? 'authentication'
      : error.status === 'RESOURCE_EXHAUSTED' || status === 429
        ? /PerDay|QUOTA_EXHAUSTED/i.test(reasons)
          ? 'quota_exceeded'
          : 'rate_limit'
        : /exceeds the maximum number of tokens|input context is too long/i.test(message)
          ? 'context_length'
          : undefined; // the rest (UNAUTHENTICATED, PERMISSION_DENIED, NOT_FOUND, INVALID_ARGUMENT) core reads by status
  }
  const refinement: ErrorRefinement = {};
  if (code) refinement.code = code;
  if (retryAfterMs !== undefined) refinement.retryAfterMs = retryAfterMs;
  return refinement;
};

/**
 * The `KitError` for an error Google sent inside a 2xx answer (a `data: {"error": …}` event of a stream):
 * classified like an HTTP error whose status is the body's `error.code`; `server_error` by default.
 */
export function geminiErrorFromBody(body: unknown, context: RequestContext): KitError {
  const numeric = googleError(body).code;
  const status = typeof numeric === 'number' && numeric >= 400 && numeric < 600 ? numeric : undefined;
  const refinement = refineGeminiError({ status: status ?? 500, body, headers: new Headers() }) ?? {};
  const code = refinement.code ?? (status && status < 500 ? codeForStatus(status) : codeForBody(body)) ?? 'server_error';
  const message = upstreamMessage(body) ?? 'error in the response stream';
  return new KitError(code, `${context.provider}: ${message}`, {
    provider: context.provider,
    credentialId: context.credential.id,
    status,
    retryAfterMs: refinement.retryAfterMs,
  });
}
