import { classifyUpstreamError, codeForBody, upstreamMessage, upstreamRetryAfterMs } from './classify-error';
import { KitError } from './kit-error';
import type { RequestContext } from './provider-definition';

const fieldsOf = (value: unknown): Record<string, unknown> => Object(value);

/** A numeric HTTP status an error body carries (`error.code` / `error.status`, Google's and vLLM's shape), if any. */
function statusInBody(body: unknown): number | undefined {
  const error = fieldsOf(fieldsOf(Array.isArray(body) ? body[0] : body).error ?? body);
  const status = [error.code, error.status].find((value): value is number => typeof value === 'number' && value >= 400 && value < 600);
  return status;
}

/**
 * The `KitError` for an error the upstream sent inside a 2xx answer: an SSE `data: {"error": …}` chunk, an Anthropic
 * `event: error`, an Ollama `{"error": …}` line, a JSON error body answered with 200. Every provider's mapper throws
 * this one, so in-stream errors are classified like HTTP ones: the provider's `refineError` first (it sees the 2xx
 * status, or the status the body names), then a status the body names, then the body's identifiers and message;
 * `server_error` when nothing is recognisable, so that it fails over when it comes before the first content. The
 * request id is the response's (`x-request-id` / `request-id`), else one the body carries (Anthropic's `request_id`).
 */
export function upstreamErrorInBody(body: unknown, context: RequestContext): KitError {
  const status = statusInBody(body);
  const headers = new Headers();
  const refinement = context.refineError?.({ status: status ?? 200, body, headers });
  const code = refinement?.code ?? (status === undefined ? (codeForBody(body) ?? 'server_error') : classifyUpstreamError({ status, body, headers }));
  const bodyRequestId = fieldsOf(body).request_id;
  return new KitError(code, `${context.provider}: ${refinement?.message ?? upstreamMessage(body) ?? 'error in the response stream'}`, {
    provider: context.provider,
    credentialId: context.credential.id,
    status,
    retryAfterMs: refinement?.retryAfterMs ?? upstreamRetryAfterMs({ body, headers }, code),
    requestId: context.requestId ?? (typeof bodyRequestId === 'string' ? bodyRequestId : undefined),
  });
}
