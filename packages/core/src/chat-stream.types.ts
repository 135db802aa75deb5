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
}
