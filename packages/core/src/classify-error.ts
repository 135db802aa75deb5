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

const quotaText = /insufficient[_\s-]?(quota|credits?|balance|funds)|exceeded your current quota|credit balance|out of credits|billing|payment required/i;
const contextText = /context[_\s-]?length|context window|maximum context|too many tokens|prompt is too long|token limit|input is too long|reduce the length/i;
const filterText = /content[_\s-]?(filter|policy|management)|safety system|flagged/i;
const badKeyText = /invalid[_\s-]?api[_\s-]?key|incorrect api key|api key not valid|invalid x-api-key|invalid authentication/i;

const bodyCodes: Record<string, KitErrorCode> = {
  authentication_error: 'authentication',
  invalid_api_key: 'authentication',
  unauthenticated: 'authentication',
  permission_error: 'permission',
  permission_denied: 'permission',
  rate_limit_error: 'rate_limit',
  rate_limit_exceeded: 'rate_limit',
  insufficient_quota: 'quota_exceeded',
  billing_error: 'quota_exceeded',
  invalid_request_error: 'invalid_request',
  invalid_argument: 'invalid_request',
  not_found_error: 'not_found',
  model_not_found: 'not_found',
  context_length_exceeded: 'context_length',
  content_filter: 'content_filter',
  content_policy_violation: 'content_filter',
  overloaded_error: 'server_error',
  api_error: 'server_error',
  server_error: 'server_error',
  internal: 'server_error',
  unavailable: 'server_error',
  timeout_error: 'timeout',
  deadline_exceeded: 'timeout',
};

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

/** The error identifiers a body carries (`error.code`, `error.type`, `error.status`, `type`, `code`). */
function bodyIdentifiers(body: unknown): string[] {
  if (!body || typeof body !== 'object') return [];
  const record = (Array.isArray(body) ? body[0] : body) as Record<string, unknown> | undefined;
  if (!record) return [];
  const error = (typeof record.error === 'object' && record.error ? record.error : {}) as Record<string, unknown>;
  return [error.code, error.type, error.status, record.type, record.code]
    .filter((value): value is string => typeof value === 'string')
    .map((value) => value.toLowerCase());
}

/** Classifies an upstream error body by its identifiers and message alone (used for in-stream errors too). */
export function codeForBody(body: unknown, status?: number): KitErrorCode | undefined {
  const message = upstreamMessage(body) ?? '';
  const identifiers = bodyIdentifiers(body);
  if (identifiers.some((id) => bodyCodes[id] === 'quota_exceeded') || quotaText.test(message)) return 'quota_exceeded';
  if (identifiers.some((id) => bodyCodes[id] === 'context_length') || contextText.test(message)) return 'context_length';
  if (identifiers.some((id) => bodyCodes[id] === 'content_filter') || filterText.test(message)) return 'content_filter';
  if (badKeyText.test(message) && (status === undefined || status < 500)) return 'authentication';
  for (const id of identifiers) {
    const code = bodyCodes[id];
    if (code) return code;
  }
  return undefined;
}

/** Status first, then the body: the code of an upstream refusal. */
export function classifyUpstreamError(response: UpstreamErrorResponse): KitErrorCode {
  const byStatus = codeForStatus(response.status);
  const byBody = codeForBody(response.body, response.status);
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
  const requestId =
    response.headers.get('x-request-id') ?? response.headers.get('request-id') ?? response.headers.get('cf-ray') ?? undefined;
  return new KitError(code, `${context.provider}: ${message} (HTTP ${response.status})`, {
    status: response.status,
    provider: context.provider,
    credentialId: context.credentialId,
    retryAfterMs,
    requestId,
    secrets: context.secrets,
  });
}
