import { afterEach, describe, expect, it } from 'vitest';
import type { CustomDialect } from './custom-dialect';
import { createMockUpstream, type MockUpstream } from './mock-upstream';
import { relayDialect } from './relay-fixture.test-helper';
import { readUntil } from './test-helpers';
import { faults, replies } from './upstream-script';

const started: MockUpstream[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((upstream) => upstream.close()));
});

async function start(dialect: CustomDialect, options: Parameters<typeof createMockUpstream>[0] extends infer O ? Partial<O> : never = {}) {
  const upstream = await createMockUpstream({ ...options, dialect });
  started.push(upstream);
  return upstream;
}

const relayKeys = { alpha: 'test-key-relay-alpha-0001', beta: 'test-key-relay-beta-0002', gamma: 'test-key-relay-gamma-0003' };

function generate(upstream: MockUpstream, key: string | undefined, body: Record<string, unknown>, signal?: AbortSignal) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key !== undefined) headers['x-relay-key'] = key;
  return fetch(`${upstream.url}/generate`, { method: 'POST', headers, body: JSON.stringify(body), ...(signal ? { signal } : {}) });
}

/** `[event, data]` pairs of an SSE text with named events. */
function sseEvents(text: string): [string | undefined, unknown][] {
  return text
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => {
      const event = /^event: (.*)$/m.exec(frame)?.[1];
      const data = /^data: (.*)$/m.exec(frame)?.[1] ?? '';
      return [event, JSON.parse(data) as unknown];
    });
}

