import type { WireChunk } from './provider-definition';
import { createSseParser } from './sse-parser';

/** Splits a response's decoded text into wire chunks. */
export interface Framing {
  feed(text: string): void;
  /** The body ended: deliver what is still buffered. */
  end(): void;
}

/**
 * How a provider's responses are framed: a factory of `Framing`s. A function rather than a name, so that a bundle
 * holds only the framings its providers use.
 */
export type FramingFactory = (onChunk: (chunk: WireChunk) => void) => Framing;

/** Server-sent events: each event becomes `{ event, data }`. */
export const sseFraming: FramingFactory = (onChunk) => createSseParser(onChunk);

/** Newline-delimited JSON (Ollama): each non-blank line becomes `{ data: line }`. */
export const ndjsonFraming: FramingFactory = (onChunk) => {
  let pending = '';
  const line = (text: string) => {
    if (text.trim() !== '') onChunk({ data: text });
  };
  return {
    feed(text) {
      pending += text;
      let start = 0;
      for (let newline = pending.indexOf('\n'); newline !== -1; newline = pending.indexOf('\n', start)) {
        line(pending.slice(start, newline));
        start = newline + 1;
      }
      pending = pending.slice(start);
    },
    end() {
      line(pending);
      pending = '';
    },
  };
};
