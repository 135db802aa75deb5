// @kit/gemini with API keys, end to end on the testkit Gemini upstream (real loopback sockets).
import { createGemini } from '@kit/gemini';
import { KeyManager } from '@kit/keymanager';
import { faults, replies } from '@kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { eventLog, expectNoSecrets, fakeKeys, upstreams } from './helpers';

const servers = upstreams();
afterEach(() => servers.closeAll());

describe('Gemini API keys on the testkit upstream', () => {
  it('a pool survives an invalid and a rate-limited key; the key travels only in x-goog-api-key, never in a URL', async () => {
    const [invalid, limited, good] = fakeKeys as [string, string, string];
    const upstream = await servers.start({
      dialect: 'gemini',
      credentials: [
        // `invalid` is not an upstream credential at all: Google answers 400 API_KEY_INVALID.
        { id: 'limited', secret: limited, script: faults.rateLimited({ retryAfterSeconds: 30 }) },
        { id: 'good', secret: good, script: replies.text('Hello from the good key') },
      ],
    });
    const keys = new KeyManager('gemini', [
      { id: 'invalid', key: invalid },
      { id: 'limited', key: limited },
      { id: 'good', key: good },
    ]);
    const log = eventLog();
    const gemini = createGemini({ credentials: keys, baseURL: upstream.url, onEvent: log.onEvent });
    const texts: string[] = [];
    for (let call = 0; call < 4; call += 1) {
      texts.push(await (await gemini.generateChatCompletion({ prompt: `call ${call}`, stream: call % 2 === 0 })).text());
    }
    expect(texts).toEqual(Array(4).fill('Hello from the good key'));

    const health = Object.fromEntries(keys.getKeyHealth().map((key) => [key.id, key]));
    expect(health.invalid).toMatchObject({ lastErrorCode: 'authentication', requests: 1 });
    expect(health.limited).toMatchObject({ lastErrorCode: 'rate_limit', requests: 1 });
    // RetryInfo.retryDelay (30 s) made the key sleep at least that long.
    expect((health.limited?.backoffUntil ?? 0) - Date.now()).toBeGreaterThan(25_000);
    expect(log.ofType('failover').map((event) => [event.from, event.to, event.reason])).toEqual([
      ['invalid', 'limited', 'authentication'],
      ['limited', 'good', 'rate_limit'],
    ]);

    // Every request: the key in the header (masked in the record), none in the URL.
    expect(upstream.requests.length).toBe(6);
    for (const request of upstream.requests) {
      expect(request.path).toMatch(/^\/v1beta\/models\/gemini-3\.5-flash-lite:(streamGenerateContent\?alt=sse|generateContent)$/);
      expect(request.path).not.toMatch(/key=/i);
      expect(request.headers['x-goog-api-key']).toBe('***');
      expect(request.headers.authorization).toBeUndefined();
    }
    expectNoSecrets([upstream.requests, log.events, keys.getKeyHealth(), keys.getStatus()], [invalid, limited, good]);
  });

  it('parallel function calls in a stream round-trip with their thought signature and named function responses', async () => {
    const calls = replies.toolCalls(
      [
        { name: 'get_weather', arguments: '{"city":"Paris"}', signature: 'test-signature-abc' },
        { name: 'get_weather', arguments: '{"city":"Rome"}' },
      ],
      { text: 'Checking both.' },
    );
    // A stream, the same answer whole, then the final answer.
    const upstream = await servers.start({ dialect: 'gemini', defaultScript: [calls, calls, replies.text('Paris 18 °C, Rome 24 °C.')] });
    const gemini = createGemini({ apiKey: fakeKeys[0], baseURL: upstream.url });
    const tools = [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];
    const stream = await gemini.generateChatCompletion({ prompt: 'Weather in Paris and Rome?', tools, toolChoice: 'auto' });
    const seen: string[] = [];
    for await (const event of stream) if (event.type === 'tool-call') seen.push(`${event.toolCall.name} ${event.toolCall.arguments}`);
    expect(seen).toEqual(['get_weather {"city":"Paris"}', 'get_weather {"city":"Rome"}']);
    // The request: declarations with JSON Schema, tool choice as functionCallingConfig.
    expect(upstream.requests[0]?.body).toMatchObject({
      tools: [{ functionDeclarations: [{ name: 'get_weather', parametersJsonSchema: tools[0]?.parameters }] }],
      toolConfig: { functionCallingConfig: { mode: 'AUTO' } },
    });

    const first = await (await gemini.generateChatCompletion({ prompt: 'Weather in Paris and Rome?', tools, stream: false })).final();
    expect(first.finishReason).toBe('tool-calls');
    const answers = first.toolCalls.map((call, index) => ({
      role: 'tool' as const,
      toolCallId: call.id,
      content: JSON.stringify({ celsius: [18, 24][index] }),
    }));
    const final = await gemini.complete({ tools, messages: [{ role: 'user', content: 'Weather in Paris and Rome?' }, first.message, ...answers] });
    expect(final.text).toBe('Paris 18 °C, Rome 24 °C.');
    expect((upstream.requests[2]!.body as { contents: unknown[] }).contents.slice(1)).toEqual([
      {
        role: 'model',
        parts: [
          { text: 'Checking both.' },
          // Gemini sent no call ids: the ones @kit made up stay on our side.
          { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'test-signature-abc' },
          { functionCall: { name: 'get_weather', args: { city: 'Rome' } } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_weather', response: { celsius: 18 } } },
          { functionResponse: { name: 'get_weather', response: { celsius: 24 } } },
        ],
      },
    ]);
  });

  it('a blocked prompt finishes with content-filter; thoughts and usage come through', async () => {
    const upstream = await servers.start({
      dialect: 'gemini',
      defaultScript: [
        replies.text('', { promptBlockReason: 'PROHIBITED_CONTENT' }),
        replies.text('Seven.', { reasoning: 'primes are odd mostly', usage: { inputTokens: 10, outputTokens: 2, reasoningTokens: 5, cachedInputTokens: 4 } }),
      ],
    });
    const gemini = createGemini({ apiKey: fakeKeys[0], baseURL: upstream.url });
    expect(await gemini.complete({ prompt: 'something bad', stream: true })).toMatchObject({ text: '', finishReason: 'content-filter' });
    const completion = await gemini.complete({ prompt: 'a prime?', stream: true });
    expect(completion).toMatchObject({
      text: 'Seven.',
      reasoning: 'primes are odd mostly',
      finishReason: 'stop',
      usage: { inputTokens: 10, outputTokens: 7, reasoningTokens: 5, cachedInputTokens: 4, totalTokens: 17 },
    });
  });

  it('an error after the first content is thrown from the iterator and keeps the partial text (no failover)', async () => {
    const [first, second] = fakeKeys as [string, string];
    const upstream = await servers.start({
      dialect: 'gemini',
      credentials: [
        { id: 'k1', secret: first, script: faults.errorMidStream(2) },
        { id: 'k2', secret: second, script: replies.text('never used') },
      ],
    });
    const gemini = createGemini({ credentials: new KeyManager('gemini', [first, second]), baseURL: upstream.url });
    const stream = await gemini.generateChatCompletion({ prompt: 'Hi' });
    let text = '';
    const error = await (async () => {
      for await (const event of stream) if (event.type === 'text-delta') text += event.text;
    })().catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'server_error', status: 503 });
    expect(text.length).toBeGreaterThan(0);
    expect(upstream.requests.map((request) => request.credentialId)).toEqual(['k1']);
  });

  it('getModels reads the whole list in one page (pageSize=1000) and healthCheck is a real call', async () => {
    const models = Array.from({ length: 120 }, (_, index) => ({ id: `gemini-mock-${index}` }));
    const upstream = await servers.start({ dialect: 'gemini', models });
    const gemini = createGemini({ apiKey: fakeKeys[0], baseURL: upstream.url });
    const listed = await gemini.getModels();
    expect(listed).toHaveLength(120);
    expect(listed[119]).toMatchObject({ id: 'gemini-mock-119', contextWindow: 1_048_576 });
    expect(await gemini.healthCheck()).toMatchObject({ healthy: true });
    expect(upstream.requests.map((request) => request.path)).toEqual(['/v1beta/models?pageSize=1000', '/v1beta/models?pageSize=1000']);
  });
});