describe('custom dialects', () => {
  it('serves a custom SSE dialect: its route, its key header, named events, usage and the request model', async () => {
    const upstream = await start(relayDialect, {
      credentials: [{ id: 'alpha', secret: relayKeys.alpha, script: replies.text('One two three', { usage: { inputTokens: 9, outputTokens: 3 } }) }],
    });
    expect(upstream.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/relay\/v2$/);
    expect(upstream.dialect).toBe('relay');
    const response = await generate(upstream, relayKeys.alpha, { model: 'relay-large', stream: true, input: [{ from: 'user', text: 'Count' }] });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('x-request-id')).toBe('req_mock_1');
    expect(sseEvents(await response.text())).toEqual([
      ['begin', { id: 'relay-1', model: 'relay-large' }],
      ['text', { text: 'One ' }],
      ['text', { text: 'two ' }],
      ['text', { text: 'three' }],
      ['end', { reason: 'done', tokens: { in: 9, out: 3 } }],
    ]);
    expect(upstream.requests[0]).toMatchObject({ credentialId: 'alpha', method: 'POST', path: '/relay/v2/generate' });
    // Its key header is not one testkit knows, yet the recorded value is masked (the presented key is scrubbed).
    expect(upstream.requests[0]?.headers['x-relay-key']).toBe('***');
    expect(JSON.stringify(upstream.requests)).not.toContain(relayKeys.alpha);
  });

  it('answers a non-streaming request with the dialect’s body, finish reason in its own words', async () => {
    const upstream = await start(relayDialect, { defaultScript: replies.text('Cut short', { finishReason: 'length' }) });
    const response = await generate(upstream, relayKeys.alpha, { input: [{ from: 'user', text: 'Write a long essay' }] });
    expect(response.headers.get('content-type')).toBe('application/json');
    // Unscripted usage is estimated: input = the words of every string in the body ('user' + 4), output = the deltas.
    expect(await response.json()).toEqual({
      id: 'relay-1',
      model: 'relay-small',
      text: 'Cut short',
      tools: [],
      reason: 'cut_at_limit',
      tokens: { in: 5, out: 2 },
    });
  });

  it('splits parallel tool calls into interleaved pieces, the first of each naming the call', async () => {
    const calls = [
      { id: 'call_a', name: 'lookup', arguments: '{"q":"paris"}' },
      { id: 'call_b', name: 'clock', arguments: '{"tz":"UTC"}' },
    ];
    const upstream = await start(relayDialect, { defaultScript: replies.toolCalls(calls, { splitArguments: 2 }) });
    const events = sseEvents(await (await generate(upstream, undefined, { stream: true, input: [] })).text());
    expect(events.filter(([event]) => event === 'tool')).toEqual([
      ['tool', { slot: 0, callId: 'call_a', tool: 'lookup', args: '{"q":"' }],
      ['tool', { slot: 1, callId: 'call_b', tool: 'clock', args: '{"tz":' }],
      ['tool', { slot: 0, args: 'paris"}' }],
      ['tool', { slot: 1, args: '"UTC"}' }],
    ]);
    expect(events.at(-1)?.[1]).toMatchObject({ reason: 'wants_tools' });
    const whole = await (await generate(upstream, undefined, { input: [] })).json();
    expect(whole.tools).toEqual([
      { callId: 'call_a', tool: 'lookup', args: '{"q":"paris"}' },
      { callId: 'call_b', tool: 'clock', args: '{"tz":"UTC"}' },
    ]);
  });

  it('gives each credential its own fault script, in the dialect’s error shape', async () => {
    const upstream = await start(relayDialect, {
      credentials: [
        { id: 'alpha', secret: relayKeys.alpha, script: faults.rateLimited({ retryAfterSeconds: 20 }) },
        { id: 'beta', secret: relayKeys.beta, script: [faults.insufficientQuota(), replies.text('Recovered')] },
        { id: 'gamma', secret: relayKeys.gamma, script: faults.serverError(502, 'Upstream relay hop failed') },
      ],
    });
    const body = { stream: true, input: [{ from: 'user', text: 'Hi' }] };
    const limited = await generate(upstream, relayKeys.alpha, body);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('20');
    expect(await limited.json()).toEqual({ fault: { kind: 'slow_down', detail: 'Too many requests: slow down.', retryInSeconds: 20 } });
    const quota = await generate(upstream, relayKeys.beta, body);
    expect([quota.status, (await quota.json()).fault.kind]).toEqual([429, 'quota_spent']);
    expect(sseEvents(await (await generate(upstream, relayKeys.beta, body)).text()).map(([event]) => event)).toEqual(['begin', 'text', 'end']);
    const failed = await generate(upstream, relayKeys.gamma, body);
    expect([failed.status, await failed.json()]).toEqual([502, { fault: { kind: 'relay_failed', detail: 'Upstream relay hop failed' } }]);
    const wrongKey = await generate(upstream, 'test-key-relay-unknown-9999', body);
    expect([wrongKey.status, await wrongKey.json()]).toEqual([401, { fault: { kind: 'bad_key', detail: 'The API key is not valid.' } }]);
    expect(upstream.requests.map((request) => request.credentialId ?? 'none')).toEqual(['alpha', 'beta', 'beta', 'gamma', 'none']);
    expect(JSON.stringify(upstream.requests)).not.toContain('test-key-relay-unknown-9999');
  });

  it('runs mid-stream faults in the dialect: an error event, a malformed frame, a reset', async () => {
    const upstream = await start(relayDialect, {
      defaultScript: [faults.errorMidStream(2, { type: 'relay_busy', message: 'Relay is busy' }), faults.malformed(1), faults.resetMidStream(1)],
    });
    const body = { stream: true, input: [] };
    const errored = sseEvents(await (await generate(upstream, undefined, body)).text());
    expect(errored.map(([event]) => event)).toEqual(['begin', 'text', 'text', 'error']);
    expect(errored.at(-1)?.[1]).toEqual({ fault: { kind: 'relay_busy', detail: 'Relay is busy' } });
    const malformed = await (await generate(upstream, undefined, body)).text();
    // begin, one delta, the malformed frame, then the end frame (this dialect has no terminator).
    expect(malformed.split('\n\n').filter(Boolean)).toHaveLength(4);
    expect(malformed).toContain('data: {"id":"relay-2","trunc\n\n');
    expect(() => sseEvents(malformed)).toThrow(SyntaxError);
    const reset = await generate(upstream, undefined, body);
    await expect(reset.text()).rejects.toThrow();
  });

  it('answers unknown routes and bad JSON in the dialect’s shape, and lists models its way', async () => {
    const upstream = await start(relayDialect, { models: [{ id: 'relay-small' }, { id: 'relay-large' }] });
    const unknown = await fetch(`${upstream.url}/nothing-here`, { method: 'POST' });
    expect([unknown.status, await unknown.json()]).toEqual([404, { fault: { kind: 'relay_failed', detail: 'No such endpoint.' } }]);
    const badJson = await fetch(`${upstream.url}/generate`, { method: 'POST', body: '{not json' });
    expect(badJson.status).toBe(400);
    expect((await badJson.json()).fault.detail).toBe('The request body is not valid JSON.');
    expect(await (await fetch(`${upstream.url}/models`)).json()).toEqual({ models: ['relay-small', 'relay-large'] });
  });

  it('frames NDJSON dialects one object per line, with the mock’s abort tracking', async () => {
    const ndjson: CustomDialect = {
      ...relayDialect,
      name: 'lines',
      framing: 'ndjson',
      basePath: '',
      route: (method, pathname) => (method === 'POST' && pathname === '/chat' ? 'generate' : undefined),
      readSecret: (headers) => headers.authorization?.replace(/^Token /, ''),
      start: undefined,
      textDelta: (text) => ({ data: { t: text } }),
      finish: ({ finishReason }) => [{ data: { end: finishReason } }, { data: { bye: true } }],
    };
    const upstream = await start(ndjson, { defaultScript: [replies.text('a b'), faults.stallMidStream(1)] });
    const post = (signal?: AbortSignal) =>
      fetch(`${upstream.url}/chat`, { method: 'POST', body: JSON.stringify({ stream: true }), ...(signal ? { signal } : {}) });
    const first = await post();
    expect(first.headers.get('content-type')).toBe('application/x-ndjson');
    expect(await first.text()).toBe('{"t":"a "}\n{"t":"b"}\n{"end":"stop"}\n{"bye":true}\n');
    const controller = new AbortController();
    const stalled = await post(controller.signal);
    await readUntil(stalled.body!.getReader(), (text) => text.includes('\n'));
    controller.abort();
    await upstream.waitForIdle();
    expect(upstream.requests[1]?.aborted).toBe(true);
  });

  it('refuses a malformed dialect description when the upstream is created', async () => {
    await expect(createMockUpstream({ dialect: { ...relayDialect, framing: 'xml' as never } })).rejects.toThrow(/framing must be 'sse' or 'ndjson'/);
    await expect(createMockUpstream({ dialect: { ...relayDialect, textDelta: undefined as never } })).rejects.toThrow(/textDelta must be a function/);
  });
});
