import { createParser } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import { createSseParser, type SseMessage } from './sse-parser';

function parseWithOurs(chunks: string[]): SseMessage[] {
  const messages: SseMessage[] = [];
  const parser = createSseParser((message) => messages.push(message));
  for (const chunk of chunks) parser.feed(chunk);
  parser.end();
  return messages;
}

/** The reference: eventsource-parser (the streams here always end with a blank line, so no flush is needed). */
function parseWithReference(chunks: string[]): SseMessage[] {
  const messages: SseMessage[] = [];
  const parser = createParser({ onEvent: (message) => messages.push({ event: message.event, data: message.data }) });
  for (const chunk of chunks) parser.feed(chunk);
  return messages;
}

function randomSplits(text: string, random: () => number): string[] {
  const chunks: string[] = [];
  let index = 0;
  while (index < text.length) {
    const size = 1 + Math.floor(random() * 12);
    chunks.push(text.slice(index, index + size));
    index += size;
  }
  return chunks;
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const corpus = [
  'data: {"a":1}\n\ndata: {"b":2}\n\ndata: [DONE]\n\n',
  'event: message_start\ndata: {"type":"message_start"}\n\nevent: ping\ndata: {}\n\n',
  ': keep-alive comment\n\ndata: one\ndata: two\n\n',
  'data:no-space\r\n\r\ndata:  two spaces\r\rdata: cr only\r\r',
  'id: 7\nretry: 100\nevent: x\ndata: with id\n\n',
  'data\n\ndata:\n\nevent: only-event\n\n',
  'data: ünïcödé ✓ 🚀\n\n',
  'field-without-colon\ndata: kept\n\n',
];

describe('createSseParser', () => {
  it('matches eventsource-parser on whole inputs', () => {
    for (const text of corpus) expect(parseWithOurs([text])).toEqual(parseWithReference([text]));
  });

  it('matches eventsource-parser on 300 random splittings of every input', () => {
    const random = seeded(42);
    for (const text of corpus) {
      const expected = parseWithReference([text]);
      for (let round = 0; round < 300; round += 1) expect(parseWithOurs(randomSplits(text, random))).toEqual(expected);
    }
  });

  it('dispatches a last event that has no blank line after it when the stream ends', () => {
    expect(parseWithOurs(['data: last'])).toEqual([{ event: undefined, data: 'last' }]);
  });
});
