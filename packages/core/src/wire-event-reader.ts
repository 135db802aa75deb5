import type { Framing, FramingFactory } from './framing';
import type { EmitEvent, StreamMapper } from './provider-definition';
import type { StreamEvent } from './stream-event';

/** What a reader tells the attempt that owns it, for its timers. */
export interface WireEventReaderHooks {
  /** The reader starts waiting for the upstream: an event was asked for and none is decoded. */
  waiting?(): void;
  /** The upstream made progress: a read decoded at least one event (comments and pings are not progress). */
  progressed?(): void;
}

/**
 * Reads a response body and hands out `StreamEvent`s: bytes → text → frames (SSE or NDJSON) → the provider's
 * mapper, in one pass with no chain of streams. Pull-based: nothing is read until the caller asks. Events already
 * decoded are handed out synchronously (`take()`); only an empty queue costs a read (`fill()`).
 */
export class WireEventReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  readonly #framer: Framing;
  readonly #mapper: StreamMapper;
  readonly #emit: EmitEvent;
  readonly #hooks: WireEventReaderHooks;
  readonly #wrapError: (error: unknown) => unknown;
  #queue: StreamEvent[] = [];
  #head = 0;
  /** The body is done (ended, failed or cancelled): nothing more will be queued. */
  #ended = false;
  #failure: { error: unknown } | undefined;
  #cancelled = false;

  /**
   * @param wrapError - turns what the mapper throws into the error the reader reports (core marks mapper bugs).
   */
  constructor(
    body: ReadableStream<Uint8Array>,
    framing: FramingFactory,
    mapper: StreamMapper,
    hooks: WireEventReaderHooks = {},
    wrapError: (error: unknown) => unknown = (error) => error,
  ) {
    this.#mapper = mapper;
    this.#hooks = hooks;
    this.#wrapError = wrapError;
    this.#reader = body.getReader();
    this.#emit = (event) => {
      const queue = this.#queue;
      queue[queue.length] = event;
    };
    this.#framer = framing((chunk) => mapper.push(chunk, this.#emit));
  }

  /**
   * The next decoded event, without waiting: `undefined` when none is queued (then `fill()`, unless `done`).
   * Once the queue is drained after a failure, throws the failure.
   */
  take(): StreamEvent | undefined {
    if (this.#head < this.#queue.length) return this.#queue[this.#head++];
    if (this.#failure) throw this.#failure.error;
    return undefined;
  }

  /** Nothing is queued and nothing more will come: the stream ended (or failed: `take()` throws then). */
  get done(): boolean {
    return this.#ended && this.#head >= this.#queue.length;
  }

  /** Reads until at least one event is queued, or the body ended or failed. */
  async fill(): Promise<void> {
    if (this.#head < this.#queue.length || this.#ended) return;
    this.#queue.length = 0; // drained: every event was taken (events are handed on, the array is not)
    this.#head = 0;
    this.#hooks.waiting?.();
    while (this.#queue.length === 0 && !this.#ended) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await this.#reader.read();
      } catch (error) {
        if (!this.#ended) this.#fail(error);
        break;
      }
      if (this.#ended) break; // cancelled while the read was pending
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
        // An in-stream error (or a mapper bug): the events decoded before it are still handed out, then it is thrown.
        this.#fail(this.#wrapError(error));
      }
    }
    if (this.#queue.length > 0) this.#hooks.progressed?.();
  }

  /**
   * Stops reading and releases the connection (an abort, a timeout): events already decoded are dropped, and
   * `take()` throws `reason` from now on. (An in-stream error, by contrast, hands out what came before it.)
   */
  cancel(reason?: unknown): void {
    this.#queue.length = 0;
    this.#head = 0;
    this.#cancelled = true;
    if (!this.#ended) this.#fail(reason);
    else this.#failure ??= { error: reason };
  }

  /** Whether `cancel()` stopped the stream: nothing read before it is handed out any more. */
  get cancelled(): boolean {
    return this.#cancelled;
  }

  #fail(error: unknown): void {
    this.#ended = true;
    this.#failure ??= { error };
    this.#reader.cancel(error).catch(() => {});
  }
}
