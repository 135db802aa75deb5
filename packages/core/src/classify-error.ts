import type { KitErrorCode } from './error-codes';
import { KitError } from './kit-error';
import { parseRetryAfter, retryHintFromMessage, retryInfoDelayMs } from './retry-after';
import { truncateMasked } from './truncate-masked';
import { requestIdOf } from './request-id';

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
  /** Wins over every generic source of a wait; a refiner that sets it is expected to honour the headers itself. */
  retryAfterMs?: number;
}

export type ErrorRefiner = (response: UpstreamErrorResponse) => ErrorRefinement | undefined;

export interface ClassifyContext {
  provider: string;
  credentialId?: string;
  secrets?: readonly (string | undefined)[];
  refine?: ErrorRefiner;
}

// ─── Evidence, strongest first ───────────────────────────────────────────────────────────────────────────────
//
// 1. The provider's refiner (provider-specific identifiers and wordings).
// 2. Identifiers that name the fault: `error.details[].reason` (Google ErrorInfo), `error.errors[].reason`,
//    `error.innererror.code` (Azure), `error.code`, `error.type`, `error.status` (gRPC), top-level `code`/`type`.
// 3. The message, only when no such identifier was sent. An identifier that merely names the class the status
//    already gives (`invalid_request_error`, `INVALID_ARGUMENT`, `RESOURCE_EXHAUSTED`, `PERMISSION_DENIED`) is no
//    evidence either way, so the message may still narrow it.
// 4. The status.
// Body evidence may narrow a status only to codes it is compatible with (`narrowableTo`): a 5xx stays the server's
// fault, a 429 becomes at most a quota problem, a 413 at most a context-length one.

/**
 * Identifiers that name the fault, shared by several providers (OpenAI's dialect, Anthropic's types, Google's
 * reasons). Keys are normalised: lower case, runs of other characters as `_` (`Throttling.RateQuota` →
 * `throttling_ratequota`). Identifiers known to one provider only belong in that provider's refiner.
 */
const decisiveIdentifiers: Readonly<Record<string, KitErrorCode>> = {
  invalid_api_key: 'authentication',
  incorrect_api_key: 'authentication',
  invalidapikey: 'authentication',
  api_key_invalid: 'authentication',
  api_key_expired: 'authentication',
  api_key_required: 'authentication',
  authentication_error: 'authentication',
  invalid_authentication: 'authentication',
  account_deactivated: 'authentication',
  access_token_expired: 'authentication',
  access_token_type_unsupported: 'authentication',
  credentials_missing: 'authentication',

  permission_error: 'permission',
  iam_permission_denied: 'permission',
  service_disabled: 'permission',
  consumer_suspended: 'permission',
  consumer_invalid: 'permission',
  api_key_service_blocked: 'permission',
  billing_disabled: 'permission',
  unsupported_country_region_territory: 'permission',
  // Google's "the system is not in a state required": the key's project (its region, its billing) refuses.
  failed_precondition: 'permission',

  rate_limit_exceeded: 'rate_limit',
  rate_limit_error: 'rate_limit',
  rate_limited: 'rate_limit',
  ratelimitexceeded: 'rate_limit',
  too_many_requests: 'rate_limit',

  insufficient_quota: 'quota_exceeded',
  credit_balance_exhausted: 'quota_exceeded',
  insufficient_balance: 'quota_exceeded',
  insufficient_credits: 'quota_exceeded',
  insufficient_g1_credits_balance: 'quota_exceeded',
  quota_exhausted: 'quota_exceeded',
  billing_error: 'quota_exceeded',
  billing_hard_limit_reached: 'quota_exceeded',
  billing_not_active: 'quota_exceeded',
  payment_required: 'quota_exceeded',

  context_length_exceeded: 'context_length',
  content_filter: 'content_filter',
  content_policy_violation: 'content_filter',
  invalid_prompt: 'content_filter',
  responsibleaipolicyviolation: 'content_filter',
  not_found_error: 'not_found',
  model_not_found: 'not_found',
  model_not_available: 'not_found',
  request_too_large: 'invalid_request',

  api_error: 'server_error',
  server_error: 'server_error',
  internal_error: 'server_error',
  overloaded_error: 'server_error',
  service_unavailable: 'server_error',
  timeout_error: 'timeout',
};

