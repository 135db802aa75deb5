import { createParser } from 'eventsource-parser';
import type { WireChunk } from './provider-definition';

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

/**
 * Server-sent events, parsed by eventsource-parser (WHATWG rules, linear on long lines): each event becomes
 * `{ event, data }`. Comments (`: ping`) produce nothing, so they never count as progress of a stream.
 */
export const sseFraming: FramingFactory = (onChunk) => {
  // The parser's message (`{ id, event, data }`) is a `WireChunk` already: handed on as it is, one object per event.
  const parser = createParser({ onEvent: onChunk });
  return {
    feed: (text) => parser.feed(text),
    // A last line without its line end still counts, and so does a last event without its blank line.
    end: () => parser.feed('\n\n'),
  };
};

/** Newline-delimited JSON (Ollama): each non-blank line becomes `{ data: line }`. Linear on long lines. */
export const ndjsonFraming: FramingFactory = (onChunk) => {
  let pending: string[] = [];
  const line = (text: string) => {
    if (text.trim() !== '') onChunk({ data: text });
  };
  return {
    feed(text) {
      let start = 0;
      for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
        const piece = text.slice(start, newline);
        if (pending.length > 0) {
          pending.push(piece);
          line(pending.join(''));
          pending = [];
        } else line(piece);
        start = newline + 1;
      }
      if (start < text.length) pending.push(text.slice(start));
    },
    end() {
      line(pending.join(''));
      pending = [];
    },
  };
};
