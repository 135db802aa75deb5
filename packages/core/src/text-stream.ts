import type { ChatStream } from './chat-stream.types';
import { KitError } from './kit-error';

/**
 * The text deltas of `stream` as a web `ReadableStream<string>`, read as the consumer pulls. A failure of the stream
 * (after content: the upstream broke off) errors the returned stream with its `KitError`: the text is never cut short
 * silently. Cancelling the returned stream aborts the call and closes its connection.
 */
export function toTextStream(stream: ChatStream): ReadableStream<string> {
  const events = stream[Symbol.asyncIterator]();
  return new ReadableStream({
    async pull(controller) {
      for (let next = await events.next(); !next.done; next = await events.next()) {
        if (next.value.type === 'text-delta' && next.value.text) return controller.enqueue(next.value.text);
      }
      controller.close();
    },
    cancel: () => stream.abort(),
  });
}

/**
 * A streaming `Response` of the text deltas of `stream`, UTF-8 encoded, as the Vercel AI SDK's `toTextStreamResponse`:
 * status 200 and `content-type: text/plain; charset=utf-8` unless `init` says otherwise; `init`'s other headers and
 * `statusText` are kept. An `init` the `Response` constructor refuses aborts the call and throws `invalid_request`.
 */
export function toTextStreamResponse(stream: ChatStream, init: ResponseInit = {}): Response {
  const text = toTextStream(stream);
  try {
    const headers = new Headers(init.headers);
    if (!headers.has('content-type')) headers.set('content-type', 'text/plain; charset=utf-8');
    return new Response(text.pipeThrough(new TextEncoderStream()), { ...init, headers });
  } catch (error) {
    stream.abort();
    throw new KitError('invalid_request', `toTextStreamResponse init: ${(error as Error).message}`, { cause: error });
  }
}
