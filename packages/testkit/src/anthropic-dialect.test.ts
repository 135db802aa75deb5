import { describe, expect, it } from 'vitest';
import { faults, replies, type Behaviour } from './upstream-script';
import { readUntil, readUntilEndOrError, startUpstream, stateAfter } from './test-helpers';
import type { MockUpstream, MockUpstreamOptions } from './mock-upstream';

/** A content block: what `content_block_start` opens and what a client assembles (the fields these tests read). */
interface Block {
  type: string;
  text?: string;
  thinking?: string;
  signature?: string;
  [field: string]: unknown;
}

/** The data of one stream event; which fields are present depends on `type`. */
interface EventData {
  type: string;
  index?: number;
  message?: { usage?: Record<string, number>; [field: string]: unknown };
  content_block?: Block;
  delta?: { type?: string; text?: string; thinking?: string; signature?: string; partial_json?: string; stop_reason?: string | null };
  usage?: Record<string, number>;
}

/** A non-streaming answer (the message object). */
interface MessageBody {
  content: Block[];
  usage: Record<string, number>;
}

/** An error answer. */
interface ErrorBody {
  type: string;
  error: { type: string; message: string };
  request_id?: string;
}

/** One page of `GET /models`. */
interface ModelPage {
  data: { id: string; [field: string]: unknown }[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

interface NamedEvent {
  event: string;
  data: EventData;
}

const versionHeader = { 'anthropic-version': '2023-06-01' };

function start(options: Partial<MockUpstreamOptions> = {}): Promise<MockUpstream> {
  return startUpstream({ dialect: 'anthropic', ...options });
}

function messagesRequest(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: 'claude-test', max_tokens: 256, messages: [{ role: 'user', content: 'Say hello to the world' }], ...extra };
}

function postMessages(
  upstream: MockUpstream,
  body: unknown,
  init: { key?: string; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...versionHeader, ...init.headers };
  if (init.key !== undefined) headers['x-api-key'] = init.key;
  return fetch(`${upstream.url}/messages`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...(init.signal ? { signal: init.signal } : {}),
  });
}

/** Named SSE events (`event:` + one `data:` line each) of a complete body. */
function namedEvents(text: string): NamedEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const match = /^event: (\S+)\ndata: (.*)$/s.exec(block);
      if (!match) throw new Error(`not a named event: ${block}`);
      const data = JSON.parse(match[2]!) as EventData;
      if (data.type !== match[1]) throw new Error(`event ${match[1]} carries type ${String(data.type)}`);
      return { event: match[1]!, data };
    });
}

async function streamEvents(upstream: MockUpstream, extra: Record<string, unknown> = {}): Promise<NamedEvent[]> {
  const response = await postMessages(upstream, messagesRequest({ stream: true, ...extra }));
  expect(response.status).toBe(200);
  return namedEvents(await response.text());
}

/** What a client assembles from the stream: each block's final content, by index. */
function assemble(events: NamedEvent[]): Block[] {
  const blocks: (Block & { partial: string })[] = [];
  for (const { event, data } of events) {
    if (event === 'content_block_start') blocks[data.index!] = { ...data.content_block!, partial: '' };
    if (event === 'content_block_delta') {
      const block = blocks[data.index!]!;
      const delta = data.delta!;
      if (delta.type === 'text_delta') block.text! += delta.text; // a text block opens with text: ''
      if (delta.type === 'thinking_delta') block.thinking! += delta.thinking; // a thinking block opens with thinking: ''
      if (delta.type === 'signature_delta') block.signature = (block.signature ?? '') + delta.signature;
      if (delta.type === 'input_json_delta') block.partial += delta.partial_json;
    }
  }
  return blocks.map(({ partial, ...block }) => (block.type === 'tool_use' ? { ...block, input: partial === '' ? {} : JSON.parse(partial) } : block));
}

async function errorAnswer(behaviour: Behaviour, stream = false): Promise<{ status: number; headers: Headers; body: ErrorBody }> {
  const upstream = await start({ defaultScript: behaviour });
  const response = await postMessages(upstream, messagesRequest({ stream }));
  return { status: response.status, headers: response.headers, body: (await response.json()) as ErrorBody };
}