/**
 * Identifiers that only name a class (gRPC canonical statuses and their descriptions, generic type names): they
 * give the code of a body without a status (an error inside a stream) but are no evidence against its message.
 */
const classIdentifiers: Readonly<Record<string, KitErrorCode>> = {
  invalid_request_error: 'invalid_request',
  invalid_request: 'invalid_request',
  invalid_argument: 'invalid_request',
  bad_request: 'invalid_request',
  badrequest: 'invalid_request',
  client_specified_an_invalid_argument: 'invalid_request',
  unauthenticated: 'authentication',
  permission_denied: 'permission',
  the_caller_does_not_have_permission_to_execute_the_specified_operation: 'permission',
  forbidden: 'permission',
  request_forbidden: 'permission',
  resource_exhausted: 'rate_limit',
  some_resource_has_been_exhausted: 'rate_limit',
  not_found: 'not_found',
  internal: 'server_error',
  unavailable: 'server_error',
  deadline_exceeded: 'timeout',
  timeout: 'timeout',
};

/**
 * What a message says, read only when the body carries no identifier that names the fault. Narrow phrases only:
 * "billing" alone, a credits URL or an upgrade hint are never evidence of an exhausted quota.
 */
const messageRules: readonly (readonly [RegExp, KitErrorCode])[] = [
  [
    /maximum context length|context (?:length|window) (?:is |was )?exceeded|(?:prompt|input|input context) is too long|exceeds the maximum number of tokens|reduce the length of the (?:messages|prompt)|too many (?:input )?tokens/i,
    'context_length',
  ],
  [/content management policy|content (?:filter|policy)|safety system|inappropriate content|(?:was|were|been) flagged/i, 'content_filter'],
  [
    /insufficient[ _-]?(?:quota|balance|credits?|funds)|credit balance is too low|credits? (?:are|is|have been|has been) (?:depleted|exhausted|used up)|(?:used|run|ran) out of (?:all )?(?:your |the |available )?credits|used all available credits|monthly spending limit|spend(?:ing)? limit (?:has been |was )?(?:reached|exceeded)|reached your (?:specified )?(?:api )?usage limits?|requires more credits/i,
    'quota_exceeded',
  ],
  [
    /invalid[ _-]?api[ _-]?key|incorrect api key|api key not (?:valid|found)|invalid x-api-key|invalid authentication|authentication fail|no auth credentials|api[ _-]?key (?:is )?(?:missing|expired|revoked|required)/i,
    'authentication',
  ],
  [/location is not supported|not available in your (?:country|region)|region, or territory not supported|does not have permission/i, 'permission'],
  [/\brate limit(?:ed| reached| exceeded)|exceed(?:ed|s)? (?:\S+ ){0,3}rate limit|too many requests/i, 'rate_limit'],
];

/** The codes body evidence may turn a status's code into; everything else keeps the status's code. */
const narrowableTo: Partial<Record<KitErrorCode, readonly KitErrorCode[]>> = {
  invalid_request: ['authentication', 'permission', 'quota_exceeded', 'rate_limit', 'context_length', 'content_filter', 'not_found'],
  permission: ['authentication', 'quota_exceeded', 'content_filter'],
  rate_limit: ['quota_exceeded'],
  server_error: ['timeout'],
};

/** The code a bare HTTP status means, before the body is read. */
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

const fields = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' ? (value as Record<string, unknown>) : {});
const items = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** The provider's own message, from `error.message`, `message`, `error` or the raw text. */
export function upstreamMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return truncateMasked(body.trim(), 500) || undefined;
  if (!body || typeof body !== 'object') return undefined;
  const record = fields(Array.isArray(body) ? body[0] : body);
  const error = record.error;
  if (typeof error === 'string') return error;
  const message = fields(error).message;
  if (typeof message === 'string') return message;
  return typeof record.message === 'string' ? record.message : undefined;
}

const normalise = (identifier: string): string =>
  identifier
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');

/**
 * Every string identifier a body carries, most specific first, normalised (see `decisiveIdentifiers`): Google
 * `details[].reason` and `errors[].reason`, Azure `innererror.code`, then `error.code` / `type` / `status`, then
 * the same fields at the top level (Cerebras, Mistral, xAI, DashScope's native API).
 */
