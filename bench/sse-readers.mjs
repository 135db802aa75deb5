// The SSE readers and the in-memory body the SSE benches share (sse-throughput.bench.mjs, sse-instructions.mjs,
// sse-ab.mjs): the limit every kit figure is measured against, its `for await` reference, and a `fetch` that serves a
// pre-built body from memory in fixed-size pieces (no socket).
import { createParser } from 'eventsource-parser';

/**
 * The limit: what any reader of this stream must at least do — read the body, split it into SSE events
 * (eventsource-parser), `JSON.parse` each one and pick the text and usage out. No validation, no events, no retries.
 */
export async function readWithEventsourceParser(response) {
  if (!response.ok) throw new Error(`limit: HTTP ${response.status}`);
  const parts = [];
  let usage;
  const parser = createParser({
    onEvent(event) {
      if (event.data === '[DONE]') return;
      const chunk = JSON.parse(event.data);
      const content = chunk.choices[0]?.delta?.content;
      if (content) parts.push(content);
      if (chunk.usage) usage = chunk.usage.completion_tokens;
    },
  });
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) parser.feed(decoder.decode(read.value, { stream: true }));
  parser.feed(decoder.decode());
  return { text: parts.join(''), usage };
}

/**
 * The limit's work handed out through `for await` (reference, not the goal): the same parse, each parsed chunk handed
 * out by a minimal async iterator — one promise, one result object and one microtask turn per event, what any
 * `AsyncIterable` stream (a `ChatStream` is one) pays and a callback does not.
 */
export async function readWithEventsourceParserIterator(response) {
  if (!response.ok) throw new Error(`limit + for await: HTTP ${response.status}`);
  const queue = [];
  let head = 0;
  let ended = false;
  const parser = createParser({
    onEvent(event) {
      if (event.data !== '[DONE]') queue.push(JSON.parse(event.data));
    },
  });
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  const fill = async () => {
    queue.length = 0;
    head = 0;
    while (queue.length === 0 && !ended) {
      const read = await reader.read();
      if (read.done) ended = true;
      else parser.feed(decoder.decode(read.value, { stream: true }));
    }
  };
  const next = () =>
    head < queue.length
      ? Promise.resolve({ done: false, value: queue[head++] })
      : ended
        ? Promise.resolve({ done: true, value: undefined })
        : fill().then(next);
  const parts = [];
  let usage;
  for await (const chunk of { [Symbol.asyncIterator]: () => ({ next }) }) {
    const content = chunk.choices[0]?.delta?.content;
    if (content) parts.push(content);
    if (chunk.usage) usage = chunk.usage.completion_tokens;
  }
  return { text: parts.join(''), usage };
}

/** A `fetch` that answers every request with `body` as an SSE stream, enqueued in pieces of `pieceBytes`. */
export function inMemorySseFetch(body, pieceBytes) {
  const pieces = [];
  for (let offset = 0; offset < body.length; offset += pieceBytes) pieces.push(new Uint8Array(body.subarray(offset, offset + pieceBytes)));
  return async () => {
    let next = 0;
    const stream = new ReadableStream({
      pull(controller) {
        if (next < pieces.length) controller.enqueue(pieces[next++]);
        else controller.close();
      },
    });
    return new Response(stream, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  };
}
