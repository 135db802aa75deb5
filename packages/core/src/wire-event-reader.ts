import type { EmitEvent, StreamMapper } from './provider-definition';
import type { Framing, FramingFactory } from './framing';
import type { StreamEvent } from './stream-event';

/**
 * Reads a response body and hands out `StreamEvent`s: bytes → text → frames (SSE or NDJSON) → the provider's
 * mapper, in one pass with no chain of streams. Pull-based: nothing is read until the caller asks.
 */
export class WireEventReader {
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #decoder = new TextDecoder();
  #queue: StreamEvent[] = [];
  #head = 0;
  #ended = false;
  #cancelled: { reason: unknown } | undefined;
  #framer: Framing;
  #emit: EmitEvent;

  readonly #mapper: StreamMapper;
  readonly #hooks: { beforeRead?: () => void; afterRead?: () => void };

  constructor(
    body: ReadableStream<Uint8Array>,
    framing: FramingFactory,
    mapper: StreamMapper,
    hooks: { beforeRead?: () => void; afterRead?: () => void } = {},
  ) {
    this.#mapper = mapper;
    this.#hooks = hooks;
    this.#reader = body.getReader();
    this.#emit = (event) => {
      this.#queue.push(event);
    };
    this.#framer = framing((chunk) => mapper.push(chunk, this.#emit));
  }

  /** The next event, or `undefined` when the upstream closed the stream and the mapper has flushed. */
  async next(): Promise<StreamEvent | undefined> {
    while (this.#head >= this.#queue.length) {
      if (this.#cancelled) throw this.#cancelled.reason;
      if (this.#ended) return undefined;
      this.#queue.length = 0;
      this.#head = 0;
      this.#hooks.beforeRead?.();
      const result = await this.#reader.read();
      this.#hooks.afterRead?.();
      try {
        if (result.done) {
          this.#ended = true;
          this.#framer.feed(this.#decoder.decode());
          this.#framer.end();
          this.#mapper.end(this.#emit);
        } else {
          this.#framer.feed(this.#decoder.decode(result.value, { stream: true }));
        }
      } catch (error) {
        // An in-stream error: hand out what the same read produced before it, then throw.
        this.cancel(error);
        if (this.#queue.length === 0) throw error;
      }
    }
    return this.#queue[this.#head++];
  }

  /** Stops reading and releases the connection; a later `next()` throws `reason`. */
  cancel(reason?: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#cancelled = { reason };
    this.#reader.cancel(reason).catch(() => {});
  }
}
