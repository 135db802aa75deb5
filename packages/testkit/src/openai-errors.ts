import type { ErrorRenderingInput, ExchangeContext, RenderedError, ServerErrorKind } from './upstream-dialect';
import type { UpstreamFault } from './upstream-script';

/** OpenAI's error object: `{ error: { message, type, param, code } }`. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

interface ErrorShape {
  message: string;
  type: string;
  param?: string;
  code?: string;
}

/** The fault a bare status stands for, when the script names none (custom dialects use it too). */
export function faultForStatus(status: number): UpstreamFault | undefined {
  if (status === 400 || status === 422) return 'bad-request';
  if (status === 401) return 'unauthorized';
  if (status === 402) return 'payment-required';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 429) return 'rate-limited';
  if (status === 503 || status === 529) return 'overloaded';
  if (status >= 500 && status !== 504) return 'server-error';
  return undefined;
}

function retryHint(retryAfterMs: number | undefined): string {
  if (retryAfterMs === undefined) return '';
  const seconds = Math.round(retryAfterMs / 100) / 10;
  return ` Please try again in ${retryAfterMs < 1000 ? `${retryAfterMs}ms` : `${seconds}s`}.`;
}

function shapeFor(fault: UpstreamFault | ServerErrorKind | undefined, input: ErrorRenderingInput, context: ExchangeContext): ErrorShape {
  switch (fault) {
    case 'unauthorized':
      return { message: 'Incorrect API key provided: ***', type: 'invalid_request_error', code: 'invalid_api_key' };
    case 'forbidden':
      return {
        message: 'Country, region, or territory not supported',
        type: 'request_forbidden',
        code: 'unsupported_country_region_territory',
      };
    case 'rate-limited':
      return {
        message:
          `Rate limit reached for ${context.model} in organization org-mock on requests per min (RPM): ` +
          `Limit 3, Used 3, Requested 1.${retryHint(input.retryAfterMs)} ` +
          'Visit https://platform.openai.com/account/rate-limits to learn more.',
        type: 'requests',
        code: 'rate_limit_exceeded',
      };
    case 'insufficient-quota':
      return {
        message:
          'You exceeded your current quota, please check your plan and billing details. For more information on ' +
          'this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
        type: 'insufficient_quota',
        code: 'insufficient_quota',
      };
    case 'payment-required':
      return {
        message: 'Your credit balance is too low to access the API. Please go to Plans & Billing to purchase credits.',
        type: 'insufficient_quota',
        code: 'payment_required',
      };
    case 'server-error':
      return { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error' };
    case 'overloaded':
      return {
        message:
          'That model is currently overloaded with other requests. You can retry your request, or contact us ' +
          'through our help center at help.openai.com if the error persists.',
        type: 'server_error',
      };
    case 'bad-request':
      return { message: "Invalid request: 'messages' must be a non-empty array.", type: 'invalid_request_error', param: 'messages' };
    case 'context-length':
      return {
        message:
          "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens. " +
          'Please reduce the length of the messages.',
        type: 'invalid_request_error',
        param: 'messages',
        code: 'context_length_exceeded',
      };
    case 'not-found':
      return {
        message: `The model \`${context.model}\` does not exist or you do not have access to it.`,
        type: 'invalid_request_error',
        code: 'model_not_found',
      };
    case 'invalid-json':
      return {
        message:
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP " +
          'library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)',
        type: 'invalid_request_error',
      };
    case 'unknown-route':
      return { message: `Invalid URL (${context.method} ${context.pathname})`, type: 'invalid_request_error' };
    case 'payload-too-large':
      return { message: 'Request body too large.', type: 'invalid_request_error' };
    case 'internal':
      return { message: 'The mock upstream failed while answering.', type: 'server_error' };
    default:
      if (input.status === 408 || input.status === 504) return { message: 'Request timed out.', type: 'timeout' };
      return {
        message: `The mock upstream answered HTTP ${input.status}.`,
        type: input.status >= 500 ? 'server_error' : 'invalid_request_error',
      };
  }
}

/** OpenAI's error answer for a fault (or a bare status). */
export function renderOpenAIError(input: ErrorRenderingInput, context: ExchangeContext): RenderedError {
  const shape = shapeFor(input.fault ?? faultForStatus(input.status), input, context);
  const body: OpenAIErrorBody = {
    error: {
      message: input.message ?? shape.message,
      type: shape.type,
      param: shape.param ?? null,
      code: shape.code ?? null,
    },
  };
  return { status: input.status, body };
}
