import { KitError, type StreamEvent } from '@kit/core';
import { describe, expect, it } from 'vitest';
import { context, textResponse, toolCallResponse, usage } from './__fixtures__/openai-streams';
import { parseOpenAIChatResponse } from './openai-chat-response';

const parse = (body: unknown) => {
  const events: StreamEvent[] = [];
  parseOpenAIChatResponse(body, { ...context, stream: false }, (event) => events.push(event));
  return events;
};

describe('parseOpenAIChatResponse', () => {
  it('replays a text answer as start, text, finish', () => {
    expect(parse(textResponse)).toEqual([
      { type: 'start', id: 'chatcmpl-text1', model: 'gpt-4.1-mini-2025-04-14' },
      { type: 'text-delta', text: 'Hello there.' },
      { type: 'finish', finishReason: 'stop', usage: { inputTokens: 5, outputTokens: 3, totalTokens: 8 } },
    ]);
  });

  it('replays tool calls as deltas then complete calls, with tool-calls finish and full usage', () => {
    const events = parse(toolCallResponse);
    expect(events.filter((event) => event.type === 'tool-call')).toEqual([
      { type: 'tool-call', toolCall: { id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' } },
      { type: 'tool-call', toolCall: { id: 'call_2', name: 'get_time', arguments: '{"tz":"CET"}' } },
    ]);
    expect(events.filter((event) => event.type === 'tool-call-delta')).toHaveLength(2);
    expect(events.filter((event) => event.type === 'text-delta')).toHaveLength(0);
    expect(events.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'tool-calls',
      usage: { inputTokens: usage.prompt_tokens, outputTokens: 10, totalTokens: 29, cachedInputTokens: 4, reasoningTokens: 2 },
    });
  });

  it('reads reasoning (reasoning_content or reasoning) before the text', () => {
    const events = parse({
      id: 'r',
      model: 'deepseek-reasoner',
      choices: [{ message: { content: '42', reasoning_content: 'Think.' }, finish_reason: 'stop' }],
    });
    expect(events.map((event) => event.type)).toEqual(['start', 'reasoning-delta', 'text-delta', 'finish']);
    const cerebras = parse({ choices: [{ message: { content: 'Hi', reasoning: 'Greet.' }, finish_reason: 'stop' }] });
    expect(cerebras[1]).toEqual({ type: 'reasoning-delta', text: 'Greet.' });
  });

  it('turns a refusal into text with a content-filter finish', () => {
    const events = parse({ choices: [{ message: { content: null, refusal: "I can't help with that." }, finish_reason: 'stop' }] });
    expect(events[1]).toEqual({ type: 'text-delta', text: "I can't help with that." });
    expect(events.at(-1)).toMatchObject({ finishReason: 'content-filter' });
  });

  it('accepts object arguments from lenient servers', () => {
    const events = parse({ choices: [{ message: { tool_calls: [{ id: 'c', function: { name: 'f', arguments: { a: 1 } } }] }, finish_reason: 'tool_calls' }] });
    expect(events.find((event) => event.type === 'tool-call')).toEqual({ type: 'tool-call', toolCall: { id: 'c', name: 'f', arguments: '{"a":1}' } });
  });

  it('throws for an error body and for a body without choices', () => {
    expect(() => parse({ error: { message: 'quota', code: 'insufficient_quota' } })).toThrowError(expect.objectContaining({ code: 'quota_exceeded' }));
    for (const body of [null, 'text', {}, { choices: 'x' }]) {
      let error: unknown;
      try {
        parse(body);
      } catch (caught) {
        error = caught;
      }
      expect(KitError.is(error) && error.code).toBe('invalid_response');
    }
  });
});
