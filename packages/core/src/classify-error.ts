import type { KitErrorCode } from './error-codes';
import { KitError } from './kit-error';
import { parseRetryAfter } from './retry-after';

/** What an upstream said when it refused a request. */
export interface UpstreamErrorResponse {
  status: number;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
  headers: Headers;
}

/** A provider's refinement of the generic classification (its own error codes, retry hints). */
export interface ErrorRefinement {
  code?: KitErrorCode;
  message?: string;
  retryAfterMs?: number;
}

export type ErrorRefiner = (response: UpstreamErrorResponse) => ErrorRefinement | undefined;

export interface ClassifyContext {
  provider: string;
  credentialId?: string;
  secrets?: readonly (string | undefined)[];
  refine?: ErrorRefiner;
}

/**
 * How a body's identifiers (`error.code`, `error.type`, `status`…) and message map to a code, most specific first.
 * Messages catch providers that say it only in words ("exceeded your current quota", "API key not valid").
 */
const bodyRules: [identifiers: RegExp, message: RegExp | undefined, code: KitErrorCode][] = [
  [/insufficient_quota|billing|credit/, /insufficient.?(quota|credit|balance|funds)|exceeded your current quota|credit balance|billing/i, 'quota_exceeded'],
  [/context_length/, /context.?(length|limit|window)|maximum context|too many tokens|prompt is too long|input is too long/i, 'context_length'],
  [/content_(filter|policy)|invalid_prompt/, /content.?(filter|policy|management)|safety system|flagged/i, 'content_filter'],
  [/auth|api_key/, /invalid.?api.?key|incorrect api key|api key not valid|invalid x-api-key/i, 'authentication'],
  [/permission/, undefined, 'permission'],
  [/rate_limit/, undefined, 'rate_limit'],
  [/not_found/, undefined, 'not_found'],
  [/invalid_(request|argument)/, undefined, 'invalid_request'],
  [/overloaded|api_error|server_error|internal|unavailable/, undefined, 'server_error'],
  [/timeout|deadline/, undefined, 'timeout'],
];

/** Codes a 4xx body may narrow its status to: they say more than the status does. */
const narrowingCodes: ReadonlySet<KitErrorCode> = new Set(['quota_exceeded', 'context_length', 'content_filter', 'authentication']);

/** The code a bare HTTP status means (SPEC §4), before the body is read. */
export function codeForStatus(status: number): KitErrorCode {
  if (status === 401) return 'authentication';
  if (status === 402) return 'quota_exceeded';
  if (status === 403) return 'permission';
  if (status === 404) return 'not_found';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 429) return 'rate_limit';
  if (status >= 500) return 'server_error';
  return 'invalid_request';
}

/** The provider's own message, from `error.message`, `message`, `error` or the raw text. */
export function upstreamMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim().slice(0, 500) || undefined;
  if (!body || typeof body !== 'object') return undefined;
  const record = body as Record<string, unknown>;
  const error = Array.isArray(body) ? (body[0] as Record<string, unknown> | undefined)?.error : record.error;
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object' && typeof (error as Record<string, unknown>).message === 'string') {
    return (error as Record<string, unknown>).message as string;
  }
  return typeof record.message === 'string' ? record.message : undefined;
}

/** The error identifiers a body carries (`error.code`, `error.type`, `error.status`, `type`, `code`), lower case. */
function bodyIdentifiers(body: unknown): string {
  const record = (Array.isArray(body) ? body[0] : body) as Record<string, unknown> | undefined;
  if (!record || typeof record !== 'object') return '';
  const error = (record.error && typeof record.error === 'object' ? record.error : {}) as Record<string, unknown>;
  return [error.code, error.type, error.status, record.type, record.code].filter((value) => typeof value === 'string').join(' ').toLowerCase();
}

/** Classifies an upstream error body by its identifiers and message alone (used for in-stream errors too). */
export function codeForBody(body: unknown): KitErrorCode | undefined {
  const message = upstreamMessage(body) ?? '';
  const identifiers = bodyIdentifiers(body);
  for (const [byIdentifier, byMessage, code] of bodyRules) {
    if (byIdentifier.test(identifiers) || byMessage?.test(message)) return code;
  }
  return undefined;
}

/** Status first, then the body: the code of an upstream refusal. */
export function classifyUpstreamError(response: UpstreamErrorResponse): KitErrorCode {
  const byStatus = codeForStatus(response.status);
  const byBody = codeForBody(response.body);
  if (!byBody) return byStatus;
  // The body may narrow the status (429 → quota, 400 → context length / auth), never turn a 5xx into a client fault.
  if (response.status >= 500) return byBody === 'timeout' ? 'timeout' : byStatus;
  if (byStatus === 'rate_limit') return byBody === 'quota_exceeded' ? byBody : 'rate_limit';
  if (byStatus === 'invalid_request' || byStatus === 'permission' || byStatus === 'not_found') {
    return narrowingCodes.has(byBody) ? byBody : byStatus;
  }
  return byStatus;
}

/** Builds the `KitError` for a non-2xx upstream answer. */
export function createUpstreamError(response: UpstreamErrorResponse, context: ClassifyContext): KitError {
  const refinement = context.refine?.(response);
  const code = refinement?.code ?? classifyUpstreamError(response);
  const message = refinement?.message ?? upstreamMessage(response.body) ?? `HTTP ${response.status}`;
  const retryAfterMs = refinement?.retryAfterMs ?? parseRetryAfter(response.headers);
  const requestId = response.headers.get('x-request-id') ?? response.headers.get('request-id') ?? undefined;
  return new KitError(code, `${context.provider}: ${message} (HTTP ${response.status})`, {
    status: response.status,
    provider: context.provider,
    credentialId: context.credentialId,
    retryAfterMs,
    requestId,
    secrets: context.secrets,
  });
}
