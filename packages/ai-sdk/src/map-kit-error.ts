import { KitError } from '@kit/core';
import { APICallError } from '@ai-sdk/provider';

/** Where a failed call went, for the `APICallError`'s `url` (the AI SDK requires one). */
export interface KitErrorContext {
  /** The provider's base URL when known, else `kit://<provider name>`. */
  url: string;
  /** The abort signal of the call: an abort rethrows its reason, as `fetch` does. */
  abortSignal?: AbortSignal | undefined;
}

/** The error `fetch` throws on an abort: the signal's reason, or an `AbortError` when there is none. */
function abortReason(signal: AbortSignal | undefined, message: string): unknown {
  if (signal?.aborted && signal.reason !== undefined) return signal.reason;
  return new DOMException(message, 'AbortError');
}

/**
 * Turns what a \@kit call threw into what the AI SDK expects from a provider:
 * - a `KitError` becomes an `APICallError` whose `isRetryable` is `kitError.retryable`, with the upstream's
 *   `statusCode`, the \@kit error (already free of secrets) as `cause` and its `toJSON()` as `data`; a `retryAfterMs`
 *   travels as a `retry-after-ms` response header, which the AI SDK's own retry honours;
 * - an `aborted` `KitError` rethrows the abort signal's reason (an `AbortError`), so the AI SDK sees an abort, not an
 *   API failure;
 * - anything else is returned unchanged.
 * The message is @kit's, which never holds a key or token; no request body or header is attached.
 */
export function mapKitError(error: unknown, context: KitErrorContext): unknown {
  if (!KitError.is(error)) return error;
  if (error.code === 'aborted') return abortReason(context.abortSignal, error.message);
  const responseHeaders: Record<string, string> = {};
  if (error.retryAfterMs !== undefined) responseHeaders['retry-after-ms'] = String(Math.ceil(error.retryAfterMs));
  if (error.requestId !== undefined) responseHeaders['x-request-id'] = error.requestId;
  return new APICallError({
    message: error.message,
    url: context.url,
    requestBodyValues: undefined,
    statusCode: error.status,
    responseHeaders,
    isRetryable: error.retryable,
    cause: error,
    data: error.toJSON(),
  });
}
