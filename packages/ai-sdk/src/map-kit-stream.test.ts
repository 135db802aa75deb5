import { KitError, type StreamEvent } from '@kit/core';
import type { LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { mapKitStream, type MapKitStreamOptions } from './map-kit-stream';

const usage = { inputTokens: 10, outputTokens: 5, totalTokens: 15 };

const options: MapKitStreamOptions = {
  warnings: [],
  finishMetadata: (cost) => ({ kit: cost === undefined ? { credentialId: 'key-1' } : { credentialId: 'key-1', cost } }),
  mapError: (error) => ({ mapped: (error as Error).message }),
  isAbort: (error) => KitError.is(error) && error.code === 'aborted',
};

async function* events(list: StreamEvent[], failure?: Error): AsyncGenerator<StreamEvent> {
  for (const event of list) yield event;
  if (failure) throw failure;
}

async function collect(stream: ReadableStream<LanguageModelV4StreamPart>): Promise<LanguageModelV4StreamPart[]> {
  const parts: LanguageModelV4StreamPart[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return parts;
    parts.push(value);
  }
}

describe('mapKitStream', () => {
  it('maps reasoning (signed blocks split), text, streamed tool input and calls, and the finish', async () => {
    const parts = await collect(
      mapKitStream(
        events([
          { type: 'start', id: 'msg_1', model: 'claude-x' },
          { type: 'reasoning-delta', text: 'Think ' },
          { type: 'reasoning-delta', text: 'hard.' },
          { type: 'reasoning-delta', text: '', signature: 'sig-1' },
          { type: 'reasoning-delta', text: 'Again.' },
          { type: 'text-delta', text: 'Hi' },
          { type: 'text-delta', text: '' },
          { type: 'tool-call-delta', index: 0, id: 'call_1', name: 'get_weather', argumentsDelta: '' },
          { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":' },
          { type: 'tool-call-delta', index: 0, argumentsDelta: '"Paris"}' },
          { type: 'tool-call', toolCall: { id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { type: 'tool-call', toolCall: { id: 'call_2', name: 'now', arguments: '' } },
          { type: 'finish', finishReason: 'tool-calls', usage: { ...usage, cost: 0.01 } },
        ]),
        { ...options, warnings: [{ type: 'unsupported', feature: 'topK' }] },
      ),
    );
    expect(parts).toEqual([
      { type: 'stream-start', warnings: [{ type: 'unsupported', feature: 'topK' }] },
      { type: 'response-metadata', id: 'msg_1', modelId: 'claude-x' },
      { type: 'reasoning-start', id: 'reasoning-1' },
      { type: 'reasoning-delta', id: 'reasoning-1', delta: 'Think ' },
      { type: 'reasoning-delta', id: 'reasoning-1', delta: 'hard.' },
      { type: 'reasoning-end', id: 'reasoning-1', providerMetadata: { kit: { signature: 'sig-1' } } },
      { type: 'reasoning-start', id: 'reasoning-2' },
      { type: 'reasoning-delta', id: 'reasoning-2', delta: 'Again.' },
      { type: 'reasoning-end', id: 'reasoning-2' },
      { type: 'text-start', id: 'text-3' },
      { type: 'text-delta', id: 'text-3', delta: 'Hi' },
      { type: 'text-end', id: 'text-3' },
      { type: 'tool-input-start', id: 'call_1', toolName: 'get_weather' },
      { type: 'tool-input-delta', id: 'call_1', delta: '{"city":' },
      { type: 'tool-input-delta', id: 'call_1', delta: '"Paris"}' },
      { type: 'tool-input-end', id: 'call_1' },
      { type: 'tool-call', toolCallId: 'call_1', toolName: 'get_weather', input: '{"city":"Paris"}' },
      { type: 'tool-call', toolCallId: 'call_2', toolName: 'now', input: '{}' },
      {
        type: 'finish',
        finishReason: { unified: 'tool-calls', raw: 'tool-calls' },
        usage: {
          inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
          outputTokens: { total: 5, text: 5, reasoning: undefined },
          raw: { inputTokens: 10, outputTokens: 5, totalTokens: 15, cost: 0.01 },
        },
        providerMetadata: { kit: { credentialId: 'key-1', cost: 0.01 } },
      },
    ]);
  });

  it('holds tool input until the call has an id and a name', async () => {
    const parts = await collect(
      mapKitStream(
        events([
          { type: 'tool-call-delta', index: 1, argumentsDelta: '{"a"' },
          { type: 'tool-call-delta', index: 1, id: 'c', name: 'f', argumentsDelta: ':1}' },
          { type: 'finish', finishReason: 'tool-calls', usage },
        ]),
        options,
      ),
    );
    expect(parts.slice(1, 4)).toEqual([
      { type: 'tool-input-start', id: 'c', toolName: 'f' },
      { type: 'tool-input-delta', id: 'c', delta: '{"a":1}' },
      { type: 'tool-input-end', id: 'c' },
    ]);
  });

  it('an error from the @kit stream closes the open block and ends with an error part', async () => {
    const parts = await collect(mapKitStream(events([{ type: 'text-delta', text: 'partial' }], new KitError('server_error', 'Overloaded')), options));
    expect(parts.slice(1)).toEqual([
      { type: 'text-start', id: 'text-1' },
      { type: 'text-delta', id: 'text-1', delta: 'partial' },
      { type: 'text-end', id: 'text-1' },
      { type: 'error', error: { mapped: 'Overloaded' } },
    ]);
  });

  it('an abort errors the stream with the mapped abort instead of sending an error part', async () => {
    const stream = mapKitStream(events([{ type: 'text-delta', text: 'x' }], new KitError('aborted', 'aborted by the caller')), options);
    await expect(collect(stream)).rejects.toEqual({ mapped: 'aborted by the caller' });
  });

  it('sends each @kit event as a raw part first with includeRawChunks', async () => {
    const start: StreamEvent = { type: 'start', model: 'm' };
    const parts = await collect(mapKitStream(events([start]), { ...options, includeRawChunks: true }));
    expect(parts.slice(1)).toEqual([
      { type: 'raw', rawValue: start },
      { type: 'response-metadata', modelId: 'm' },
    ]);
  });

  it('cancelling the AI SDK stream ends the @kit iteration (which aborts its connection)', async () => {
    let returned = false;
    const source: AsyncIterable<StreamEvent> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => ({ done: false, value: { type: 'text-delta', text: 'more' } }),
        return: async () => {
          returned = true;
          return { done: true, value: undefined };
        },
      }),
    };
    const reader = mapKitStream(source, options).getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    expect(returned).toBe(true);
  });
});