describe('Anthropic dialect: streaming text', () => {
  it('serves /v1/messages under a /v1 base URL with message_start, block events, a ping, message_delta and message_stop', async () => {
    const upstream = await start({ defaultScript: replies.text('Hello there, world!') });
    expect(upstream.url).toBe(`http://127.0.0.1:${upstream.port}/v1`);
    const response = await postMessages(upstream, messagesRequest({ stream: true }));
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('request-id')).toBe('req_mock_1');
    const events = namedEvents(await response.text());
    expect(events.map((event) => event.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events[0]!.data.message).toEqual({
      id: 'msg_mock_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-test',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1 },
    });
    expect(events[1]!.data).toEqual({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    expect(events.slice(3, 6).map((event) => event.data.delta)).toEqual([
      { type: 'text_delta', text: 'Hello ' },
      { type: 'text_delta', text: 'there, ' },
      { type: 'text_delta', text: 'world!' },
    ]);
    expect(events[6]!.data).toEqual({ type: 'content_block_stop', index: 0 });
    expect(events[7]!.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: 3 },
    });
  });

  it('sprinkles a ping before every fourth delta', async () => {
    const upstream = await start({ defaultScript: replies.text('one two three four five six') });
    const names = (await streamEvents(upstream)).map((event) => event.event);
    const pingPositions = names.flatMap((name, index) => (name === 'ping' ? [index] : []));
    expect(pingPositions).toHaveLength(2);
    // Pings come right before the first and the fifth delta.
    const deltasBefore = pingPositions.map((position) => names.slice(0, position).filter((name) => name === 'content_block_delta').length);
    expect(deltasBefore).toEqual([0, 4]);
  });

  it('maps finish reasons to stop reasons and passes other words through', async () => {
    const upstream = await start({
      defaultScript: [
        replies.text('a', { finishReason: 'length' }),
        replies.text('b', { finishReason: 'content_filter' }),
        replies.text('c', { finishReason: 'stop_sequence' }),
      ],
    });
    const stops: unknown[] = [];
    for (let index = 0; index < 3; index += 1) {
      const events = await streamEvents(upstream);
      stops.push(events.find((event) => event.event === 'message_delta')!.data.delta!.stop_reason);
    }
    expect(stops).toEqual(['max_tokens', 'refusal', 'stop_sequence']);
  });

  it('streams a thinking block with thinking and signature deltas before the text block', async () => {
    const upstream = await start({ defaultScript: replies.text('Four.', { reasoning: 'Two plus two', reasoningSignature: 'c2lnLTE=' }) });
    const events = await streamEvents(upstream);
    expect(events.find((event) => event.event === 'content_block_start')!.data).toEqual({
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'thinking', thinking: '' },
    });
    const deltas = events.filter((event) => event.event === 'content_block_delta').map((event) => [event.data.index, event.data.delta]);
    expect(deltas).toEqual([
      [0, { type: 'thinking_delta', thinking: 'Two ' }],
      [0, { type: 'thinking_delta', thinking: 'plus ' }],
      [0, { type: 'thinking_delta', thinking: 'two' }],
      [0, { type: 'signature_delta', signature: 'c2lnLTE=' }],
      [1, { type: 'text_delta', text: 'Four.' }],
    ]);
    expect(assemble(events)).toEqual([
      { type: 'thinking', thinking: 'Two plus two', signature: 'c2lnLTE=' },
      { type: 'text', text: 'Four.' },
    ]);
    // Block 0 stops before block 1 starts.
    const order = events.filter((event) => event.event.startsWith('content_block_s')).map((event) => `${event.event}:${event.data.index}`);
    expect(order).toEqual(['content_block_start:0', 'content_block_stop:0', 'content_block_start:1', 'content_block_stop:1']);
  });

  it('signs thinking with a generated signature when none is scripted', async () => {
    const upstream = await start({ defaultScript: replies.text('ok', { reasoning: 'hmm' }) });
    const [thinking] = assemble(await streamEvents(upstream));
    expect(thinking).toMatchObject({ type: 'thinking', thinking: 'hmm' });
    expect(typeof thinking!.signature).toBe('string');
    expect(thinking!.signature!.length).toBeGreaterThan(8);
  });

  it('reports scripted usage, cache reads and writes included, in message_start and message_delta', async () => {
    const upstream = await start({
      defaultScript: replies.text('hi', { usage: { inputTokens: 11, outputTokens: 22, cachedInputTokens: 30, cacheCreationInputTokens: 40 } }),
    });
    const events = await streamEvents(upstream);
    expect(events[0]!.data.message!.usage).toEqual({
      input_tokens: 11,
      cache_creation_input_tokens: 40,
      cache_read_input_tokens: 30,
      output_tokens: 1,
    });
    expect(events.find((event) => event.event === 'message_delta')!.data.usage).toEqual({ output_tokens: 22 });
  });

  it('opens and closes an empty text block for an empty answer', async () => {
    const upstream = await start({ defaultScript: replies.text('') });
    const events = await streamEvents(upstream);
    expect(events.map((event) => event.event)).toEqual(['message_start', 'content_block_start', 'content_block_stop', 'message_delta', 'message_stop']);
  });
});

