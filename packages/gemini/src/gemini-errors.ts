import type { KitError } from '@kit/core';
import { upstreamErrorInBody, upstreamMessage, type ErrorRefiner, type RequestContext } from '@kit/core/provider-utils';

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

/** The `ErrorInfo.reason`s of a Google error body (`SECURITY_POLICY_VIOLATED`, `VALIDATION_REQUIRED`, …). */
export function googleErrorReasons(body: unknown): string[] {
  const details: unknown = googleError(body).details;
  if (!Array.isArray(details)) return [];
  return details.map((detail) => Object(detail).reason).filter((reason): reason is string => typeof reason === 'string');
}

/**
 * The page where Google lets an account verify itself, from a 403 `VALIDATION_REQUIRED` body: the first link of its
 * `google.rpc.Help` detail, else the `ErrorInfo`'s `metadata.validation_link`.
 */
function validationLink(body: unknown): string | undefined {
  const details: unknown = googleError(body).details;
  if (!Array.isArray(details)) return undefined;
  for (const detail of details) {
    const links: unknown = Object(detail).links;
    const url = Array.isArray(links) ? Object(links[0]).url : undefined;
    if (typeof url === 'string' && url) return url;
  }
  for (const detail of details) {
    const link = Object(Object(detail).metadata).validation_link;
    if (typeof link === 'string' && link) return link;
  }
  return undefined;
}

/**
 * Gemini's own knowledge on top of core's shared Google rules (which read `ErrorInfo.reason` — `API_KEY_INVALID`,
 * `QUOTA_EXHAUSTED`, … —, the gRPC status, `RetryInfo.retryDelay` and the "Please retry in 43.5s" hint): a
 * `RESOURCE_EXHAUSTED` whose `QuotaFailure` names a per-day quota (`…PerDay…`) is `quota_exceeded` — the day's
 * allowance is gone, whatever short `RetryInfo` comes with it (kept as `retryAfterMs`) — where a per-minute one stays
 * a rate limit. A 403 `VALIDATION_REQUIRED` (Code Assist wants the account verified) is `permission` with the
 * validation link in the message. Nothing else is changed: "prepayment credits are depleted" (quota), `FAILED_PRECONDITION`
 * (permission: the project's region or billing refuses) and 5xx are core's.
 */
export const refineGeminiError: ErrorRefiner = ({ status, body }) => {
  if (status === 403 && googleErrorReasons(body).includes('VALIDATION_REQUIRED')) {
    const link = validationLink(body);
    const message = upstreamMessage(body) ?? 'account validation required';
    return { code: 'permission', message: link ? `${message} (validate the account at ${link}, then retry)` : message };
  }
  const exhausted = status === 429 || googleError(body).status === 'RESOURCE_EXHAUSTED';
  return status < 500 && exhausted && quotaIds(body).some((id) => /PerDay/i.test(id)) ? { code: 'quota_exceeded' } : undefined;
};

/**
 * The `KitError` for an error Google sent inside a 2xx answer (a `data: {"error": …}` event of a stream): core's
 * classification of in-body errors (`upstreamErrorInBody`) with Google's refinement — the body's `error.code` read as
 * the HTTP status, its identifiers and message when it has none; `server_error` by default.
 */
export function geminiErrorFromBody(body: unknown, context: RequestContext): KitError {
  return upstreamErrorInBody(body, { ...context, refineError: context.refineError ?? refineGeminiError });
}