export function upstreamIdentifiers(body: unknown): string[] {
  const record = fields(Array.isArray(body) ? body[0] : body);
  const error = fields(record.error);
  return [
    ...items(error.details).map((detail) => fields(detail).reason),
    ...items(error.errors).map((entry) => fields(entry).reason),
    fields(error.innererror).code,
    error.code,
    error.type,
    error.status,
    record.code,
    record.type,
    record.status,
  ]
    .filter((value): value is string => typeof value === 'string' && value.trim() !== '')
    .map(normalise);
}

interface BodyEvidence {
  /** From an identifier that names the fault. */
  decisive?: KitErrorCode;
  /** From the message, read only without a decisive identifier. */
  byMessage?: KitErrorCode;
  /** From an identifier that names only a class. */
  byClass?: KitErrorCode;
}

function lookUp(identifiers: readonly string[], table: Readonly<Record<string, KitErrorCode>>): KitErrorCode | undefined {
  const found = identifiers.find((identifier) => Object.hasOwn(table, identifier));
  return found === undefined ? undefined : table[found];
}

/** The code a message's wording names, if any rule matches. */
export function codeForMessage(message: string | undefined): KitErrorCode | undefined {
  if (!message) return undefined;
  return messageRules.find(([pattern]) => pattern.test(message))?.[1];
}

function readEvidence(body: unknown): BodyEvidence {
  const identifiers = upstreamIdentifiers(body);
  const decisive = lookUp(identifiers, decisiveIdentifiers);
  return {
    decisive,
    byMessage: decisive === undefined ? codeForMessage(upstreamMessage(body)) : undefined,
    byClass: lookUp(identifiers, classIdentifiers),
  };
}

/**
 * Classifies an upstream error body without a status (an error sent inside a stream): identifiers that name the
 * fault, then the message, then class-only identifiers. `undefined` when the body says nothing recognisable.
 */
export function codeForBody(body: unknown): KitErrorCode | undefined {
  const { decisive, byMessage, byClass } = readEvidence(body);
  return decisive ?? byMessage ?? byClass;
}

/**
 * The code of an upstream refusal: the status, narrowed by the body's evidence where the status allows it
 * (a 429 with `insufficient_quota` is `quota_exceeded`; a 400 `FAILED_PRECONDITION` is `permission`; a 5xx
 * stays the server's fault; a 413 is at most `context_length`).
 */
export function classifyUpstreamError(response: UpstreamErrorResponse): KitErrorCode {
  const byStatus = codeForStatus(response.status);
  const { decisive, byMessage } = readEvidence(response.body);
  const evidence = decisive ?? byMessage;
  if (evidence === undefined || evidence === byStatus) return byStatus;
  const allowed = response.status === 413 ? ['context_length'] : (narrowableTo[byStatus] ?? []);
  return allowed.includes(evidence) ? evidence : byStatus;
}

/**
 * The wait the server asked for, best evidence first: the `retry-after-ms` and `retry-after` headers, a Google
 * `RetryInfo` detail, and — for a `rate_limit` only, as a last resort — the message's "try again in 2s".
 */
export function upstreamRetryAfterMs(response: { body: unknown; headers?: Headers }, code: KitErrorCode, now?: number): number | undefined {
  return (
    (response.headers ? parseRetryAfter(response.headers, now) : undefined) ??
    retryInfoDelayMs(response.body) ??
    (code === 'rate_limit' ? retryHintFromMessage(upstreamMessage(response.body)) : undefined)
  );
}

/** Builds the `KitError` for a non-2xx upstream answer: the provider's refinement first, then the shared rules. */
export function createUpstreamError(response: UpstreamErrorResponse, context: ClassifyContext): KitError {
  const refinement = context.refine?.(response);
  const code = refinement?.code ?? classifyUpstreamError(response);
  const message = refinement?.message ?? upstreamMessage(response.body) ?? `HTTP ${response.status}`;
  const retryAfterMs = refinement?.retryAfterMs ?? upstreamRetryAfterMs(response, code);
  const requestId = requestIdOf(response.headers);
  return new KitError(code, `${context.provider}: ${message} (HTTP ${response.status})`, {
    status: response.status,
    provider: context.provider,
    credentialId: context.credentialId,
    retryAfterMs,
    requestId,
    secrets: context.secrets,
  });
}