describe('Anthropic dialect: tool use', () => {
  const calls = [
    { id: 'toolu_weather', name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' },
    { name: 'get_time', arguments: '{"timezone":"Europe/Paris"}' },
    { name: 'list_files', arguments: '' },
  ];

  it('streams text, then one tool_use block per call with input_json_delta pieces', async () => {
    const upstream = await start({ defaultScript: replies.toolCalls(calls, { text: 'Checking.', splitArguments: 2 }) });
    const events = await streamEvents(upstream);
    const starts = events.filter((event) => event.event === 'content_block_start').map((event) => event.data);
    expect(starts).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_weather', name: 'get_weather', input: {} } },
      { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'toolu_mock_1_1', name: 'get_time', input: {} } },
      { type: 'content_block_start', index: 3, content_block: { type: 'tool_use', id: 'toolu_mock_1_2', name: 'list_files', input: {} } },
    ]);
    const pieces = events.filter((event) => event.event === 'content_block_delta' && event.data.index === 1).map((event) => event.data.delta);
    expect(pieces).toEqual([
      { type: 'input_json_delta', partial_json: '{"city":"Paris",' },
      { type: 'input_json_delta', partial_json: '"unit":"celsius"}' },
    ]);
    // An empty input still gets one empty partial_json.
    const empty = events.filter((event) => event.event === 'content_block_delta' && event.data.index === 3).map((event) => event.data.delta);
    expect(empty).toEqual([{ type: 'input_json_delta', partial_json: '' }]);
    expect(assemble(events)).toEqual([
      { type: 'text', text: 'Checking.' },
      { type: 'tool_use', id: 'toolu_weather', name: 'get_weather', input: { city: 'Paris', unit: 'celsius' } },
      { type: 'tool_use', id: 'toolu_mock_1_1', name: 'get_time', input: { timezone: 'Europe/Paris' } },
      { type: 'tool_use', id: 'toolu_mock_1_2', name: 'list_files', input: {} },
    ]);
    expect(events.find((event) => event.event === 'message_delta')!.data.delta!.stop_reason).toBe('tool_use');
  });

  it('puts a thinking block before the tool calls when reasoning is scripted', async () => {
    const upstream = await start({ defaultScript: replies.toolCalls([calls[0]!], { reasoning: 'Need weather', reasoningSignature: 'c2ln' }) });
    const blocks = assemble(await streamEvents(upstream));
    expect(blocks.map((block) => block.type)).toEqual(['thinking', 'tool_use']);
    expect(blocks[0]).toEqual({ type: 'thinking', thinking: 'Need weather', signature: 'c2ln' });
  });

  it('answers a non-streaming request with tool_use blocks and parsed input', async () => {
    const upstream = await start({ defaultScript: replies.toolCalls(calls, { reasoning: 'Plan', reasoningSignature: 'c2ln' }) });
    const body = (await (await postMessages(upstream, messagesRequest())).json()) as MessageBody;
    expect(body).toMatchObject({ id: 'msg_mock_1', type: 'message', role: 'assistant', model: 'claude-test', stop_reason: 'tool_use' });
    expect(body.content).toEqual([
      { type: 'thinking', thinking: 'Plan', signature: 'c2ln' },
      { type: 'tool_use', id: 'toolu_weather', name: 'get_weather', input: { city: 'Paris', unit: 'celsius' } },
      { type: 'tool_use', id: 'toolu_mock_1_1', name: 'get_time', input: { timezone: 'Europe/Paris' } },
      { type: 'tool_use', id: 'toolu_mock_1_2', name: 'list_files', input: {} },
    ]);
  });
});

