import { KitError, type CredentialLease, type CredentialSource, type KitEvent, type StreamEvent } from '@kit/core';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  cachedUsage,
  emptyToolInput,
  errorBody,
  overloadedAfterContent,
  overloadedBeforeContent,
  parallelTools,
  plainText,
  REDACTED_DATA,
  redactedThinking,
  SIGNATURE,
  sseBody,
  thinkingThenText,
  wholeMessage,
  type WireEvent,
} from './__fixtures__/anthropic-streams';
import { createAnthropic } from './anthropic-provider';

const MESSAGES_URL = 'https://api.anthropic.com/v1/messages';
const MODELS_URL = 'https://api.anthropic.com/v1/models';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  server.resetHandlers();
  vi.unstubAllEnvs();
});
afterAll(() => server.close());

const sse = (events: readonly WireEvent[], headers: Record<string, string> = {}) =>
  new HttpResponse(sseBody(events), { headers: { 'content-type': 'text/event-stream', 'request-id': 'req_1', ...headers } });

interface Seen {
  headers: Headers;
  body: Record<string, unknown>;
}
function onMessages(respond: (seen: Seen, index: number) => Response): Seen[] {
  const seen: Seen[] = [];
  server.use(
    http.post(MESSAGES_URL, async ({ request }) => {
      const entry = { headers: request.headers, body: (await request.json()) as Record<string, unknown> };
      seen.push(entry);
      return respond(entry, seen.length - 1);
    }),
  );
  return seen;
}

/** A pool that hands out its keys in turn, the way a KeyManager is plugged in. */
function pool(keys: string[]): CredentialSource & { failures: string[]; successes: string[] } {
  let next = 0;
  const failures: string[] = [];
  const successes: string[] = [];
  return {
    failures,
    successes,
    acquire: async (): Promise<CredentialLease> => {
      const index = next++ % keys.length;
      return { id: `key-${index + 1}`, secret: keys[index] as string, kind: 'api-key' };
    },
    reportSuccess: (id) => {
      successes.push(id);
    },
    reportFailure: (id) => {
      failures.push(id);
    },
  };
}

