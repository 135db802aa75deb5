import { KitError } from '@kit/core';
import { codeForBody, upstreamMessage, type RequestContext } from '@kit/core/provider-utils';

/**
 * The `KitError` for an NDJSON line `{"error": "…"}` inside a stream that had already answered 200 (Ollama's
 * "an error was encountered while running the model"): classified by its message where core recognises it,
 * `server_error` otherwise, so that it is retried or failed over when it comes before the first content.
 */
export function ollamaStreamError(body: unknown, context: RequestContext): KitError {
  return new KitError(codeForBody(body) ?? 'server_error', `${context.provider}: ${upstreamMessage(body) ?? 'error in the response stream'}`, {
    provider: context.provider,
    credentialId: context.credential.id,
  });
}
