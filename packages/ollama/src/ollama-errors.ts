import type { KitError } from '@kit/core';
import { upstreamErrorInBody, type RequestContext } from '@kit/core/provider-utils';

/**
 * The `KitError` for an NDJSON line `{"error": "…"}` inside a stream that had already answered 200 (Ollama's
 * "an error was encountered while running the model"): core's classification of errors sent inside a 2xx answer.
 */
export function ollamaStreamError(body: unknown, context: RequestContext): KitError {
  return upstreamErrorInBody(body, context);
}
