import { KitError, type StreamEvent } from '@kit/core';
import { sseFraming } from '@kit/core/provider-utils';
import { describe, expect, it } from 'vitest';
import {
  codeAssistWrapped,
  functionCallStream,
  inStreamError,
  maxTokensCached,
  parallelCalls,
  plainText,
  promptBlocked,
  safetyStop,
  SIGNATURE,
  sseBody,
  thoughtsThenText,
} from './__fixtures__/gemini-responses';
import { createGeminiStreamMapper, mapGeminiFinishReason, mapGeminiUsage, parseGeminiResponse } from './gemini-stream-mapper';

const context = { provider: 'gemini', model: 'gemini-2.5-flash', stream: true, credential: { id: 'key-1', kind: 'api-key' as const } };

/** Feeds SSE text through core's framing into the mapper, as the engine does. */
function map(body: string): StreamEvent[] {
  const out: StreamEvent[] = [];
  const emit = (event: StreamEvent) => out.push(event);
  const mapper = createGeminiStreamMapper(context);
  const framing = sseFraming((chunk) => mapper.push(chunk, emit));
  // In two pieces, split mid-event, as a socket may deliver it.
  framing.feed(body.slice(0, 37));
  framing.feed(body.slice(37));
  framing.end();
  mapper.end(emit);
  return out;
}

const ofType = <T extends StreamEvent['type']>(events: StreamEvent[], type: T) =>
  events.filter((event): event is Extract<StreamEvent, { type: T }> => event.type === type);

