import { KitError, type StreamEvent } from '@kit/core';
import type { RequestContext } from '@kit/core/provider-utils';
import { describe, expect, it } from 'vitest';
import { errorAfterContent, streamedText, thinkingThenToolCall, toolCallAnswer, wholeAnswer } from './__fixtures__/ollama-chat';
import { createOllamaStreamMapper, mapOllamaFinishReason, parseOllamaResponse, readOllamaDurations } from './ollama-stream-mapper';

const context: RequestContext = { provider: 'ollama', model: 'llama3.2', stream: true, credential: { id: 'default', kind: 'api-key' } };

function mapLines(objects: readonly unknown[]): { events: StreamEvent[]; error?: unknown } {
  const events: StreamEvent[] = [];
  const mapper = createOllamaStreamMapper(context);
  try {
    for (const object of objects) mapper.push({ data: JSON.stringify(object) }, (event) => events.push(event));
    mapper.end((event) => events.push(event));
    return { events };
  } catch (error) {
    return { events, error };
  }
}

describe('createOllamaStreamMapper', () => {
  it('maps content chunks to text deltas and the done object to finish with usage from the counts', () => {
    expect(mapLines(streamedText).events).toEqual([
      { type: 'start', model: 'llama3.2' },
      { type: 'text-delta', text: 'The' },
      { type: 'text-delta', text: ' sky' },
      {
        type: 'finish',
        finishReason: 'stop',
        usage: { inputTokens: 26, outputTokens: 282, totalTokens: 308 },
        // The final object's nanosecond durations, in milliseconds.
        serverTimings: { totalMs: 4883.583458, loadMs: 1.334875, promptMs: 342.546, generationMs: 4535.599 },
      },
    ]);
  });

  it('maps thinking to reasoning deltas and a whole tool call to one delta and one call, its object arguments serialised once', () => {
    const { events } = mapLines(thinkingThenToolCall);
    expect(events.filter((event) => event.type === 'reasoning-delta').map((event) => (event as { text: string }).text)).toEqual([
      'The user wants',
      ' the weather.',
    ]);
    const delta = events.find((event) => event.type === 'tool-call-delta');
    const call = events.find((event) => event.type === 'tool-call');
    expect(delta).toMatchObject({ index: 0, name: 'get_current_weather', argumentsDelta: '{"format":"celsius","location":"Toronto"}' });
    expect(call).toMatchObject({ toolCall: { name: 'get_current_weather', arguments: '{"format":"celsius","location":"Toronto"}' } });
    const { toolCall } = call as Extract<StreamEvent, { type: 'tool-call' }>;
    expect(toolCall.id).toMatch(/^call_ollama_\d+$/);
    expect((delta as { id?: string }).id).toBe(toolCall.id);
    expect(JSON.parse(toolCall.arguments)).toEqual({ format: 'celsius', location: 'Toronto' });
    expect(events.at(-1)).toEqual({ type: 'finish', finishReason: 'tool-calls', usage: { inputTokens: 200, outputTokens: 40, totalTokens: 240 } });
  });

  it("keeps Ollama's call id when it sends one, and arguments already sent as text as they are", () => {
    const { events } = mapLines([
      { model: 'm', message: { role: 'assistant', content: '', tool_calls: [{ id: 'call_abc', function: { name: 'f', arguments: '{"a":1}' } }] }, done: false },
      { model: 'm', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop' },
    ]);
    expect(events.find((event) => event.type === 'tool-call')).toEqual({ type: 'tool-call', toolCall: { id: 'call_abc', name: 'f', arguments: '{"a":1}' } });
  });

  it('throws a server_error KitError for an error line after content (the content before it was emitted)', () => {
    const { events, error } = mapLines(errorAfterContent);
    expect(events.map((event) => event.type)).toEqual(['start', 'text-delta', 'text-delta']);
    expect(error).toBeInstanceOf(KitError);
    expect(error).toMatchObject({ code: 'server_error', credentialId: 'default', message: 'ollama: an error was encountered while running the model' });
  });

  it('throws invalid_response for a line that is not JSON', () => {
    const mapper = createOllamaStreamMapper(context);
    expect(() => mapper.push({ data: '{"model":"m","message":{"content":"trunc' }, () => {})).toThrow(expect.objectContaining({ code: 'invalid_response' }));
  });

  it('emits no finish when the stream ends without done: true (core reports the truncation)', () => {
    expect(mapLines(streamedText.slice(0, 2)).events.map((event) => event.type)).toEqual(['start', 'text-delta', 'text-delta']);
  });
});

describe('parseOllamaResponse', () => {
  it('replays a stream: false answer as start, text and finish', () => {
    const events: StreamEvent[] = [];
    parseOllamaResponse(wholeAnswer, context, (event) => events.push(event));
    expect(events).toEqual([
      { type: 'start', model: 'llama3.2' },
      { type: 'text-delta', text: 'Hello! How are you today?' },
      {
        type: 'finish',
        finishReason: 'stop',
        usage: { inputTokens: 26, outputTokens: 298, totalTokens: 324 },
        serverTimings: { totalMs: 5191.566416, loadMs: 2.154458, promptMs: 383.809, generationMs: 4799.921 },
      },
    ]);
  });

  it('replays a tool-call answer as tool-calls', () => {
    const events: StreamEvent[] = [];
    parseOllamaResponse(toolCallAnswer, context, (event) => events.push(event));
    expect(events.find((event) => event.type === 'tool-call')).toMatchObject({
      toolCall: { name: 'get_current_weather', arguments: '{"format":"celsius","location":"Paris, FR"}' },
    });
    expect(events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
  });

  it('throws for an error body, and invalid_response for an answer that is not done', () => {
    expect(() => parseOllamaResponse({ error: 'an error was encountered while running the model' }, context, () => {})).toThrow(
      expect.objectContaining({ code: 'server_error' }),
    );
    expect(() => parseOllamaResponse({ model: 'm', message: { content: 'x' }, done: false }, context, () => {})).toThrow(
      expect.objectContaining({ code: 'invalid_response' }),
    );
  });
});

describe('finish reasons and durations', () => {
  it.each([
    ['stop', false, 'stop'],
    ['length', false, 'length'],
    ['length', true, 'length'],
    ['stop', true, 'tool-calls'],
    ['load', false, 'other'],
    [undefined, false, 'stop'],
  ] as const)('%s (tools: %s) → %s', (reason, calledTools, expected) => {
    expect(mapOllamaFinishReason(reason, calledTools)).toBe(expected);
  });

  it('reads the nanosecond durations as milliseconds', () => {
    expect(readOllamaDurations(streamedText[2])).toEqual({ totalMs: 4883.583458, loadMs: 1.334875, promptEvalMs: 342.546, evalMs: 4535.599 });
    expect(readOllamaDurations({ done: true })).toEqual({});
  });
});
