// A spliced Anthropic stream (a proxy that joined two answers, or a block cut off and the next one started: block 0's
// `input_json_delta` ends mid-string and no `content_block_stop` comes for it) must not hand out a tool call whose
// truncated arguments look like a call: the tool call reports `inputError`, the well-formed one beside it parses.
// Event shapes as in Anthropic's streaming reference (content_block_start / input_json_delta / content_block_stop).
import { createAnthropic } from '@kit/anthropic';
import { describe, expect, it } from 'vitest';
import {
  blockStart,
  blockStop,
  delta,
  MODEL,
  messageDelta,
  messageStart,
  messageStop,
  sseBody,
} from '../../packages/anthropic/src/__fixtures__/anthropic-streams';

const spliced = [
  messageStart(),
  blockStart(0, { type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: {} }),
  delta(0, { type: 'input_json_delta', partial_json: '{"location": "Par' }),
  blockStart(1, { type: 'tool_use', id: 'toolu_01B', name: 'get_weather', input: {} }),
  delta(1, { type: 'input_json_delta', partial_json: '{"location": "Rome"}' }),
  blockStop(1),
  messageDelta('tool_use'),
  messageStop,
];

const anthropic = () =>
  createAnthropic({
    apiKey: 'test-key-anthropic',
    fetch: (async () => new Response(sseBody(spliced), { headers: { 'content-type': 'text/event-stream' } })) as unknown as typeof globalThis.fetch,
  });
const tools = [{ name: 'get_weather', parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] } }];

describe('a spliced Anthropic tool call reports its invalid input', () => {
  it('iterated: the truncated call carries inputError, the complete one its parsed input', async () => {
    const stream = await anthropic().generateChatCompletion({ model: MODEL, prompt: 'Weather in Paris and Rome?', tools });
    const calls = [];
    for await (const event of stream) if (event.type === 'tool-call') calls.push(event.toolCall);
    expect(calls.map((call) => [call.id, call.input, call.inputError?.message])).toEqual([
      ['toolu_01A', undefined, 'arguments: not valid JSON'],
      ['toolu_01B', { location: 'Rome' }, undefined],
    ]);
  });

  it('50 concurrent complete() calls each report it the same way (no state shared between streams)', async () => {
    const provider = anthropic();
    const answers = await Promise.all(Array.from({ length: 50 }, () => provider.complete({ model: MODEL, prompt: 'Weather?', tools, stream: true })));
    for (const answer of answers) {
      expect(answer.toolCalls[0]?.inputError?.message).toBe('arguments: not valid JSON');
      expect(answer.toolCalls[1]?.input).toEqual({ location: 'Rome' });
    }
  });
});