describe('createGeminiStreamMapper', () => {
  it('text: start with the response id and model version, every delta, one finish with the last usage', () => {
    expect(map(sseBody(plainText))).toEqual([
      { type: 'start', id: 'resp-gemini-1', model: 'gemini-2.5-flash' },
      { type: 'text-delta', text: 'Hello' },
      { type: 'text-delta', text: ', world' },
      { type: 'text-delta', text: '!' },
      { type: 'finish', finishReason: 'stop', usage: { inputTokens: 9, outputTokens: 4, totalTokens: 13 } },
    ]);
  });

  it('thought parts become reasoning deltas; the thought signature is kept for replay; thinking tokens are output and reasoning tokens', () => {
    const events = map(sseBody(thoughtsThenText));
    expect(events.slice(1)).toEqual([
      { type: 'reasoning-delta', text: '**Weighing the options**\nThe user wants a prime.' },
      { type: 'text-delta', text: 'Seven is prime.' },
      { type: 'reasoning-delta', text: '', signature: SIGNATURE },
      { type: 'finish', finishReason: 'stop', usage: { inputTokens: 12, outputTokens: 125, totalTokens: 137, reasoningTokens: 120 } },
    ]);
  });

  it('a function call inside a stream: emitted whole, with a synthesized id, and the stream finishes with tool-calls', () => {
    const events = map(sseBody(functionCallStream));
    const [call] = ofType(events, 'tool-call');
    expect(call?.toolCall).toMatchObject({ name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' });
    expect(call?.toolCall.id).toMatch(/^gcall_/);
    expect(ofType(events, 'tool-call-delta')).toEqual([
      { type: 'tool-call-delta', index: 0, id: call?.toolCall.id, name: 'get_weather', argumentsDelta: '{"city":"Paris","unit":"celsius"}' },
    ]);
    expect(events.map((event) => event.type)).toEqual(['start', 'text-delta', 'tool-call-delta', 'tool-call', 'reasoning-delta', 'finish']);
    expect(ofType(events, 'reasoning-delta')).toEqual([{ type: 'reasoning-delta', text: '', signature: SIGNATURE }]);
    expect(ofType(events, 'finish')[0]).toMatchObject({
      finishReason: 'tool-calls',
      usage: { inputTokens: 40, outputTokens: 48, reasoningTokens: 30, totalTokens: 88 },
    });
  });

  it('parallel calls: one tool-call each, in order, with indexes; Gemini ids kept, missing ones synthesized and unique; no args → {}', () => {
    const calls = ofType(map(sseBody(parallelCalls)), 'tool-call').map((event) => event.toolCall);
    expect(calls.map(({ name, arguments: args }) => [name, args])).toEqual([
      ['get_weather', '{"city":"Paris"}'],
      ['get_time', '{"zone":"Europe/Paris"}'],
      ['ping', '{}'],
    ]);
    expect(calls[1]?.id).toBe('fc-gemini-7');
    expect(new Set(calls.map((call) => call.id)).size).toBe(3);
    const deltas = ofType(map(sseBody(parallelCalls)), 'tool-call-delta');
    expect(deltas.map((delta) => delta.index)).toEqual([0, 1, 2]);
  });

  it('SAFETY after some text → content-filter, the text before it kept', () => {
    const events = map(sseBody(safetyStop));
    expect(ofType(events, 'text-delta').map((event) => event.text)).toEqual(['Here is how']);
    expect(events.at(-1)).toEqual({ type: 'finish', finishReason: 'content-filter', usage: { inputTokens: 8, outputTokens: 3, totalTokens: 11 } });
  });

  it('a prompt blocked by promptFeedback.blockReason (no candidates) → finish content-filter, no content', () => {
    expect(map(sseBody(promptBlocked))).toEqual([
      { type: 'start', model: 'gemini-2.5-flash' },
      { type: 'finish', finishReason: 'content-filter', usage: { inputTokens: 7, outputTokens: 0, totalTokens: 7 } },
    ]);
  });

  it('MAX_TOKENS → length; cachedContentTokenCount → cachedInputTokens', () => {
    expect(map(sseBody(maxTokensCached)).at(-1)).toEqual({
      type: 'finish',
      finishReason: 'length',
      usage: { inputTokens: 2000, outputTokens: 6, totalTokens: 2006, cachedInputTokens: 1500 },
    });
  });

  it("Code Assist's { response } envelope is unwrapped", () => {
    expect(map(sseBody(codeAssistWrapped(plainText)))).toEqual(map(sseBody(plainText)));
  });

  it('a stream that ends without a finish reason emits no finish (core reports it truncated)', () => {
    const events = map(sseBody(plainText.slice(0, 2)));
    expect(events.map((event) => event.type)).toEqual(['start', 'text-delta', 'text-delta']);
  });

  it('an error event inside the stream throws a classified KitError; malformed JSON throws invalid_response', () => {
    const mapper = createGeminiStreamMapper(context);
    const emit = () => {};
    mapper.push({ data: JSON.stringify(plainText[0]) }, emit);
    expect(() => mapper.push({ data: JSON.stringify(inStreamError) }, emit)).toThrow(expect.objectContaining({ code: 'server_error', status: 503 }));
    expect(() => createGeminiStreamMapper(context).push({ data: '{"candidates": [' }, emit)).toThrow(KitError);
    try {
      createGeminiStreamMapper(context).push({ data: '{"candidates": [' }, emit);
    } catch (error) {
      expect(error).toMatchObject({ code: 'invalid_response', credentialId: 'key-1' });
    }
  });

  it('lenient: unknown fields, null parts, non-text parts and empty events are ignored', () => {
    const events = map(
      sseBody([
        { candidates: [{ content: null, futureField: 1 }], usageMetadata: null },
        {
          candidates: [
            { content: { parts: [null, { inlineData: { mimeType: 'image/png', data: 'AAAA' } }, { executableCode: { code: 'x' } }, { text: 'ok' }] } },
          ],
        },
        { candidates: [{ finishReason: 'STOP' }] },
      ]) + ': keep-alive comment\r\n\r\ndata: \r\n\r\ndata:  \t \n\n',
    );
    expect(events.map((event) => event.type)).toEqual(['start', 'text-delta', 'finish']);
    expect(events[0]).toEqual({ type: 'start', model: 'gemini-2.5-flash' });
  });
});

describe('parseGeminiResponse (generateContent, non-streaming)', () => {
  const replay = (body: unknown) => {
    const out: StreamEvent[] = [];
    parseGeminiResponse(body, { ...context, stream: false }, (event) => out.push(event));
    return out;
  };

  it('replays one whole answer as the same events a stream gives', () => {
    const whole = {
      candidates: [
        {
          content: {
            role: 'model',
            parts: [
              { text: 'Think', thought: true },
              { text: 'Answer', thoughtSignature: SIGNATURE },
            ],
          },
          finishReason: 'STOP',
        },
      ],
      usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 1, thoughtsTokenCount: 2, totalTokenCount: 6 },
      modelVersion: 'gemini-2.5-pro',
      responseId: 'r-2',
    };
    expect(replay(whole)).toEqual([
      { type: 'start', id: 'r-2', model: 'gemini-2.5-pro' },
      { type: 'reasoning-delta', text: 'Think' },
      { type: 'text-delta', text: 'Answer' },
      { type: 'reasoning-delta', text: '', signature: SIGNATURE },
      { type: 'finish', finishReason: 'stop', usage: { inputTokens: 3, outputTokens: 3, totalTokens: 6, reasoningTokens: 2 } },
    ]);
    expect(replay({ response: whole, traceId: 't' })).toEqual(replay(whole));
  });

  it('an answer without a finish reason still finishes (other); an error body throws', () => {
    expect(replay({ candidates: [{ content: { parts: [{ text: 'x' }] } }] }).at(-1)).toMatchObject({ type: 'finish', finishReason: 'other' });
    expect(() => replay({ error: { code: 429, message: 'slow down', status: 'RESOURCE_EXHAUSTED' } })).toThrow(expect.objectContaining({ code: 'rate_limit' }));
    expect(() => replay(null)).not.toThrow();
  });
});

describe('finish reasons and usage', () => {
  it('maps every documented finish reason', () => {
    const table: Record<string, string> = {
      STOP: 'stop',
      MAX_TOKENS: 'length',
      SAFETY: 'content-filter',
      RECITATION: 'content-filter',
      PROHIBITED_CONTENT: 'content-filter',
      BLOCKLIST: 'content-filter',
      SPII: 'content-filter',
      IMAGE_SAFETY: 'content-filter',
      MALFORMED_FUNCTION_CALL: 'error',
      UNEXPECTED_TOOL_CALL: 'error',
      LANGUAGE: 'other',
      OTHER: 'other',
      FINISH_REASON_UNSPECIFIED: 'other',
    };
    for (const [reason, expected] of Object.entries(table)) expect([reason, mapGeminiFinishReason(reason, false)]).toEqual([reason, expected]);
    expect(mapGeminiFinishReason('STOP', true)).toBe('tool-calls');
    expect(mapGeminiFinishReason('SAFETY', true)).toBe('content-filter');
  });

  it('usage: tool-use prompt tokens count as input; missing counts are 0', () => {
    expect(mapGeminiUsage({ promptTokenCount: 10, toolUsePromptTokenCount: 5, candidatesTokenCount: 2 })).toEqual({
      inputTokens: 15,
      outputTokens: 2,
      totalTokens: 17,
    });
    expect(mapGeminiUsage({ promptTokenCount: 'x' })).toEqual({ inputTokens: 0, outputTokens: 0, totalTokens: 0 });
  });
});