describe('Anthropic dialect: non-streaming', () => {
  it('answers with the message object: thinking (signed) and text blocks, stop reason, usage', async () => {
    const upstream = await start({ defaultScript: replies.text('Hi you', { reasoning: 'Be brief', reasoningSignature: 'c2ln' }) });
    const response = await postMessages(upstream, messagesRequest({ system: 'You are terse.' }));
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('request-id')).toBe('req_mock_1');
    expect(await response.json()).toEqual({
      id: 'msg_mock_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-test',
      content: [
        { type: 'thinking', thinking: 'Be brief', signature: 'c2ln' },
        { type: 'text', text: 'Hi you' },
      ],
      stop_reason: 'end_turn',
      stop_sequence: null,
      // 5 words of prompt + 3 of system; 2 thinking deltas + 1 signature + 2 text deltas.
      usage: { input_tokens: 8, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 5 },
    });
  });

  it('counts text blocks and tool results of structured content as input', async () => {
    const upstream = await start();
    const body = (await (
      await postMessages(
        upstream,
        messagesRequest({
          messages: [
            {
              role: 'user',
              content: [
                { type: 'text', text: 'one two' },
                { type: 'image', source: { type: 'url', url: 'https://x.test/a.png' } },
              ],
            },
            { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'f', input: {} }] },
            { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 'three four five' }] },
          ],
        }),
      )
    ).json()) as MessageBody;
    expect(body.usage.input_tokens).toBe(5);
  });
});

