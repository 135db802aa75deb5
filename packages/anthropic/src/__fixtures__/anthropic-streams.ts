// Fixtures written from Anthropic's Messages API reference (streaming events, message objects, error shapes).
// Every event carries its SSE name and a `type` field in its data, as the API sends them.

export type WireEvent = Record<string, unknown> & { type: string };

/** Encodes events as the API's SSE body: `event: <type>\ndata: <json>\n\n`. */
export const sseBody = (events: readonly WireEvent[]) => events.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`).join('');

export const MODEL = 'claude-sonnet-5-5';

export const messageStart = (usage: Record<string, unknown> = { input_tokens: 25, output_tokens: 1 }, id = 'msg_01Test'): WireEvent => ({
  type: 'message_start',
  message: { id, type: 'message', role: 'assistant', content: [], model: MODEL, stop_reason: null, stop_sequence: null, usage },
});
export const blockStart = (index: number, content_block: Record<string, unknown>): WireEvent => ({ type: 'content_block_start', index, content_block });
export const delta = (index: number, delta: Record<string, unknown>): WireEvent => ({ type: 'content_block_delta', index, delta });
export const blockStop = (index: number): WireEvent => ({ type: 'content_block_stop', index });
export const messageDelta = (stop_reason: string, usage: Record<string, unknown> = { output_tokens: 15 }): WireEvent => ({
  type: 'message_delta',
  delta: { stop_reason, stop_sequence: null },
  usage,
});
export const messageStop: WireEvent = { type: 'message_stop' };
export const ping: WireEvent = { type: 'ping' };
export const errorEvent = (type: string, message: string): WireEvent => ({ type: 'error', error: { type, message } });

const textBlock = (index: number, ...pieces: string[]) => [
  blockStart(index, { type: 'text', text: '' }),
  ...pieces.map((text) => delta(index, { type: 'text_delta', text })),
  blockStop(index),
];

/** Plain text in three deltas. */
export const plainText: WireEvent[] = [messageStart(), ping, ...textBlock(0, 'Hello', ', ', 'world!'), messageDelta('end_turn'), messageStop];

/** Text, then two tool calls whose input arrives in pieces. */
export const parallelTools: WireEvent[] = [
  messageStart({ input_tokens: 472, output_tokens: 2 }),
  ...textBlock(0, 'Let me check both cities.'),
  blockStart(1, { type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: {} }),
  delta(1, { type: 'input_json_delta', partial_json: '' }),
  delta(1, { type: 'input_json_delta', partial_json: '{"city": "Pa' }),
  delta(1, { type: 'input_json_delta', partial_json: 'ris"}' }),
  blockStop(1),
  blockStart(2, { type: 'tool_use', id: 'toolu_01B', name: 'get_weather', input: {} }),
  delta(2, { type: 'input_json_delta', partial_json: '{"city":' }),
  ping,
  delta(2, { type: 'input_json_delta', partial_json: ' "Rome"}' }),
  blockStop(2),
  messageDelta('tool_use', { output_tokens: 89 }),
  messageStop,
];

/** A tool call without arguments: no `input_json_delta` at all. */
export const emptyToolInput: WireEvent[] = [
  messageStart(),
  blockStart(0, { type: 'tool_use', id: 'toolu_01C', name: 'get_time', input: {} }),
  blockStop(0),
  messageDelta('tool_use', { output_tokens: 12 }),
  messageStop,
];

export const SIGNATURE = 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds';

/** Extended thinking: thinking deltas, the signature, then the text. */
export const thinkingThenText: WireEvent[] = [
  messageStart(),
  blockStart(0, { type: 'thinking', thinking: '', signature: '' }),
  delta(0, { type: 'thinking_delta', thinking: 'The user wants 2+2. ' }),
  delta(0, { type: 'thinking_delta', thinking: 'That is 4.' }),
  delta(0, { type: 'signature_delta', signature: SIGNATURE }),
  blockStop(0),
  ...textBlock(1, 'It is 4.'),
  messageDelta('end_turn', { output_tokens: 40 }),
  messageStop,
];

export const REDACTED_DATA = 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP';

/** A redacted thinking block (encrypted by the safety system) before the text. */
export const redactedThinking: WireEvent[] = [
  messageStart(),
  blockStart(0, { type: 'redacted_thinking', data: REDACTED_DATA }),
  blockStop(0),
  ...textBlock(1, 'Here is the answer.'),
  messageDelta('end_turn'),
  messageStop,
];

/** Cache reads and writes: `message_start` has the input side, `message_delta` the final output count. */
export const cachedUsage: WireEvent[] = [
  messageStart({ input_tokens: 20, cache_creation_input_tokens: 1000, cache_read_input_tokens: 3000, output_tokens: 1 }),
  ...textBlock(0, 'Cached.'),
  messageDelta('max_tokens', { output_tokens: 512 }),
  messageStop,
];

/** Overloaded before any content: the stream may fail over. */
export const overloadedBeforeContent: WireEvent[] = [messageStart(), ping, errorEvent('overloaded_error', 'Overloaded')];

/** Overloaded after some text: the error is thrown from the iterator, the text read so far stays. */
export const overloadedAfterContent: WireEvent[] = [
  messageStart(),
  blockStart(0, { type: 'text', text: '' }),
  delta(0, { type: 'text_delta', text: 'Partial ans' }),
  errorEvent('overloaded_error', 'Overloaded'),
];

/** Events and blocks a newer API version may add: ignored. */
export const unknownEvents: WireEvent[] = [
  messageStart(),
  { type: 'future_event', payload: { anything: true } },
  blockStart(0, { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} }),
  delta(0, { type: 'input_json_delta', partial_json: '{"query": "x"}' }),
  blockStop(0),
  blockStart(1, { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] }),
  blockStop(1),
  ...textBlock(2, 'Found it.'),
  delta(2, { type: 'citations_delta', citation: { type: 'web_search_result_location', url: 'https://example.com' } }),
  messageDelta('end_turn'),
  messageStop,
];

/** The non-streaming answer with every block kind. */
export const wholeMessage = {
  id: 'msg_01Whole',
  type: 'message',
  role: 'assistant',
  model: MODEL,
  content: [
    { type: 'thinking', thinking: 'Check the weather first.', signature: SIGNATURE },
    { type: 'text', text: 'Checking.' },
    { type: 'tool_use', id: 'toolu_01D', name: 'get_weather', input: { city: 'Paris' } },
    { type: 'tool_use', id: 'toolu_01E', name: 'get_time', input: {} },
  ],
  stop_reason: 'tool_use',
  stop_sequence: null,
  usage: { input_tokens: 100, cache_creation_input_tokens: 0, cache_read_input_tokens: 50, output_tokens: 30 },
};

/** Error bodies as the API sends them: `{ type: 'error', error: { type, message }, request_id }`. */
export const errorBody = (type: string, message: string) => ({ type: 'error', error: { type, message }, request_id: 'req_011Test' });
