/** One dispatched server-sent event. */
export interface SseMessage {
  event: string | undefined;
  data: string;
}

/**
 * A minimal, allocation-light server-sent-events parser (WHATWG rules for `data`, `event`, comments, and CR / LF /
 * CRLF line ends, split anywhere across chunks; `id` and `retry` are ignored — nothing here reconnects — and so is a
 * leading byte-order mark, which no LLM API sends).
 * ~0.5 KB instead of eventsource-parser's ~4 KB minified; tests check it against eventsource-parser on random splits.
 */
export function createSseParser(onMessage: (message: SseMessage) => void): { feed(text: string): void; end(): void } {
  let pending = '';
  let data: string[] = [];
  let event: string | undefined;

  const dispatch = () => {
    if (data.length > 0) onMessage({ event, data: data.join('\n') });
    data = [];
    event = undefined;
  };

  const line = (text: string) => {
    if (text === '') return dispatch();
    if (text.charCodeAt(0) === 58 /* : */) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.charCodeAt(0) === 32 /* space */) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value || undefined;
  };

  const feed = (chunk: string) => {
    let text = pending + chunk;
    let held = '';
    if (text.includes('\r')) {
      // CR and CRLF end lines too. A CR at the very end may be half of a CRLF: hold it until the next chunk.
      if (text.endsWith('\r')) {
        held = '\r';
        text = text.slice(0, -1);
      }
      text = text.replace(/\r\n?/g, '\n');
    }
    let start = 0;
    for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', start)) {
      line(text.slice(start, index));
      start = index + 1;
    }
    pending = text.slice(start) + held;
  };

  return {
    feed,
    end() {
      // The body ended: a last line without its line end still counts, and so does a last event without its blank line.
      feed('\n');
      dispatch();
    },
  };
}
