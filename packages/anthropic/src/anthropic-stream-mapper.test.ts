import { KitError, type StreamEvent } from '@kit/core';
import { describe, expect, it } from 'vitest';
import {
  cachedUsage,
  emptyToolInput,
  errorEvent,
  messageStart,
  parallelTools,
  plainText,
  REDACTED_DATA,
  redactedThinking,
  SIGNATURE,
  sseBody,
  thinkingThenText,
  unknownEvents,
  wholeMessage,
  type WireEvent,
} from './__fixtures__/anthropic-streams';
import { createAnthropicStreamMapper, mapAnthropicFinishReason, mapAnthropicUsage, parseAnthropicResponse } from './anthropic-stream-mapper';

const context = { provider: 'anthropic', model: 'claude-sonnet-5-5', stream: true, credential: { id: 'key-1', kind: 'api-key' as const } };

/** Runs wire events through the mapper as core's SSE framing would hand them over. */
function map(events: readonly WireEvent[]): StreamEvent[] {
  const out: StreamEvent[] = [];
  const mapper = createAnthropicStreamMapper(context);
  for (const event of events) mapper.push({ event: event.type, data: JSON.stringify(event) }, (item) => out.push(item));
  mapper.end((item) => out.push(item));
  return out;
}

describe('createAnthropicStreamMapper', () => {
  it('blank data lines (a gateway keep-alive) are nothing: the same events as without them', () => {
    const out: StreamEvent[] = [];
    const mapper = createAnthropicStreamMapper(context);
    plainText.forEach((event, index) => {
      if (index === 2) for (const blank of ['', ' \t ']) mapper.push({ data: blank }, (item) => out.push(item));
      mapper.push({ event: event.type, data: JSON.stringify(event) }, (item) => out.push(item));
    });
    mapper.end((item) => out.push(item));
    expect(out).toEqual(map(plainText));
  });

  it('plain text: start with id and model, every delta, finish with usage; ping ignored', () => {
    expect(map(plainText)).toEqual([
      { type: 'start', id: 'msg_01Test', model: 'claude-sonnet-5-5' },
      { type: 'text-delta', text: 'Hello' },
      { type: 'text-delta', text: ', ' },
      { type: 'text-delta', text: 'world!' },
      { type: 'finish', finishReason: 'stop', usage: { inputTokens: 25, outputTokens: 15, totalTokens: 40 } },
    ]);
  });

  it('parallel tool_use blocks: argument pieces as deltas indexed per call, one tool-call at each block stop', () => {
    const events = map(parallelTools);
    expect(events.filter((event) => event.type === 'tool-call-delta')).toEqual([
      { type: 'tool-call-delta', index: 0, id: 'toolu_01A', name: 'get_weather', argumentsDelta: '' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city": "Pa' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'ris"}' },
      { type: 'tool-call-delta', index: 1, id: 'toolu_01B', name: 'get_weather', argumentsDelta: '' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"city":' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: ' "Rome"}' },
    ]);
    // Each call is complete when its block stops, before the next block starts.
    const order = events.map((event) =>
      event.type === 'tool-call' ? `call:${event.toolCall.id}` : event.type === 'tool-call-delta' ? `delta:${event.index}` : event.type,
    );
    expect(order.indexOf('call:toolu_01A')).toBeLessThan(order.indexOf('delta:1'));
    expect(events.filter((event) => event.type === 'tool-call').map((event) => event.type === 'tool-call' && event.toolCall)).toEqual([
      { id: 'toolu_01A', name: 'get_weather', arguments: '{"city": "Paris"}' },
      { id: 'toolu_01B', name: 'get_weather', arguments: '{"city": "Rome"}' },
    ]);
    expect(events.at(-1)).toEqual({ type: 'finish', finishReason: 'tool-calls', usage: { inputTokens: 472, outputTokens: 89, totalTokens: 561 } });
  });

  it('a tool call with no input gets "{}"', () => {
    const calls = map(emptyToolInput).filter((event) => event.type === 'tool-call');
    expect(calls).toEqual([{ type: 'tool-call', toolCall: { id: 'toolu_01C', name: 'get_time', arguments: '{}' } }]);
  });

  it('thinking: reasoning deltas, then the signature, then the text', () => {
    expect(map(thinkingThenText).slice(1, -1)).toEqual([
      { type: 'reasoning-delta', text: 'The user wants 2+2. ' },
      { type: 'reasoning-delta', text: 'That is 4.' },
      { type: 'reasoning-delta', text: '', signature: SIGNATURE },
      { type: 'text-delta', text: 'It is 4.' },
    ]);
  });

  it('redacted thinking: a reasoning delta whose signature carries the data', () => {
    expect(map(redactedThinking)[1]).toEqual({ type: 'reasoning-delta', text: '', signature: `redacted_thinking:${REDACTED_DATA};` });
  });

  it('usage adds cache reads and writes to the input, and reports the reads as cachedInputTokens and the writes as cacheWriteInputTokens', () => {
    // input_tokens 20 + cache_read_input_tokens 3000 + cache_creation_input_tokens 1000.
    expect(map(cachedUsage).at(-1)).toEqual({
      type: 'finish',
      finishReason: 'length',
      usage: { inputTokens: 4020, outputTokens: 512, totalTokens: 4532, cachedInputTokens: 3000, cacheWriteInputTokens: 1000 },
    });
    expect(mapAnthropicUsage({ input_tokens: 5, cache_creation_input_tokens: 200, output_tokens: 1 })).toEqual({
      inputTokens: 205,
      outputTokens: 1,
      totalTokens: 206,
      cacheWriteInputTokens: 200,
    });
    // message_delta counts replace message_start's; null counts keep them.
    expect(mapAnthropicUsage({ input_tokens: 10, output_tokens: null })).toEqual({ inputTokens: 10, outputTokens: 0, totalTokens: 10 });
  });

  it('ignores unknown events, unknown blocks (server tools) and unknown deltas', () => {
    expect(map(unknownEvents).map((event) => event.type)).toEqual(['start', 'text-delta', 'finish']);
  });

  it('an error event throws a classified KitError (overloaded and api errors are server errors)', () => {
    const thrown = (event: WireEvent) => {
      try {
        map([messageStart(), event]);
      } catch (error) {
        return error as KitError;
      }
      throw new Error('expected an error');
    };
    expect(thrown(errorEvent('overloaded_error', 'Overloaded'))).toMatchObject({
      code: 'server_error',
      retryable: true,
      credentialId: 'key-1',
      message: 'anthropic: Overloaded',
    });
    expect(thrown(errorEvent('api_error', 'Internal server error')).code).toBe('server_error');
    expect(thrown(errorEvent('rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit')).code).toBe('rate_limit');
    expect(thrown(errorEvent('some_new_error', 'Something else')).code).toBe('server_error');
    const plainTextError = createAnthropicStreamMapper(context);
    expect(() => plainTextError.push({ event: 'error', data: 'upstream exploded' }, () => {})).toThrow(KitError);
  });

  it('malformed JSON is invalid_response; a stream cut before message_stop has no finish', () => {
    const mapper = createAnthropicStreamMapper(context);
    expect(() => mapper.push({ event: 'content_block_delta', data: '{"type": "content_block_delta", "ind' }, () => {})).toThrow(
      expect.objectContaining({ code: 'invalid_response' }),
    );
    expect(map(plainText.slice(0, 4)).some((event) => event.type === 'finish')).toBe(false);
  });

  it('finish reasons', () => {
    expect(
      ['end_turn', 'stop_sequence', 'max_tokens', 'tool_use', 'refusal', 'pause_turn', 'model_context_window_exceeded', 'new_reason'].map(
        mapAnthropicFinishReason,
      ),
    ).toEqual(['stop', 'stop', 'length', 'tool-calls', 'content-filter', 'other', 'length', 'other']);
  });

  it('reads the SSE fixtures as the wire format', () => {
    expect(sseBody([messageStart()])).toMatch(/^event: message_start\ndata: \{"type":"message_start"/);
  });
});

describe('parseAnthropicResponse', () => {
  it('replays a whole message as stream events: thinking with signature, text, tool calls, usage', () => {
    const out: StreamEvent[] = [];
    parseAnthropicResponse(wholeMessage, { ...context, stream: false }, (event) => out.push(event));
    expect(out.filter((event) => event.type !== 'tool-call-delta')).toEqual([
      { type: 'start', id: 'msg_01Whole', model: 'claude-sonnet-5-5' },
      { type: 'reasoning-delta', text: 'Check the weather first.', signature: SIGNATURE },
      { type: 'text-delta', text: 'Checking.' },
      { type: 'tool-call', toolCall: { id: 'toolu_01D', name: 'get_weather', arguments: '{"city":"Paris"}' } },
      { type: 'tool-call', toolCall: { id: 'toolu_01E', name: 'get_time', arguments: '{}' } },
      {
        type: 'finish',
        finishReason: 'tool-calls',
        usage: { inputTokens: 150, outputTokens: 30, totalTokens: 180, cachedInputTokens: 50, cacheWriteInputTokens: 0 },
      },
    ]);
  });

  it('an error body throws its KitError; a body without content is invalid_response', () => {
    const run = (body: unknown) => () => parseAnthropicResponse(body, context, () => {});
    expect(run({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })).toThrow(expect.objectContaining({ code: 'server_error' }));
    expect(run({ id: 'msg_1', type: 'message' })).toThrow(expect.objectContaining({ code: 'invalid_response' }));
    expect(run(null)).toThrow(expect.objectContaining({ code: 'invalid_response' }));
  });
});
