import { describe, expect, it } from 'vitest';
import type { StreamMapper, WireChunk } from './provider-definition';
import type { StreamEvent } from './stream-event';
import { WireEventReader } from './wire-event-reader';
import { ndjsonFraming, sseFraming } from './framing';
import { KitError } from './kit-error';

function bodyOf(pieces: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(encoder.encode(piece));
      controller.close();
    },
  });
}

/** A mapper that turns each chunk's data into a text delta and finishes at the end. */
function echoMapper(seen: WireChunk[]): StreamMapper {
  return {
    push(chunk, emit) {
      seen.push(chunk);
      if (chunk.data === 'boom') throw new KitError('server_error', 'in-stream error');
      emit({ type: 'text-delta', text: chunk.data });
    },
    end(emit) {
      emit({ type: 'finish', finishReason: 'stop', usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 } });
    },
  };
}

/** The next event, read the way the engine and `ChatStream` read: take what is decoded, read only when none is. */
async function nextOf(reader: WireEventReader): Promise<StreamEvent | undefined> {
  for (;;) {
    const event = reader.take();
    if (event !== undefined || reader.done) return event;
    await reader.fill();
  }
}

async function drain(reader: WireEventReader): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for (let event = await nextOf(reader); event; event = await nextOf(reader)) events.push(event);
  return events;
}

describe('WireEventReader', () => {
  it('frames SSE split at arbitrary byte boundaries, keeping event names and multi-byte characters', async () => {
    const seen: WireChunk[] = [];
    const text = 'event: delta\ndata: héllo\n\ndata: wörld\n\n: comment\n\ndata: [DONE]\n\n';
    const bytes = new TextEncoder().encode(text);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 3) controller.enqueue(bytes.slice(i, i + 3));
        controller.close();
      },
    });
    const events = await drain(new WireEventReader(body, sseFraming, echoMapper(seen)));
    expect(seen).toEqual([
      { event: 'delta', data: 'héllo' },
      { event: undefined, data: 'wörld' },
      { event: undefined, data: '[DONE]' },
    ]);
    expect(events.map((event) => event.type)).toEqual(['text-delta', 'text-delta', 'text-delta', 'finish']);
  });

  it('delivers an event whose stream ends without the blank line', async () => {
    const seen: WireChunk[] = [];
    await drain(new WireEventReader(bodyOf(['data: last']), sseFraming, echoMapper(seen)));
    expect(seen.map((chunk) => chunk.data)).toEqual(['last']);
  });

  it('frames NDJSON lines, including a last line without a newline', async () => {
    const seen: WireChunk[] = [];
    await drain(new WireEventReader(bodyOf(['{"a":1}\n{"b"', ':2}\n\n{"c":3}']), ndjsonFraming, echoMapper(seen)));
    expect(seen.map((chunk) => chunk.data)).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('hands out the events of a read before the in-stream error that came in the same read', async () => {
    const reader = new WireEventReader(bodyOf(['data: partial\n\ndata: boom\n\ndata: never\n\n']), sseFraming, echoMapper([]));
    expect(await nextOf(reader)).toEqual({ type: 'text-delta', text: 'partial' });
    await expect(nextOf(reader)).rejects.toMatchObject({ code: 'server_error' });
  });

  it('throws the mapper error once the events before it are taken', async () => {
    const reader = new WireEventReader(bodyOf(['data: ok\n\ndata: boom\n\n']), sseFraming, echoMapper([]));
    await expect(drain(reader)).rejects.toMatchObject({ code: 'server_error' });
  });

  it('hands out the events a mapper emitted at the end, then throws the error it threw there (never swallowed)', async () => {
    const mapper: StreamMapper = {
      push: (chunk, emit) => emit({ type: 'text-delta', text: chunk.data }),
      end: (emit) => {
        emit({ type: 'text-delta', text: 'tail' });
        throw new KitError('server_error', 'incomplete answer');
      },
    };
    const reader = new WireEventReader(bodyOf(['data: a\n\n']), sseFraming, mapper);
    expect(await nextOf(reader)).toEqual({ type: 'text-delta', text: 'a' });
    expect(await nextOf(reader)).toEqual({ type: 'text-delta', text: 'tail' });
    await expect(nextOf(reader)).rejects.toMatchObject({ code: 'server_error' });
    await expect(nextOf(reader)).rejects.toMatchObject({ code: 'server_error' });
  });

  it('passes a mapper bug through wrapError, so core can mark it', async () => {
    const mapper: StreamMapper = {
      push: () => {
        throw new TypeError('x is undefined');
      },
      end: () => {},
    };
    const reader = new WireEventReader(bodyOf(['data: a\n\n']), sseFraming, mapper, {}, (error) => new KitError('invalid_response', String(error)));
    await expect(nextOf(reader)).rejects.toMatchObject({ code: 'invalid_response' });
  });

  it('reads a multi-megabyte SSE event delivered in 16 KB chunks intact (eventsource-parser is linear on long lines)', async () => {
    const payload = 'x'.repeat(8 * 1024 * 1024);
    const text = `data: ${payload}\n\n`;
    const pieces: string[] = [];
    for (let index = 0; index < text.length; index += 16 * 1024) pieces.push(text.slice(index, index + 16 * 1024));
    const seen: WireChunk[] = [];
    await drain(new WireEventReader(bodyOf(pieces), sseFraming, echoMapper(seen)));
    expect(seen).toHaveLength(1);
    expect(seen[0]?.data.length).toBe(payload.length);
  });

  it('reads a multi-megabyte NDJSON line delivered in 16 KB chunks intact', async () => {
    const line = JSON.stringify({ text: 'y'.repeat(4 * 1024 * 1024) });
    const text = `${line}\n{"b":1}\n`;
    const pieces: string[] = [];
    for (let index = 0; index < text.length; index += 16 * 1024) pieces.push(text.slice(index, index + 16 * 1024));
    const seen: WireChunk[] = [];
    await drain(new WireEventReader(bodyOf(pieces), ndjsonFraming, echoMapper(seen)));
    expect(seen.map((chunk) => chunk.data.length)).toEqual([line.length, 7]);
  });
});
