import type { ErrorRenderingInput, ExchangeContext, RenderedError, ServerErrorKind } from './upstream-dialect';
import type { UpstreamFault } from './upstream-script';

/** Google's error object: `{ error: { code, message, status, details? } }`. */
export interface GoogleErrorBody {
  error: { code: number; message: string; status: string; details?: WireDetail[] };
}

type WireDetail = Record<string, unknown>;

interface ErrorShape {
  /** The status Google really uses for this fault, when the script named the fault. */
  status: number;
  statusName: string;
  message: string;
  details?: WireDetail[];
}

/** Google's canonical status name for an HTTP status. */
const statusNames: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** The HTTP status of each canonical status name (for in-stream errors scripted by name). */
const statusCodes: Readonly<Record<string, number>> = Object.fromEntries(Object.entries(statusNames).map(([code, name]) => [name, Number(code)]));

/** `'UNAVAILABLE'` → 503; unknown names → 500. */
export function httpStatusOf(statusName: string): number {
  return statusCodes[statusName] ?? 500;
}

function statusNameOf(status: number): string {
  return statusNames[status] ?? (status >= 500 ? 'INTERNAL' : status >= 400 ? 'FAILED_PRECONDITION' : 'UNKNOWN');
}

/** Google's error body. */
export function googleErrorBody(code: number, status: string, message: string, details?: WireDetail[]): GoogleErrorBody {
  const body: GoogleErrorBody = { error: { code, message, status } };
  if (details !== undefined && details.length > 0) body.error.details = details;
  return body;
}

/** A complete Google error answer for `status` with its canonical status name. */
export function googleError(status: number, message: string, details?: WireDetail[]): RenderedError {
  return { status, body: googleErrorBody(status, statusNameOf(status), message, details) };
}

function errorInfo(reason: string, extra: WireDetail = {}): WireDetail {
  return {
    '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
    reason,
    domain: 'googleapis.com',
    metadata: { service: 'generativelanguage.googleapis.com' },
    ...extra,
  };
}

/** `17000` → `'17s'`, `1500` → `'1.5s'` (a protobuf Duration in JSON). */
export function durationText(milliseconds: number): string {
  return `${Math.round(milliseconds) / 1000}s`;
}

function quotaDetails(quotaId: string, retryAfterMs: number | undefined): WireDetail[] {
  const details: WireDetail[] = [
    {
      '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
      violations: [
        {
          quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
          quotaId,
          quotaDimensions: { location: 'global', model: 'mock-model' },
          quotaValue: '10',
        },
      ],
    },
    {
      '@type': 'type.googleapis.com/google.rpc.Help',
      links: [{ description: 'Learn more about Gemini API quotas', url: 'https://ai.google.dev/gemini-api/docs/rate-limits' }],
    },
  ];
  if (retryAfterMs !== undefined) details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: durationText(retryAfterMs) });
  return details;
}

const quotaMessage =
  'You exceeded your current quota, please check your plan and billing details. For more information on this error, ' +
  'head to: https://ai.google.dev/gemini-api/docs/rate-limits.';

/** The fault a bare status stands for, when the script names none. */
function faultForStatus(status: number): UpstreamFault | undefined {
  if (status === 400 || status === 422) return 'bad-request';
  if (status === 401) return 'unauthorized';
  if (status === 402) return 'payment-required';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 429) return 'rate-limited';
  if (status === 503) return 'overloaded';
  if (status >= 500 && status !== 504) return 'server-error';
  return undefined;
}

function isCodeAssist(context: ExchangeContext): boolean {
  return context.pathname.startsWith('/v1internal');
}

/** An invalid API key is a 400 for Google; a bad OAuth token a 401; no credential at all a 403 (or 401 for Code Assist). */
function unauthorizedShape(context: ExchangeContext): ErrorShape {
  const headers = context.request.headers;
  if (headers['x-goog-api-key'] !== undefined && !isCodeAssist(context)) {
    const message = 'API key not valid. Please pass a valid API key.';
    return {
      status: 400,
      statusName: 'INVALID_ARGUMENT',
      message,
      details: [errorInfo('API_KEY_INVALID'), { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message }],
    };
  }
  if (headers.authorization !== undefined) {
    return {
      status: 401,
      statusName: 'UNAUTHENTICATED',
      message:
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid ' +
        'authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      details: [errorInfo('ACCESS_TOKEN_TYPE_UNSUPPORTED')],
    };
  }
  if (isCodeAssist(context)) {
    return {
      status: 401,
      statusName: 'UNAUTHENTICATED',
      message: 'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      details: [errorInfo('CREDENTIALS_MISSING')],
    };
  }
  return {
    status: 403,
    statusName: 'PERMISSION_DENIED',
    message:
      "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other " +
      'form of API consumer identity to call this API.',
  };
}