describe('Anthropic dialect: headers, keys and refusals', () => {
  it('matches credentials by x-api-key, and answers 401 authentication_error otherwise', async () => {
    const upstream = await start({
      credentials: [
        { id: 'first', secret: 'test-key-1', script: replies.text('first') },
        { id: 'second', secret: 'test-key-2', script: replies.text('second') },
      ],
    });
    const second = (await (await postMessages(upstream, messagesRequest(), { key: 'test-key-2' })).json()) as MessageBody;
    expect(second.content).toEqual([{ type: 'text', text: 'second' }]);
    const wrong = await postMessages(upstream, messagesRequest(), { key: 'test-key-wrong' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({
      type: 'error',
      error: { type: 'authentication_error', message: 'invalid x-api-key' },
      request_id: wrong.headers.get('request-id'),
    });
    const missing = await postMessages(upstream, messagesRequest());
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as ErrorBody).error.message).toBe('x-api-key header is required');
    // A Bearer token is not an Anthropic API key.
    const bearer = await postMessages(upstream, messagesRequest(), { headers: { authorization: 'Bearer test-key-1' } });
    expect(bearer.status).toBe(401);
    await bearer.text();
    expect(upstream.requests.map((request) => request.credentialId)).toEqual(['second', undefined, undefined, undefined]);
  });

  it('refuses a request without anthropic-version with 400 invalid_request_error', async () => {
    const upstream = await start({ credentials: [{ id: 'first', secret: 'test-key-1' }] });
    const response = await fetch(`${upstream.url}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'test-key-1' },
      body: JSON.stringify(messagesRequest()),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' },
    });
    const models = await fetch(`${upstream.url}/models`, { headers: { 'x-api-key': 'test-key-1' } });
    expect(models.status).toBe(400);
    await models.text();
  });

  it('refuses a body without max_tokens, model or messages', async () => {
    const upstream = await start();
    for (const [field, message] of [
      ['max_tokens', 'max_tokens: Field required'],
      ['model', 'model: Field required'],
      ['messages', 'messages: Field required'],
    ] as const) {
      const { [field]: _removed, ...body } = messagesRequest();
      const response = await postMessages(upstream, body);
      expect(response.status).toBe(400);
      expect(((await response.json()) as ErrorBody).error).toEqual({ type: 'invalid_request_error', message });
    }
  });

  it('sends scripted anthropic-ratelimit-* headers on 2xx answers and request-id on every answer', async () => {
    const upstream = await start({
      credentials: [
        { id: 'a', secret: 'test-key-1', script: replies.text('ok') },
        { id: 'b', secret: 'test-key-2', script: faults.serverError() },
      ],
      rateLimitHeaders: { 'anthropic-ratelimit-requests-remaining': '7', 'anthropic-ratelimit-requests-reset': '2030-01-01T00:00:00Z' },
    });
    const ok = await postMessages(upstream, messagesRequest({ stream: true }), { key: 'test-key-1' });
    expect(ok.headers.get('anthropic-ratelimit-requests-remaining')).toBe('7');
    expect(ok.headers.get('request-id')).toBe('req_mock_1');
    expect(ok.headers.get('x-request-id')).toBeNull();
    await ok.text();
    const failed = await postMessages(upstream, messagesRequest(), { key: 'test-key-2' });
    expect(failed.headers.get('anthropic-ratelimit-requests-remaining')).toBeNull();
    expect(failed.headers.get('request-id')).toBe('req_mock_2');
    await failed.text();
  });

  it('never records the key', async () => {
    const upstream = await start({ credentials: [{ id: 'first', secret: 'test-key-anthropic-1' }] });
    await (await postMessages(upstream, messagesRequest(), { key: 'test-key-anthropic-1' })).text();
    await (await postMessages(upstream, messagesRequest(), { key: 'test-key-anthropic-unknown' })).text();
    await (await fetch(`${upstream.url}/models`, { headers: { ...versionHeader, 'x-api-key': 'test-key-anthropic-1' } })).text();
    expect(upstream.requests).toHaveLength(3);
    expect(upstream.requests[0]!.headers['x-api-key']).toBe('***');
    const recording = JSON.stringify(upstream.requests);
    expect(recording).not.toContain('test-key-anthropic-1');
    expect(recording).not.toContain('test-key-anthropic-unknown');
  });
});

describe('Anthropic dialect: error answers', () => {
  it('renders every fault as { type: "error", error: { type, message }, request_id }', async () => {
    const cases: [Behaviour, number, string][] = [
      [faults.unauthorized(), 401, 'authentication_error'],
      [faults.forbidden(), 403, 'permission_error'],
      [faults.notFound(), 404, 'not_found_error'],
      [faults.rateLimited(), 429, 'rate_limit_error'],
      [{ kind: 'status', status: 413 }, 413, 'request_too_large'],
      [faults.badRequest(), 400, 'invalid_request_error'],
      [faults.serverError(), 500, 'api_error'],
      [faults.overloaded(), 529, 'overloaded_error'],
      [faults.paymentRequired(), 402, 'billing_error'],
      [{ kind: 'status', status: 504 }, 504, 'timeout_error'],
    ];
    for (const [behaviour, status, type] of cases) {
      const answer = await errorAnswer(behaviour);
      expect([answer.status, answer.body.type, answer.body.error.type]).toEqual([status, 'error', type]);
      expect(typeof answer.body.error.message).toBe('string');
      expect(answer.body.request_id).toBe(answer.headers.get('request-id'));
    }
  });

  it('overloaded is 529 "Overloaded" (streaming requests too)', async () => {
    const { status, body } = await errorAnswer(faults.overloaded(), true);
    expect(status).toBe(529);
    expect(body.error).toEqual({ type: 'overloaded_error', message: 'Overloaded' });
  });

  it('rate limits carry retry-after in whole seconds and never retry-after-ms', async () => {
    const seconds = await errorAnswer(faults.rateLimited({ retryAfterSeconds: 30 }));
    expect(seconds.status).toBe(429);
    expect(seconds.headers.get('retry-after')).toBe('30');
    const milliseconds = await errorAnswer(faults.rateLimited({ retryAfterMs: 2500 }));
    expect(milliseconds.headers.get('retry-after')).toBe('3');
    expect(milliseconds.headers.get('retry-after-ms')).toBeNull();
    const none = await errorAnswer(faults.rateLimited());
    expect(none.headers.get('retry-after')).toBeNull();
  });

  it('context length: 400 "prompt is too long: N tokens > M maximum"', async () => {
    const { status, body } = await errorAnswer(faults.contextLength());
    expect(status).toBe(400);
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toMatch(/^prompt is too long: \d+ tokens > 200000 maximum$/);
  });

  it('an empty credit balance is a 400 invalid_request_error that only its message tells apart', async () => {
    const { status, body } = await errorAnswer(faults.insufficientQuota());
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ type: 'invalid_request_error' });
    expect(body.error.message).toMatch(/credit balance is too low/);
  });

  it('uses a scripted message and keeps the status of a bare status behaviour', async () => {
    const scripted = await errorAnswer(faults.serverError(500, 'Something odd'));
    expect(scripted.body.error).toEqual({ type: 'api_error', message: 'Something odd' });
    const bare503 = await errorAnswer({ kind: 'status', status: 503 });
    expect([bare503.status, bare503.body.error.type]).toEqual([503, 'api_error']);
    const bare529 = await errorAnswer({ kind: 'status', status: 529 });
    expect([bare529.status, bare529.body.error.type]).toEqual([529, 'overloaded_error']);
  });

  it('answers bodies over the limit with 413 request_too_large and invalid JSON with 400', async () => {
    const upstream = await start({ maxBodyBytes: 1000 });
    const large = await postMessages(upstream, messagesRequest({ padding: 'x'.repeat(5000) }));
    expect(large.status).toBe(413);
    expect(((await large.json()) as ErrorBody).error.type).toBe('request_too_large');
    const broken = await postMessages(upstream, '{"model": "claude-test", "messages": [');
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as ErrorBody).error.type).toBe('invalid_request_error');
    const unknown = await fetch(`${upstream.url}/complete`, { method: 'POST', headers: versionHeader, body: '{}' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as ErrorBody).error.type).toBe('not_found_error');
  });
});

describe('Anthropic dialect: mid-stream faults', () => {
  it('error-mid-stream with 0 content events sends the error event right after message_start', async () => {
    const upstream = await start({ defaultScript: faults.errorMidStream(0) });
    const response = await postMessages(upstream, messagesRequest({ stream: true }));
    expect(response.status).toBe(200);
    const text = await response.text();
    const events = namedEvents(text);
    expect(events.map((event) => event.event)).toEqual(['message_start', 'error']);
    expect(text.endsWith('event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n')).toBe(true);
  });

  it('error-mid-stream after N text deltas keeps the partial output before the error', async () => {
    const upstream = await start({ defaultScript: faults.errorMidStream(2, { type: 'api_error', message: 'Internal server error' }) });
    const events = await streamEvents(upstream);
    const deltas = events.filter((event) => event.event === 'content_block_delta');
    expect(deltas).toHaveLength(2);
    expect(events.at(-1)).toEqual({ event: 'error', data: { type: 'error', error: { type: 'api_error', message: 'Internal server error' } } });
    expect(events.some((event) => event.event === 'message_stop' || event.event === 'message_delta')).toBe(false);
  });

  it('error-mid-stream without a stream answers 200 with the error object', async () => {
    const upstream = await start({ defaultScript: faults.errorMidStream(1) });
    const response = await postMessages(upstream, messagesRequest());
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
  });

  it('reset-mid-stream sends N text deltas, then the connection breaks', async () => {
    const upstream = await start({ defaultScript: faults.resetMidStream(2, 'alpha beta gamma delta') });
    const response = await postMessages(upstream, messagesRequest({ stream: true }));
    const { text, error } = await readUntilEndOrError(response);
    expect(error).toBeDefined();
    const deltas = namedEvents(text)
      .filter((event) => event.event === 'content_block_delta')
      .map((event) => event.data.delta!.text);
    expect(deltas).toEqual(['alpha ', 'beta ']);
  });

  it('stall-mid-stream sends N deltas, then nothing until the client gives up', async () => {
    const upstream = await start({ defaultScript: faults.stallMidStream(1) });
    const controller = new AbortController();
    const response = await postMessages(upstream, messagesRequest({ stream: true }), { signal: controller.signal });
    const reader = response.body!.getReader();
    const text = await readUntil(reader, (sofar) => sofar.includes('content_block_delta'));
    expect(namedEvents(text).filter((event) => event.event === 'content_block_delta')).toHaveLength(1);
    expect(await stateAfter(reader.read(), 100)).toBe('pending');
    controller.abort();
    await upstream.waitForIdle();
    expect(upstream.requests[0]!.aborted).toBe(true);
  });

  it('malformed sends N deltas, a data line that is not JSON, then message_stop', async () => {
    const upstream = await start({ defaultScript: faults.malformed(1) });
    const text = await (await postMessages(upstream, messagesRequest({ stream: true }))).text();
    const blocks = text.split('\n\n').filter((block) => block.trim() !== '');
    const broken = blocks.filter((block) => {
      try {
        JSON.parse(block.split('\ndata: ')[1] ?? '');
        return false;
      } catch {
        return true;
      }
    });
    expect(broken).toHaveLength(1);
    expect(blocks.at(-1)).toBe('event: message_stop\ndata: {"type":"message_stop"}');
    expect(blocks.filter((block) => block.includes('"text_delta"'))).toHaveLength(2); // one good delta, the broken one
  });
});

describe('Anthropic dialect: models', () => {
  const models = ['claude-a', 'claude-b', 'claude-c', 'claude-d', 'claude-e'].map((id) => ({ id }));

  async function listModels(upstream: MockUpstream, query = ''): Promise<ModelPage> {
    const response = await fetch(`${upstream.url}/models${query}`, { headers: versionHeader });
    expect(response.status).toBe(200);
    return (await response.json()) as ModelPage;
  }

  it('lists models with display_name and created_at, paginated by limit and after_id', async () => {
    const upstream = await start({ models: [...models.slice(0, 4), { id: 'claude-e', displayName: 'Claude E', createdAt: '2025-05-01T00:00:00Z' }] });
    const first = await listModels(upstream, '?limit=2');
    expect(first).toEqual({
      data: [
        { type: 'model', id: 'claude-a', display_name: 'claude-a', created_at: '2025-01-01T00:00:00Z' },
        { type: 'model', id: 'claude-b', display_name: 'claude-b', created_at: '2025-01-01T00:00:00Z' },
      ],
      has_more: true,
      first_id: 'claude-a',
      last_id: 'claude-b',
    });
    const second = await listModels(upstream, `?limit=2&after_id=${first.last_id}`);
    expect([second.data.map((model) => model.id), second.has_more]).toEqual([['claude-c', 'claude-d'], true]);
    const third = await listModels(upstream, `?limit=2&after_id=${second.last_id}`);
    expect(third).toEqual({
      data: [{ type: 'model', id: 'claude-e', display_name: 'Claude E', created_at: '2025-05-01T00:00:00Z' }],
      has_more: false,
      first_id: 'claude-e',
      last_id: 'claude-e',
    });
  });

  it('pages backwards with before_id, defaults to 20 per page, and lists the default model when none are configured', async () => {
    const upstream = await start({ models });
    const before = await listModels(upstream, '?limit=2&before_id=claude-d');
    expect([before.data.map((model) => model.id), before.has_more]).toEqual([['claude-b', 'claude-c'], true]);
    const all = await listModels(upstream);
    expect([all.data.length, all.has_more]).toEqual([5, false]);
    const unknown = await listModels(upstream, '?after_id=claude-zzz');
    expect([unknown.data, unknown.first_id, unknown.has_more]).toEqual([[], null, false]);
    const plain = await start();
    expect((await listModels(plain)).data.map((model) => model.id)).toEqual(['claude-sonnet-4-5']);
  });
});
