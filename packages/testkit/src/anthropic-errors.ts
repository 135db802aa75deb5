import type { ErrorRenderingInput, ExchangeContext, RenderedError, ServerErrorKind } from './upstream-dialect';
import type { UpstreamFault } from './upstream-script';

/** Anthropic's error object: `{ type: 'error', error: { type, message }, request_id }`. */
export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
  request_id?: string;
}

interface ErrorShape {
  type: string;
  message: string;
  /** The status Anthropic really uses for this fault, when the script named the fault (not just a status). */
  status?: number;
}

/** The context window the mock's `context-length` message quotes. */
const contextWindow = 200_000;

/** The fault a bare status stands for, when the script names none. */
function faultForStatus(status: number): UpstreamFault | ServerErrorKind | undefined {
  if (status === 400 || status === 422) return 'bad-request';
  if (status === 401) return 'unauthorized';
  if (status === 402) return 'payment-required';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 413) return 'payload-too-large';
  if (status === 429) return 'rate-limited';
  if (status === 529) return 'overloaded';
  if (status >= 500 && status !== 504) return 'server-error';
  return undefined;
}

function shapeFor(fault: UpstreamFault | ServerErrorKind | undefined, input: ErrorRenderingInput, context: ExchangeContext): ErrorShape {
  switch (fault) {
    case 'unauthorized':
      return context.request.headers['x-api-key'] === undefined
        ? { type: 'authentication_error', message: 'x-api-key header is required' }
        : { type: 'authentication_error', message: 'invalid x-api-key' };
    case 'forbidden':
      return { type: 'permission_error', message: 'Your API key does not have permission to use the specified resource.' };
    case 'rate-limited':
      return {
        type: 'rate_limit_error',
        message:
          `This request would exceed the rate limit for your organization of 50 requests per minute (model: ${context.model}). ` +
          'See the response headers for your current usage, and try again later.',
      };
    case 'insufficient-quota':
      // Anthropic reports an empty credit balance as a 400 invalid_request_error: only the message tells.
      return {
        type: 'invalid_request_error',
        message: 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
        status: 400,
      };
    case 'payment-required':
      return { type: 'billing_error', message: 'There is an issue with your billing information: please check Plans & Billing.' };
    case 'server-error':
      return { type: 'api_error', message: 'Internal server error' };
    case 'overloaded':
      return { type: 'overloaded_error', message: 'Overloaded', status: 529 };
    case 'bad-request':
      return { type: 'invalid_request_error', message: 'messages: at least one message is required' };
    case 'context-length':
      return {
        type: 'invalid_request_error',
        message: `prompt is too long: ${contextWindow + 1000 + context.inputTokens} tokens > ${contextWindow} maximum`,
      };
    case 'not-found':
      return { type: 'not_found_error', message: `model: ${context.model}` };
    case 'invalid-json':
      return { type: 'invalid_request_error', message: 'There was an issue with the format of your request: the body is not valid JSON.' };
    case 'unknown-route':
      return { type: 'not_found_error', message: `Not Found (${context.method} ${context.pathname})` };
    case 'payload-too-large':
      return { type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' };
    case 'internal':
      return { type: 'api_error', message: 'The mock upstream failed while answering.' };
    default:
      if (input.status === 408 || input.status === 504) return { type: 'timeout_error', message: 'Request timed out' };
      return {
        type: input.status >= 500 ? 'api_error' : 'invalid_request_error',
        message: `The mock upstream answered HTTP ${input.status}.`,
      };
  }
}

/** Anthropic's error body; `requestId` becomes `request_id` when given. */
export function anthropicErrorBody(type: string, message: string, requestId?: string): AnthropicErrorBody {
  const body: AnthropicErrorBody = { type: 'error', error: { type, message } };
  if (requestId !== undefined) body.request_id = requestId;
  return body;
}

/**
 * Anthropic's error answer for a fault (or a bare status). A named `overloaded` fault is sent as 529 and
 * `insufficient-quota` as 400 (Anthropic's real statuses); rate-limit hints go out as `retry-after` seconds.
 */
export function renderAnthropicError(input: ErrorRenderingInput, context: ExchangeContext): RenderedError {
  const shape = shapeFor(input.fault ?? faultForStatus(input.status), input, context);
  const status = input.fault !== undefined && shape.status !== undefined ? shape.status : input.status;
  const rendered: RenderedError = {
    status,
    body: anthropicErrorBody(shape.type, input.message ?? shape.message, context.requestId),
    // Anthropic sends no retry-after-ms: a scripted one becomes whole seconds.
    removeHeaders: ['retry-after-ms'],
  };
  if (input.retryAfterMs !== undefined) rendered.headers = { 'retry-after': String(Math.ceil(input.retryAfterMs / 1000)) };
  return rendered;
}