function shapeFor(fault: UpstreamFault | ServerErrorKind | undefined, input: ErrorRenderingInput, context: ExchangeContext): ErrorShape {
  switch (fault) {
    case 'unauthorized':
      return unauthorizedShape(context);
    case 'forbidden':
      return { status: 403, statusName: 'PERMISSION_DENIED', message: 'The caller does not have permission' };
    case 'rate-limited':
      return {
        status: 429,
        statusName: 'RESOURCE_EXHAUSTED',
        message: quotaMessage,
        details: quotaDetails('GenerateRequestsPerMinutePerProjectPerModel-FreeTier', input.retryAfterMs),
      };
    case 'insufficient-quota':
      return {
        status: 429,
        statusName: 'RESOURCE_EXHAUSTED',
        message: quotaMessage,
        details: quotaDetails('GenerateRequestsPerDayPerProjectPerModel-FreeTier', input.retryAfterMs),
      };
    case 'payment-required':
      return {
        status: input.status,
        statusName: 'FAILED_PRECONDITION',
        message: 'This API method requires billing to be enabled. Please enable billing on your project in Google AI Studio.',
      };
    case 'server-error':
      return {
        status: input.status,
        statusName: statusNameOf(input.status),
        message: 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
      };
    case 'overloaded':
      return { status: 503, statusName: 'UNAVAILABLE', message: 'The model is overloaded. Please try again later.' };
    case 'bad-request':
      return { status: 400, statusName: 'INVALID_ARGUMENT', message: 'Request contains an invalid argument.' };
    case 'context-length':
      return {
        status: 400,
        statusName: 'INVALID_ARGUMENT',
        message: `The input token count (${1_048_576 + 1000 + context.inputTokens}) exceeds the maximum number of tokens allowed (1048576).`,
      };
    case 'not-found':
      return {
        status: 404,
        statusName: 'NOT_FOUND',
        message:
          `models/${context.model} is not found for API version v1beta, or is not supported for generateContent. ` +
          'Call ListModels to see the list of available models and their supported methods.',
      };
    case 'invalid-json':
      return { status: 400, statusName: 'INVALID_ARGUMENT', message: 'Invalid JSON payload received. Unexpected token.' };
    case 'unknown-route':
      return { status: 404, statusName: 'NOT_FOUND', message: `mock upstream: no such method (${context.method} ${context.pathname})` };
    case 'payload-too-large':
      // Google refuses oversized payloads with a 400.
      return { status: 400, statusName: 'INVALID_ARGUMENT', message: 'Request payload size exceeds the limit.' };
    case 'internal':
      return { status: 500, statusName: 'INTERNAL', message: 'The mock upstream failed while answering.' };
    default:
      if (input.status === 504) return { status: 504, statusName: 'DEADLINE_EXCEEDED', message: 'Deadline expired before operation could complete.' };
      return { status: input.status, statusName: statusNameOf(input.status), message: `The mock upstream answered HTTP ${input.status}.` };
  }
}

/**
 * Google's error answer for a fault (or a bare status). A named fault gets Google's real status (an invalid
 * API key is a 400 `API_KEY_INVALID`); rate-limit hints move from headers into a `RetryInfo` detail.
 */
export function renderGeminiError(input: ErrorRenderingInput, context: ExchangeContext): RenderedError {
  const shape = shapeFor(input.fault ?? faultForStatus(input.status), input, context);
  const status = input.fault !== undefined ? shape.status : input.status;
  const statusName = status === shape.status ? shape.statusName : statusNameOf(status);
  return {
    status,
    body: googleErrorBody(status, statusName, input.message ?? shape.message, shape.details),
    removeHeaders: ['retry-after', 'retry-after-ms'],
  };
}
