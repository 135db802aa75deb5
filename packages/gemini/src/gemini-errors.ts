import { KitError } from '@kit/core';
import { classifyUpstreamError, codeForBody, upstreamMessage, upstreamRetryAfterMs, type ErrorRefiner, type RequestContext } from '@kit/core/provider-utils';

/** The `error` object of a Google error body, `{ error }` or `[{ error }]`; read leniently (any value works). */
const googleError = (body: unknown): Record<string, unknown> => Object(Object(Array.isArray(body) ? body[0] : body).error);

/** Every quota id of a body's `QuotaFailure` details (`GenerateRequestsPerDayPerProjectPerModel-FreeTier`, …). */
function quotaIds(body: unknown): string[] {
  const details: unknown = googleError(body).details;
  if (!Array.isArray(details)) return [];
  return details.flatMap((detail) => {
    const violations: unknown = Object(detail).violations;
    return Array.isArray(violations) ? violations.map((violation) => Object(violation).quotaId).filter((id): id is string => typeof id === 'string') : [];
  });
}

/**
 * Gemini's own knowledge on top of core's shared Google rules (which read `ErrorInfo.reason` — `API_KEY_INVALID`,
 * `QUOTA_EXHAUSTED`, … —, the gRPC status, `RetryInfo.retryDelay` and the "Please retry in 43.5s" hint): a
 * `RESOURCE_EXHAUSTED` whose `QuotaFailure` names a per-day quota (`…PerDay…`) is `quota_exceeded` — the day's
 * allowance is gone, whatever short `RetryInfo` comes with it (kept as `retryAfterMs`) — where a per-minute one stays
 * a rate limit. Nothing else is changed: "prepayment credits are depleted" (quota), `FAILED_PRECONDITION`
 * (permission: the project's region or billing refuses) and 5xx are core's.
 */
export const refineGeminiError: ErrorRefiner = ({ status, body }) => {
  const exhausted = status === 429 || googleError(body).status === 'RESOURCE_EXHAUSTED';
  return status < 500 && exhausted && quotaIds(body).some((id) => /PerDay/i.test(id)) ? { code: 'quota_exceeded' } : undefined;
};

/**
 * The `KitError` for an error Google sent inside a 2xx answer (a `data: {"error": …}` event of a stream):
 * classified like an HTTP error whose status is the body's `error.code`; by its identifiers and message when
 * it has none; `server_error` by default.
 */
export function geminiErrorFromBody(body: unknown, context: RequestContext): KitError {
  const numeric = googleError(body).code;
  const status = typeof numeric === 'number' && numeric >= 400 && numeric < 600 ? numeric : undefined;
  const headers = new Headers();
  const refined = refineGeminiError({ status: status ?? 500, body, headers })?.code;
  const code = refined ?? (status === undefined ? (codeForBody(body) ?? 'server_error') : classifyUpstreamError({ status, body, headers }));
  const message = upstreamMessage(body) ?? 'error in the response stream';
  return new KitError(code, `${context.provider}: ${message}`, {
    provider: context.provider,
    credentialId: context.credential.id,
    status,
    retryAfterMs: upstreamRetryAfterMs({ body, headers }, code),
  });
}
