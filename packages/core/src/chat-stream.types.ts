import type { ChatCompletion } from './chat-completion';
import type { StreamEvent } from './stream-event';

/**
 * The result of `generateChatCompletion`: iterate it for events, or call `final()` / `text()`.
 * An upstream failure mid-stream is thrown from the iterator as a `KitError`.
 */
export interface ChatStream extends AsyncIterable<StreamEvent> {
  /** The credential that served this stream (its id, never the secret). */
  readonly credentialId?: string | undefined;
  /** The provider's id of the request (`x-request-id` / `request-id`), for support tickets. */
  readonly requestId?: string | undefined;
  /** Consumes the rest of the stream and assembles the completion. */
  final(): Promise<ChatCompletion>;
  /** Consumes the rest of the stream and returns the text. */
  text(): Promise<string>;
  /** Stops the stream and closes the connection; iteration ends with an `aborted` error. */
  abort(): void;
  /**
   * The text deltas as a web stream (reasoning and tool calls left out). Consumes the stream like iterating it. A
   * failure after content errors the returned stream with the `KitError`, never a silent end; cancelling it aborts
   * the call and closes the connection.
   */
  toTextStream(): ReadableStream<string>;
  /**
   * A streaming `Response` of the text (UTF-8; status 200 and `content-type: text/plain; charset=utf-8` unless `init`
   * sets them; `init`'s other headers are kept), for Workers, edge and serverless handlers. A failure after content
   * errors the body; cancelling the body (the client went away) aborts the call.
   *
   * @example
   * export default { fetch: async () => (await provider.generateChatCompletion({ prompt: 'hi' })).toTextStreamResponse() };
   */
  toTextStreamResponse(init?: ResponseInit): Response;
}