async function collect(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe('createAnthropic over the Messages API', () => {
  it('streams plain text with ANTHROPIC_API_KEY: x-api-key, anthropic-version, rate limits, no system prompt', async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', 'test-key-1');
    const seen = onMessages(() => sse(plainText, { 'anthropic-ratelimit-requests-remaining': '49', 'anthropic-ratelimit-requests-limit': '50' }));
    const events: KitEvent[] = [];
    const anthropic = createAnthropic({ onEvent: (event) => events.push(event) });
    expect([anthropic.name, anthropic.type, anthropic.getDefaultModel()]).toEqual(['anthropic', 'anthropic', 'claude-sonnet-5-5']);
    const received = await collect(await anthropic.generateChatCompletion({ prompt: 'Hi' }));
    expect(received.map((event) => (event.type === 'text-delta' ? event.text : event.type))).toEqual(['start', 'Hello', ', ', 'world!', 'finish']);
    expect(seen[0]?.headers.get('x-api-key')).toBe('test-key-1');
    expect(seen[0]?.headers.get('anthropic-version')).toBe('2023-06-01');
    expect(seen[0]?.headers.has('authorization')).toBe(false);
    expect(seen[0]?.headers.has('anthropic-beta')).toBe(false);
    expect(seen[0]?.body).toEqual({ model: 'claude-sonnet-5-5', max_tokens: 128_000, messages: [{ role: 'user', content: 'Hi' }], stream: true });
    expect(events.find((event) => event.type === 'rate-limit')).toMatchObject({
      credentialId: 'default',
      rateLimit: { requestsRemaining: 49, requestsLimit: 50 },
    });
  });

  it('says which variable to set when there is no key', async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', '');
    await expect(createAnthropic().complete({ prompt: 'Hi' })).rejects.toMatchObject({
      code: 'invalid_config',
      message: expect.stringContaining('ANTHROPIC_API_KEY'),
    });
  });

  it('text + parallel tool calls: a completion whose message is ready to append', async () => {
    onMessages(() => sse(parallelTools));
    const completion = await createAnthropic({ apiKey: 'test-key-1' }).complete({ prompt: 'Weather?', stream: true });
    expect(completion).toMatchObject({
      id: 'msg_01Test',
      text: 'Let me check both cities.',
      finishReason: 'tool-calls',
      usage: { inputTokens: 472, outputTokens: 89 },
    });
    expect(completion.toolCalls).toEqual([
      { id: 'toolu_01A', name: 'get_weather', arguments: '{"city": "Paris"}', input: { city: 'Paris' } },
      { id: 'toolu_01B', name: 'get_weather', arguments: '{"city": "Rome"}', input: { city: 'Rome' } },
    ]);
    expect(completion.message.toolCalls).toHaveLength(2);
  });

  it('tool_use with empty input becomes "{}" and is sent back as input {}', async () => {
    const seen = onMessages((_, index) => (index === 0 ? sse(emptyToolInput) : sse(plainText)));
    const anthropic = createAnthropic({ apiKey: 'test-key-1' });
    const first = await anthropic.complete({ prompt: 'Time?', stream: true });
    expect(first.toolCalls).toEqual([{ id: 'toolu_01C', name: 'get_time', arguments: '{}', input: {} }]);
    await anthropic.complete({
      messages: [{ role: 'user', content: 'Time?' }, first.message, { role: 'tool', toolCallId: 'toolu_01C', content: '12:00' }],
      stream: true,
    });
    expect(seen[1]?.body.messages).toEqual([
      { role: 'user', content: 'Time?' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01C', name: 'get_time', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01C', content: '12:00' }] },
    ]);
  });

  it('thinking + signature + text round-trips: the signed thinking block is sent back before the text', async () => {
    const seen = onMessages((_, index) => (index === 0 ? sse(thinkingThenText) : sse(plainText)));
    const anthropic = createAnthropic({ apiKey: 'test-key-1' });
    const thinking = { type: 'enabled', budget_tokens: 2000 };
    const first = await anthropic.complete({ prompt: '2+2?', stream: true, providerOptions: { anthropic: { thinking } } });
    expect(first).toMatchObject({ text: 'It is 4.', reasoning: 'The user wants 2+2. That is 4.' });
    expect(seen[0]?.body.thinking).toEqual(thinking);
    await anthropic.complete({
      messages: [{ role: 'user', content: '2+2?' }, first.message, { role: 'user', content: 'And 3+3?' }],
      stream: true,
      providerOptions: { anthropic: { thinking } },
    });
    expect((seen[1]!.body.messages as unknown[])[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'The user wants 2+2. That is 4.', signature: SIGNATURE },
        { type: 'text', text: 'It is 4.' },
      ],
    });
  });

  it('redacted thinking round-trips as a redacted_thinking block', async () => {
    const seen = onMessages((_, index) => (index === 0 ? sse(redactedThinking) : sse(plainText)));
    const anthropic = createAnthropic({ apiKey: 'test-key-1' });
    const first = await anthropic.complete({ prompt: 'Hi', stream: true });
    expect(first.text).toBe('Here is the answer.');
    await anthropic.complete({ messages: [{ role: 'user', content: 'Hi' }, first.message, { role: 'user', content: 'More' }], stream: true });
    expect((seen[1]!.body.messages as unknown[])[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'redacted_thinking', data: REDACTED_DATA },
        { type: 'text', text: 'Here is the answer.' },
      ],
    });
  });

  it('usage totals with cache reads and writes', async () => {
    onMessages(() => sse(cachedUsage));
    const completion = await createAnthropic({ apiKey: 'test-key-1' }).complete({ prompt: 'Hi', stream: true });
    expect(completion.usage).toEqual({ inputTokens: 4020, outputTokens: 512, totalTokens: 4532, cachedInputTokens: 3000, cacheWriteInputTokens: 1000 });
    expect(completion.finishReason).toBe('length');
  });

  it('non-streaming (max_tokens within the 10-minute rule): the JSON message is replayed as the same events', async () => {
    const seen = onMessages(() => HttpResponse.json(wholeMessage));
    const completion = await createAnthropic({ apiKey: 'test-key-1' }).complete({ prompt: 'Weather?', maxTokens: 4096 });
    expect(seen[0]?.body).not.toHaveProperty('stream');
    expect(seen[0]?.headers.get('accept')).toBe('application/json');
    expect(completion).toMatchObject({
      id: 'msg_01Whole',
      model: 'claude-sonnet-5-5',
      text: 'Checking.',
      reasoning: 'Check the weather first.',
      finishReason: 'tool-calls',
      usage: { inputTokens: 150, outputTokens: 30, totalTokens: 180, cachedInputTokens: 50 },
    });
    expect(completion.toolCalls.map((call) => call.arguments)).toEqual(['{"city":"Paris"}', '{}']);
  });

  it('sends system text parts as separate blocks and a text/plain document as a text source', async () => {
    // The shapes the Messages API reference documents: `system` as an array of text blocks, and a plain-text
    // document as `source: { type: 'text', media_type: 'text/plain', data }` (Citations guide); base64
    // document sources are for PDFs only. The handler refuses what the API would not take.
    const seen = onMessages(({ body }) => {
      const documents = (body.messages as { content: { type: string; source?: { type: string; media_type?: string } }[] }[])
        .flatMap((message) => (Array.isArray(message.content) ? message.content : []))
        .filter((block) => block.type === 'document');
      const invalid = documents.some((block) => block.source?.type === 'base64' && block.source.media_type !== 'application/pdf');
      return invalid
        ? HttpResponse.json(errorBody('invalid_request_error', 'messages.0.content.1.source: base64 documents must be PDFs'), { status: 400 })
        : sse(plainText);
    });
    const completion = await createAnthropic({ apiKey: 'test-key-1', maxRetries: 0 }).complete({
      messages: [
        {
          role: 'system',
          content: [
            { type: 'text', text: 'Rule one.' },
            { type: 'text', text: 'Rule two.' },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What colour is the grass?' },
            {
              type: 'document',
              title: 'Notes',
              source: { type: 'base64', mediaType: 'text/plain', data: btoa(String.fromCharCode(...new TextEncoder().encode('The grass is green. Café.'))) },
            },
          ],
        },
      ],
      stream: true,
    });
    expect(completion.text).toBeTruthy();
    expect(seen[0]?.body.system).toEqual([
      { type: 'text', text: 'Rule one.' },
      { type: 'text', text: 'Rule two.' },
    ]);
    expect((seen[0]?.body.messages as { content: unknown[] }[] | undefined)?.[0]?.content[1]).toEqual({
      type: 'document',
      source: { type: 'text', media_type: 'text/plain', data: 'The grass is green. Café.' },
      title: 'Notes',
    });
  });

  it('reads ANTHROPIC_BASE_URL like the official SDK (the host, /v1 added); an explicit baseURL wins', async () => {
    const seenAt: string[] = [];
    for (const url of ['https://proxy.example.com/v1/messages', 'https://explicit.example.com/v1/messages']) {
      server.use(
        http.post(url, ({ request }) => {
          seenAt.push(request.url);
          return sse(plainText);
        }),
      );
    }
    vi.stubEnv('ANTHROPIC_BASE_URL', 'https://proxy.example.com');
    await createAnthropic({ apiKey: 'test-key-1' }).complete({ prompt: 'Hi', stream: true });
    await createAnthropic({ apiKey: 'test-key-1', baseURL: 'https://explicit.example.com/v1' }).complete({ prompt: 'Hi', stream: true });
    expect(seenAt).toEqual(['https://proxy.example.com/v1/messages', 'https://explicit.example.com/v1/messages']);
    vi.stubEnv('ANTHROPIC_BASE_URL', 'ftp://proxy.example.com');
    expect(() => createAnthropic({ apiKey: 'test-key-1' })).toThrowError(/ANTHROPIC_BASE_URL/);
  });

  it('an error event before the first content fails over to the next key', async () => {
    const seen = onMessages(({ headers }) => (headers.get('x-api-key') === 'test-key-1' ? sse(overloadedBeforeContent) : sse(plainText)));
    const credentials = pool(['test-key-1', 'test-key-2']);
    const events: KitEvent[] = [];
    const completion = await createAnthropic({ credentials, onEvent: (event) => events.push(event) }).complete({ prompt: 'Hi', stream: true });
    expect(completion).toMatchObject({ text: 'Hello, world!', credentialId: 'key-2' });
    expect(credentials.failures).toEqual(['key-1']);
    expect(seen).toHaveLength(2);
    expect(events.find((event) => event.type === 'request-error')).toMatchObject({ error: { code: 'server_error' }, willRetry: true, credentialId: 'key-1' });
  });

  it('an error event after content is thrown from the iterator, keeps the partial text, and does not fail over', async () => {
    const seen = onMessages(() => sse(overloadedAfterContent));
    const credentials = pool(['test-key-1', 'test-key-2']);
    const stream = await createAnthropic({ credentials }).generateChatCompletion({ prompt: 'Hi' });
    const texts: string[] = [];
    const error = await (async () => {
      for await (const event of stream) if (event.type === 'text-delta') texts.push(event.text);
    })().catch((caught: unknown) => caught);
    expect(KitError.is(error) && error.code).toBe('server_error');
    expect(texts).toEqual(['Partial ans']);
    expect(seen).toHaveLength(1);
    expect(credentials.failures).toEqual(['key-1']);
  });

  it('a 400 is not retried and not failed over; the request-id is kept; no key leaks', async () => {
    const seen = onMessages(() =>
      HttpResponse.json(errorBody('invalid_request_error', 'max_tokens: Field required'), { status: 400, headers: { 'request-id': 'req_bad' } }),
    );
    const error = await createAnthropic({ credentials: pool(['test-key-1', 'test-key-2']) })
      .complete({ prompt: 'Hi' })
      .catch((caught: unknown) => caught as KitError);
    expect(error).toMatchObject({ code: 'invalid_request', status: 400, requestId: 'req_bad', retryable: false });
    expect(seen).toHaveLength(1);
    expect(JSON.stringify(error) + String((error as Error).message)).not.toContain('test-key');
  });

  it('a 401 moves to the next key; a 429 with retry-after too', async () => {
    onMessages(({ headers }) => {
      const key = headers.get('x-api-key');
      if (key === 'test-key-1') return HttpResponse.json(errorBody('authentication_error', 'invalid x-api-key'), { status: 401 });
      if (key === 'test-key-2') return HttpResponse.json(errorBody('rate_limit_error', 'rate limited'), { status: 429, headers: { 'retry-after': '30' } });
      return sse(plainText);
    });
    const credentials = pool(['test-key-1', 'test-key-2', 'test-key-3']);
    const completion = await createAnthropic({ credentials }).complete({ prompt: 'Hi', stream: true });
    expect(completion.credentialId).toBe('key-3');
    expect(credentials.failures).toEqual(['key-1', 'key-2']);
  });

  it('sends anthropic-beta from the settings and the call, and a custom anthropic-version', async () => {
    const seen = onMessages(() => sse(plainText));
    const anthropic = createAnthropic({ apiKey: 'test-key-1', beta: ['files-api-2025-04-14'], anthropicVersion: '2023-01-01' });
    await anthropic.complete({ prompt: 'Hi', stream: true, providerOptions: { anthropic: { beta: ['context-1m-2025-08-07'] } } });
    expect(seen[0]?.headers.get('anthropic-beta')).toBe('files-api-2025-04-14,context-1m-2025-08-07');
    expect(seen[0]?.headers.get('anthropic-version')).toBe('2023-01-01');
  });

  it('rejects bad providerOptions before any request', async () => {
    const seen = onMessages(() => sse(plainText));
    await expect(createAnthropic({ apiKey: 'test-key-1' }).complete({ prompt: 'Hi', providerOptions: { anthropic: { topK: -1 } } })).rejects.toMatchObject({
      code: 'invalid_request',
      message: expect.stringContaining('providerOptions.anthropic.topK'),
    });
    expect(seen).toHaveLength(0);
  });

  it('getModels asks for one full page and caches it; falls back when the API fails', async () => {
    const requested: string[] = [];
    server.use(
      http.get(MODELS_URL, ({ request }) => {
        requested.push(new URL(request.url).search);
        return HttpResponse.json({ data: [{ type: 'model', id: 'claude-sonnet-5-5', display_name: 'Claude Sonnet 5.5' }], has_more: false });
      }),
    );
    const anthropic = createAnthropic({ apiKey: 'test-key-1' });
    expect((await anthropic.getModels()).map((model) => [model.id, model.name, model.maxOutputTokens])).toEqual([
      ['claude-sonnet-5-5', 'Claude Sonnet 5.5', 128_000],
    ]);
    await anthropic.getModels();
    expect(requested).toEqual(['?limit=1000']);
    server.use(http.get(MODELS_URL, () => HttpResponse.json(errorBody('api_error', 'down'), { status: 500 })));
    expect((await createAnthropic({ apiKey: 'test-key-1' }).getModels()).map((model) => model.id)).toContain('claude-haiku-5-5');
  });

  it('healthCheck is a real authenticated call', async () => {
    const keys: (string | null)[] = [];
    server.use(
      http.get(MODELS_URL, ({ request }) => {
        keys.push(request.headers.get('x-api-key'));
        return request.headers.get('x-api-key') === 'test-key-good'
          ? HttpResponse.json({ data: [], has_more: false })
          : HttpResponse.json(errorBody('authentication_error', 'invalid x-api-key'), { status: 401 });
      }),
    );
    expect(await createAnthropic({ apiKey: 'test-key-good' }).healthCheck()).toMatchObject({ healthy: true });
    const bad = await createAnthropic({ apiKey: 'test-key-bad' }).healthCheck();
    expect(bad).toMatchObject({ healthy: false, statusCode: 401 });
    expect(bad.message).not.toContain('test-key-bad');
    expect(keys).toEqual(['test-key-good', 'test-key-bad']);
  });

  it('rejects unknown or bad settings, naming the field', () => {
    const attempt = (settings: Record<string, unknown>) => {
      try {
        createAnthropic(settings as never);
      } catch (error) {
        return error as KitError;
      }
      throw new Error('expected an error');
    };
    expect(attempt({ betas: ['x'] })).toMatchObject({ code: 'invalid_config', message: expect.stringContaining('betas') });
    expect(attempt({ beta: 'files-api' }).message).toContain('beta');
    expect(attempt({ anthropicVersion: '' }).message).toContain('anthropicVersion');
    expect(attempt({ maxRetries: -1 }).message).toContain('maxRetries');
  });
});
