import { createParser } from 'eventsource-parser';
import type { EmitEvent, StreamMapper } from './provider-definition';
import type { StreamEvent } from './stream-event';

/**
 * Reads a response body and hands out `StreamEvent`s: bytes → text → frames (SSE or NDJSON) → the provider's
 * mapper, in one pass with no chain of streams. Pull-based: nothing is read until the caller asks.
 */
export class WireEventReader {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  private readonly queue: StreamEvent[] = [];
  private head = 0;
  private ended = false;
  private cancelled: { reason: unknown } | undefined;
  private readonly feed: (text: string) => void;
  private readonly finishFraming: () => void;
  private readonly emit: EmitEvent;

  constructor(
    body: ReadableStream<Uint8Array>,
    framing: 'sse' | 'ndjson',
    private readonly mapper: StreamMapper,
    private readonly hooks: { beforeRead?: () => void; afterRead?: () => void } = {},
  ) {
    this.reader = body.getReader();
    this.emit = (event) => {
      this.queue.push(event);
    };
    if (framing === 'sse') {
      const parser = createParser({ onEvent: (message) => mapper.push({ event: message.event, data: message.data }, this.emit) });
      this.feed = (text) => parser.feed(text);
      this.finishFraming = () => parser.feed('\n\n');
    } else {
      let pending = '';
      const pushLine = (line: string) => {
        if (line.trim() !== '') mapper.push({ data: line }, this.emit);
      };
      this.feed = (text) => {
        pending += text;
        let newline = pending.indexOf('\n');
        while (newline !== -1) {
          pushLine(pending.slice(0, newline));
          pending = pending.slice(newline + 1);
          newline = pending.indexOf('\n');
        }
      };
      this.finishFraming = () => {
        pushLine(pending);
        pending = '';
      };
    }
  }

  /** The next event, or `undefined` when the upstream closed the stream and the mapper has flushed. */
  async next(): Promise<StreamEvent | undefined> {
    while (this.head >= this.queue.length) {
      if (this.cancelled) throw this.cancelled.reason;
      if (this.ended) return undefined;
      this.queue.length = 0;
      this.head = 0;
      this.hooks.beforeRead?.();
      const result = await this.reader.read();
      this.hooks.afterRead?.();
      if (result.done) {
        this.ended = true;
        this.feed(this.decoder.decode());
        this.finishFraming();
        this.mapper.end(this.emit);
      } else {
        this.feed(this.decoder.decode(result.value, { stream: true }));
      }
    }
    return this.queue[this.head++];
  }

  /** Stops reading and releases the connection; a later `next()` throws `reason`. */
  cancel(reason?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.cancelled = { reason };
    this.reader.cancel(reason).catch(() => {});
  }
}
