// Runs in the edge-runtime environment (no Node built-ins): core's runtime paths must work there.
import { describe, expect, it } from 'vitest';
import { KitError } from './index';
import { maskSecrets, resolveGenerateOptions, sseFraming, ToolCallAccumulator } from './provider-utils';
import { WireEventReader } from './wire-event-reader';
import type { StreamEvent } from './stream-event';

describe('core on an edge runtime', () => {
  it('has no process global to lean on', () => {
    expect(typeof (globalThis as { process?: unknown }).process === 'undefined' || typeof EdgeRuntime !== 'undefined').toBe(true);
  });

  it('validates options and masks secrets', () => {
    expect(() => resolveGenerateOptions({}, { provider: 'p', defaultModel: 'm', defaultStream: true })).toThrow(KitError);
    expect(maskSecrets('Bearer abcdefghijkl')).not.toContain('abcdefghijkl');
  });

  it('reads an SSE body with web streams and assembles tool calls', async () => {
    const body = new Response('data: {"i":0,"a":"{\\"x\\":"}\n\ndata: {"i":0,"a":"1}"}\n\n').body as ReadableStream<Uint8Array>;
    const accumulator = new ToolCallAccumulator();
    const reader = new WireEventReader(body, sseFraming, {
      push(chunk, emit) {
        const parsed = JSON.parse(chunk.data) as { i: number; a: string };
        accumulator.add(parsed.i, { id: 'call_1', name: 'f', argumentsDelta: parsed.a }, emit);
      },
      end(emit) {
        accumulator.flush(emit);
      },
    });
    const events: StreamEvent[] = [];
    while (!reader.done) {
      const event = reader.take();
      if (event) events.push(event);
      else await reader.fill();
    }
    expect(events.at(-1)).toEqual({ type: 'tool-call', toolCall: { id: 'call_1', name: 'f', arguments: '{"x":1}' } });
  });
});

declare const EdgeRuntime: string | undefined;
