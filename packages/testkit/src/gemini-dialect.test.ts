import { describe, expect, it } from 'vitest';
import { faults, replies, type Behaviour } from './upstream-script';
import { readUntil, readUntilEndOrError, startUpstream, stateAfter } from './test-helpers';
import type { MockUpstream, MockUpstreamOptions } from './mock-upstream';

/** A part of Gemini content (the fields these tests read). */
interface Part {
  text?: string;
  thought?: boolean;
  functionCall?: { name: string; args?: unknown; id?: string };
  [field: string]: unknown;
}

/** One candidate of a `GenerateContentResponse`. */
interface Candidate {
  content: { role?: string; parts: Part[] };
  finishReason?: string;
  safetyRatings?: unknown[];
  [field: string]: unknown;
}

/** A `GenerateContentResponse`: one streamed chunk or a whole answer (no candidates when the prompt was blocked). */
interface GenerateResponse {
  candidates?: Candidate[];
  usageMetadata: Record<string, number>;
  promptFeedback?: { blockReason?: string; [field: string]: unknown };
  modelVersion?: string;
  responseId?: string;
}

/** A Google API error answer. */
interface ErrorBody {
  error: {
    code: number;
    message: string;
    status: string;
    details?: { '@type': string; reason?: string; violations?: { quotaId: string }[]; [field: string]: unknown }[];
  };
}

/** One page of `GET /models`. */
interface ModelList {
  models: { name: string; [field: string]: unknown }[];
  nextPageToken?: string;
}

/** The first (the mock's only) candidate of a response; a response without one fails the test. */
function firstCandidate(response: GenerateResponse): Candidate {
  const candidate = response.candidates?.[0];
  if (!candidate) throw new Error('the response has no candidate');
  return candidate;
}

function start(options: Partial<MockUpstreamOptions> = {}): Promise<MockUpstream> {
  return startUpstream({ dialect: 'gemini', ...options });
}

function generateRequest(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { contents: [{ role: 'user', parts: [{ text: 'Say hello to the world' }] }], ...extra };
}

interface PostInit {
  key?: string;
  token?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  query?: string;
}

function post(upstream: MockUpstream, path: string, body: unknown, init: PostInit = {}): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...init.headers };
  if (init.key !== undefined) headers['x-goog-api-key'] = init.key;
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  return fetch(`${upstream.url}${path}${init.query ?? ''}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...(init.signal ? { signal: init.signal } : {}),
  });
}

function generate(upstream: MockUpstream, init: PostInit = {}, body: unknown = generateRequest(), model = 'gemini-test'): Promise<Response> {
  return post(upstream, `/models/${model}:generateContent`, body, init);
}

function streamGenerate(upstream: MockUpstream, init: PostInit = {}, body: unknown = generateRequest(), model = 'gemini-test'): Promise<Response> {
  return post(upstream, `/models/${model}:streamGenerateContent`, body, { query: '?alt=sse', ...init });
}

/** The `data:` payloads of a Gemini SSE body: events end with CRLF CRLF, and there is no [DONE]. */
function sseChunks(text: string): GenerateResponse[] {
  expect(text.endsWith('\r\n\r\n')).toBe(true);
  return text
    .split('\r\n\r\n')
    .filter((event) => event !== '')
    .map((event) => {
      if (!event.startsWith('data: ')) throw new Error(`not a data line: ${event}`);
      return JSON.parse(event.slice('data: '.length)) as GenerateResponse;
    });
}

async function streamChunks(upstream: MockUpstream, init: PostInit = {}): Promise<GenerateResponse[]> {
  const response = await streamGenerate(upstream, init);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  return sseChunks(await response.text());
}

function partsOf(chunks: GenerateResponse[]): Part[][] {
  return chunks.map((chunk) => firstCandidate(chunk).content.parts);
}

async function errorAnswer(behaviour: Behaviour, init: PostInit = {}): Promise<{ status: number; headers: Headers; body: ErrorBody }> {
  const upstream = await start({ defaultScript: behaviour });
  const response = await generate(upstream, init);
  return { status: response.status, headers: response.headers, body: (await response.json()) as ErrorBody };
}

describe('Gemini dialect: text', () => {
  it('serves generateContent under a /v1beta base URL with candidates, usageMetadata, modelVersion and responseId', async () => {
    const upstream = await start({ defaultScript: replies.text('Hello there') });
    expect(upstream.url).toBe(`http://127.0.0.1:${upstream.port}/v1beta`);
    expect(upstream.origin).toBe(`http://127.0.0.1:${upstream.port}`);
    const response = await generate(upstream, {}, generateRequest({ systemInstruction: { parts: [{ text: 'Be kind' }] } }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      candidates: [{ content: { parts: [{ text: 'Hello there' }], role: 'model' }, finishReason: 'STOP', index: 0 }],
      // 5 words of contents + 2 of systemInstruction; 2 deltas.
      usageMetadata: { promptTokenCount: 7, candidatesTokenCount: 2, totalTokenCount: 9 },
      modelVersion: 'gemini-test',
      responseId: 'mock-response-1',
    });
  });

  it('streams one GenerateContentResponse per data line, CRLF-separated, the last with finishReason and full usage', async () => {
    const upstream = await start({ defaultScript: replies.text('Hello there, world!') });
    const chunks = await streamChunks(upstream);
    expect(partsOf(chunks)).toEqual([[{ text: 'Hello ' }], [{ text: 'there, ' }], [{ text: 'world!' }]]);
    expect(chunks.map((chunk) => firstCandidate(chunk).finishReason)).toEqual([undefined, undefined, 'STOP']);
    expect(chunks.slice(0, -1).every((chunk) => chunk.usageMetadata.candidatesTokenCount === undefined)).toBe(true);
    expect(chunks[0]!.usageMetadata).toEqual({ promptTokenCount: 5, totalTokenCount: 5 });
    expect(chunks.at(-1)!.usageMetadata).toEqual({ promptTokenCount: 5, candidatesTokenCount: 3, totalTokenCount: 8 });
    for (const chunk of chunks) expect(chunk).toMatchObject({ modelVersion: 'gemini-test', responseId: 'mock-response-1' });
  });

  it('streams thought parts before the text, with the scripted thoughtSignature on the first answer part', async () => {
    const upstream = await start({ defaultScript: replies.text('Four.', { reasoning: 'Two plus two', reasoningSignature: 'c2lnLTE=' }) });
    const chunks = await streamChunks(upstream);
    expect(partsOf(chunks)).toEqual([
      [{ text: 'Two ', thought: true }],
      [{ text: 'plus ', thought: true }],
      [{ text: 'two', thought: true }],
      [{ text: 'Four.', thoughtSignature: 'c2lnLTE=' }],
    ]);
    expect(chunks.at(-1)!.usageMetadata).toEqual({ promptTokenCount: 5, candidatesTokenCount: 1, thoughtsTokenCount: 3, totalTokenCount: 9 });
    const body = (await (await generate(upstream)).json()) as GenerateResponse;
    expect(firstCandidate(body).content.parts).toEqual([
      { text: 'Two plus two', thought: true },
      { text: 'Four.', thoughtSignature: 'c2lnLTE=' },
    ]);
  });

  it('maps finish reasons (MAX_TOKENS, SAFETY with ratings) and passes other words through', async () => {
    const upstream = await start({
      defaultScript: [
        replies.text('a', { finishReason: 'length' }),
        replies.text('b', { finishReason: 'content_filter' }),
        replies.text('c', { finishReason: 'RECITATION' }),
      ],
    });
    const candidates: Candidate[] = [];
    for (let index = 0; index < 3; index += 1) candidates.push(firstCandidate((await (await generate(upstream)).json()) as GenerateResponse));
    expect(candidates.map((candidate) => candidate.finishReason)).toEqual(['MAX_TOKENS', 'SAFETY', 'RECITATION']);
    expect(candidates[1]!.safetyRatings).toEqual([{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true }]);
    expect(candidates[0]!.safetyRatings).toBeUndefined();
  });

  it('answers a blocked prompt with promptFeedback.blockReason and no candidates', async () => {
    const upstream = await start({ defaultScript: replies.text('', { promptBlockReason: 'PROHIBITED_CONTENT' }) });
    const body = (await (await generate(upstream)).json()) as GenerateResponse;
    expect(body.candidates).toBeUndefined();
    expect(body.promptFeedback!.blockReason).toBe('PROHIBITED_CONTENT');
    expect(body.usageMetadata).toEqual({ promptTokenCount: 5, totalTokenCount: 5 });
    const chunks = await streamChunks(upstream);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.promptFeedback!.blockReason).toBe('PROHIBITED_CONTENT');
    expect(chunks[0]!.candidates).toBeUndefined();
  });

  it('reports scripted usage: thoughts, cached content and the total', async () => {
    const upstream = await start({
      defaultScript: replies.text('hi', { usage: { inputTokens: 100, outputTokens: 20, reasoningTokens: 7, cachedInputTokens: 60 } }),
    });
    const body = (await (await generate(upstream)).json()) as GenerateResponse;
    expect(body.usageMetadata).toEqual({
      promptTokenCount: 100,
      candidatesTokenCount: 20,
      thoughtsTokenCount: 7,
      cachedContentTokenCount: 60,
      totalTokenCount: 127,
    });
  });

  it('ends an empty answer with one chunk holding the finish reason', async () => {
    const upstream = await start({ defaultScript: replies.text('') });
    const chunks = await streamChunks(upstream);
    expect(chunks).toHaveLength(1);
    expect(firstCandidate(chunks[0]!)).toMatchObject({ content: { parts: [{ text: '' }] }, finishReason: 'STOP' });
  });
});

describe('Gemini dialect: function calls', () => {
  const calls = [
    { name: 'get_weather', arguments: '{"city":"Paris"}', signature: 'c2lnLWNhbGw=' },
    { id: 'call-2', name: 'get_time', arguments: '{"timezone":"Europe/Paris"}' },
    { name: 'list_files', arguments: '' },
  ];

  it('streams each call as a whole functionCall part in its own chunk, after the text', async () => {
    const upstream = await start({ defaultScript: replies.toolCalls(calls, { text: 'Checking.' }) });
    const chunks = await streamChunks(upstream);
    expect(partsOf(chunks)).toEqual([
      [{ text: 'Checking.' }],
      [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'c2lnLWNhbGw=' }],
      [{ functionCall: { name: 'get_time', args: { timezone: 'Europe/Paris' }, id: 'call-2' } }],
      [{ functionCall: { name: 'list_files', args: {} } }],
    ]);
    expect(firstCandidate(chunks.at(-1)!).finishReason).toBe('STOP');
  });

  it('puts callsPerChunk calls in one chunk, after thought parts', async () => {
    const upstream = await start({ defaultScript: replies.toolCalls(calls, { callsPerChunk: 2, reasoning: 'Plan it' }) });
    const parts = partsOf(await streamChunks(upstream));
    expect(parts.map((chunk) => chunk.length)).toEqual([1, 1, 2, 1]);
    expect(parts[0]).toEqual([{ text: 'Plan ', thought: true }]);
    expect(parts[2]!.map((part) => part.functionCall!.name)).toEqual(['get_weather', 'get_time']);
  });

  it('answers a non-streaming request with every part in one candidate', async () => {
    const upstream = await start({ defaultScript: replies.toolCalls(calls, { text: 'Checking.' }) });
    const body = (await (await generate(upstream)).json()) as GenerateResponse;
    expect(firstCandidate(body)).toEqual({
      content: {
        role: 'model',
        parts: [
          { text: 'Checking.' },
          { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'c2lnLWNhbGw=' },
          { functionCall: { name: 'get_time', args: { timezone: 'Europe/Paris' }, id: 'call-2' } },
          { functionCall: { name: 'list_files', args: {} } },
        ],
      },
      finishReason: 'STOP',
      index: 0,
    });
  });
});

describe('Gemini dialect: keys and refusals', () => {
  const credentials = [
    { id: 'key-1', secret: 'test-key-gemini-1', script: replies.text('from key one') },
    { id: 'token-1', secret: 'test-token-gemini-1', script: replies.text('from token one') },
  ];

  it('matches credentials by x-goog-api-key or Authorization: Bearer', async () => {
    const upstream = await start({ credentials });
    const byKey = (await (await generate(upstream, { key: 'test-key-gemini-1' })).json()) as GenerateResponse;
    expect(firstCandidate(byKey).content.parts[0]!.text).toBe('from key one');
    const byToken = (await (await generate(upstream, { token: 'test-token-gemini-1' })).json()) as GenerateResponse;
    expect(firstCandidate(byToken).content.parts[0]!.text).toBe('from token one');
    expect(upstream.requests.map((request) => request.credentialId)).toEqual(['key-1', 'token-1']);
  });

  it('refuses a key in the URL with 400, even a valid one', async () => {
    const upstream = await start({ credentials });
    const response = await generate(upstream, { query: '?key=test-key-gemini-1' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorBody;
    expect(body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    expect(body.error.message).toMatch(/x-goog-api-key/);
    const both = await generate(upstream, { key: 'test-key-gemini-1', query: '?key=test-key-gemini-1' });
    expect(both.status).toBe(400);
    await both.text();
    expect(upstream.requests[0]!.path).toBe('/v1beta/models/gemini-test:generateContent?key=***');
  });

  it('answers an unknown API key with 400 API_KEY_INVALID, an unknown token with 401, and no credential with 403', async () => {
    const upstream = await start({ credentials });
    const badKey = await generate(upstream, { key: 'test-key-wrong' });
    expect(badKey.status).toBe(400);
    const keyBody = (await badKey.json()) as ErrorBody;
    expect(keyBody.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT', message: 'API key not valid. Please pass a valid API key.' });
    expect(keyBody.error.details).toContainEqual(expect.objectContaining({ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }));
    const badToken = await generate(upstream, { token: 'test-token-wrong' });
    expect(badToken.status).toBe(401);
    expect(((await badToken.json()) as ErrorBody).error).toMatchObject({ code: 401, status: 'UNAUTHENTICATED' });
    const none = await generate(upstream);
    expect(none.status).toBe(403);
    expect(((await none.json()) as ErrorBody).error).toMatchObject({ code: 403, status: 'PERMISSION_DENIED' });
  });

  it('refuses streamGenerateContent without alt=sse, and a body without contents', async () => {
    const upstream = await start();
    const noAlt = await streamGenerate(upstream, { query: '' });
    expect(noAlt.status).toBe(400);
    expect(((await noAlt.json()) as ErrorBody).error.message).toMatch(/alt=sse/);
    const noContents = await generate(upstream, {}, { generationConfig: {} });
    expect(noContents.status).toBe(400);
    expect(((await noContents.json()) as ErrorBody).error).toMatchObject({ status: 'INVALID_ARGUMENT', message: expect.stringMatching(/contents/) });
  });

  it('never records an API key, a token or a key sent in the URL', async () => {
    const upstream = await start({ credentials });
    await (await generate(upstream, { key: 'test-key-gemini-1' })).text();
    await (await streamGenerate(upstream, { token: 'test-token-gemini-1' })).text();
    await (await generate(upstream, { key: 'test-key-gemini-unknown', headers: { 'x-debug': 'test-key-gemini-unknown' } })).text();
    await (await generate(upstream, { query: '?key=test-key-gemini-in-url', headers: { 'x-debug': 'test-key-gemini-in-url' } })).text();
    await (await fetch(`${upstream.url}/models`, { headers: { 'x-goog-api-key': 'test-key-gemini-1' } })).text();
    expect(upstream.requests).toHaveLength(5);
    expect(upstream.requests[0]!.headers['x-goog-api-key']).toBe('***');
    expect(upstream.requests[1]!.headers.authorization).toBe('***');
    const recording = JSON.stringify(upstream.requests);
    for (const secret of ['test-key-gemini-1', 'test-token-gemini-1', 'test-key-gemini-unknown', 'test-key-gemini-in-url']) {
      expect(recording).not.toContain(secret);
    }
  });
});

describe('Gemini dialect: error answers', () => {
  it('renders faults as Google errors { error: { code, message, status } }', async () => {
    const cases: [Behaviour, number, string][] = [
      [faults.forbidden(), 403, 'PERMISSION_DENIED'],
      [faults.notFound(), 404, 'NOT_FOUND'],
      [faults.badRequest(), 400, 'INVALID_ARGUMENT'],
      [faults.serverError(), 500, 'INTERNAL'],
      [faults.overloaded(), 503, 'UNAVAILABLE'],
      [{ kind: 'status', status: 504 }, 504, 'DEADLINE_EXCEEDED'],
      [{ kind: 'status', status: 503 }, 503, 'UNAVAILABLE'],
    ];
    for (const [behaviour, status, statusName] of cases) {
      const answer = await errorAnswer(behaviour);
      expect([answer.status, answer.body.error.code, answer.body.error.status]).toEqual([status, status, statusName]);
      expect(typeof answer.body.error.message).toBe('string');
    }
  });

  it('unauthorized follows the credential kind: 400 API_KEY_INVALID for keys, 401 UNAUTHENTICATED for tokens', async () => {
    const key = await errorAnswer(faults.unauthorized(), { key: 'test-key-1' });
    expect([key.status, key.body.error.status, key.body.error.details![0]!.reason]).toEqual([400, 'INVALID_ARGUMENT', 'API_KEY_INVALID']);
    const token = await errorAnswer(faults.unauthorized(), { token: 'test-token-1' });
    expect([token.status, token.body.error.status]).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('429 RESOURCE_EXHAUSTED carries the delay as RetryInfo in the body, not as a header', async () => {
    const seventeen = await errorAnswer(faults.rateLimited({ retryAfterSeconds: 17 }));
    expect(seventeen.status).toBe(429);
    expect(seventeen.headers.get('retry-after')).toBeNull();
    expect(seventeen.body.error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
    expect(seventeen.body.error.details).toContainEqual({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '17s' });
    const quotaFailure = seventeen.body.error.details!.find((detail) => detail['@type'].endsWith('QuotaFailure'));
    expect(quotaFailure!.violations![0]!.quotaId).toMatch(/PerMinute/);
    const fraction = await errorAnswer(faults.rateLimited({ retryAfterMs: 1500 }));
    expect(fraction.headers.get('retry-after-ms')).toBeNull();
    expect(fraction.body.error.details).toContainEqual({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.5s' });
    const none = await errorAnswer(faults.rateLimited());
    expect(none.body.error.details!.some((detail) => detail['@type'].endsWith('RetryInfo'))).toBe(false);
  });

  it('an exhausted daily quota is a 429 whose QuotaFailure names a per-day quota', async () => {
    const { status, body } = await errorAnswer(faults.insufficientQuota());
    expect(status).toBe(429);
    const quotaFailure = body.error.details!.find((detail) => detail['@type'].endsWith('QuotaFailure'));
    expect(quotaFailure!.violations![0]!.quotaId).toMatch(/PerDay/);
  });

  it('context length: 400 "input token count … exceeds the maximum"', async () => {
    const { status, body } = await errorAnswer(faults.contextLength());
    expect(status).toBe(400);
    expect(body.error.message).toMatch(/^The input token count \(\d+\) exceeds the maximum number of tokens allowed \(1048576\)\.$/);
  });

  it('answers invalid JSON with 400, unknown routes with 404 and oversized bodies with 400', async () => {
    const upstream = await start({ maxBodyBytes: 1000 });
    const broken = await generate(upstream, {}, '{"contents": [');
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as ErrorBody).error.status).toBe('INVALID_ARGUMENT');
    const unknown = await post(upstream, '/models/gemini-test:embedContent', {});
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as ErrorBody).error.status).toBe('NOT_FOUND');
    const large = await generate(upstream, {}, generateRequest({ padding: 'x'.repeat(5000) }));
    expect(large.status).toBe(400);
    expect(((await large.json()) as ErrorBody).error.message).toMatch(/payload size exceeds/);
  });
});

describe('Gemini dialect: mid-stream faults', () => {
  it('error-mid-stream sends N chunks, then a data line holding a Google error', async () => {
    const upstream = await start({ defaultScript: [faults.errorMidStream(2), faults.errorMidStream(0, { type: 'INTERNAL', message: 'boom' })] });
    const chunks = await streamChunks(upstream);
    expect(chunks).toHaveLength(3);
    expect(
      partsOf(chunks.slice(0, 2))
        .flat()
        .every((part) => typeof part.text === 'string'),
    ).toBe(true);
    expect(chunks[2]).toEqual({ error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } });
    expect(await streamChunks(upstream)).toEqual([{ error: { code: 500, message: 'boom', status: 'INTERNAL' } }]);
  });

  it('reset-mid-stream sends N chunks, then the connection breaks', async () => {
    const upstream = await start({ defaultScript: faults.resetMidStream(2, 'alpha beta gamma delta') });
    const { text, error } = await readUntilEndOrError(await streamGenerate(upstream));
    expect(error).toBeDefined();
    expect(partsOf(sseChunks(text))).toEqual([[{ text: 'alpha ' }], [{ text: 'beta ' }]]);
  });

  it('stall-mid-stream sends N chunks, then nothing until the client gives up', async () => {
    const upstream = await start({ defaultScript: faults.stallMidStream(1) });
    const controller = new AbortController();
    const response = await streamGenerate(upstream, { signal: controller.signal });
    const reader = response.body!.getReader();
    const text = await readUntil(reader, (sofar) => sofar.includes('\r\n\r\n'));
    expect(sseChunks(text)).toHaveLength(1);
    expect(await stateAfter(reader.read(), 100)).toBe('pending');
    controller.abort();
    await upstream.waitForIdle();
    expect(upstream.requests[0]!.aborted).toBe(true);
  });

  it('malformed sends N chunks, then a data line that is not JSON, and ends', async () => {
    const upstream = await start({ defaultScript: faults.malformed(1) });
    const text = await (await streamGenerate(upstream)).text();
    const events = text.split('\r\n\r\n').filter((event) => event !== '');
    expect(events).toHaveLength(2);
    expect(() => JSON.parse(events[0]!.slice('data: '.length))).not.toThrow();
    expect(() => JSON.parse(events[1]!.slice('data: '.length))).toThrow();
  });
});

describe('Gemini dialect: models', () => {
  it('lists models/… resources with token limits and methods, paginated by pageSize and pageToken', async () => {
    const upstream = await start({
      models: [
        { id: 'gemini-a', inputTokenLimit: 1000, outputTokenLimit: 100, displayName: 'Gemini A' },
        { id: 'gemini-b' },
        { id: 'models/gemini-c', supportedGenerationMethods: ['generateContent'] },
      ],
    });
    const first = (await (await fetch(`${upstream.url}/models?pageSize=2`)).json()) as ModelList;
    expect(first.models.map((model) => model.name)).toEqual(['models/gemini-a', 'models/gemini-b']);
    expect(first.models[0]).toMatchObject({ displayName: 'Gemini A', inputTokenLimit: 1000, outputTokenLimit: 100 });
    expect(first.models[1]).toMatchObject({
      displayName: 'gemini-b',
      inputTokenLimit: 1_048_576,
      outputTokenLimit: 65_536,
      supportedGenerationMethods: ['generateContent', 'countTokens'],
    });
    expect(typeof first.nextPageToken).toBe('string');
    const second = (await (await fetch(`${upstream.url}/models?pageSize=2&pageToken=${encodeURIComponent(first.nextPageToken!)}`)).json()) as ModelList;
    expect(second.models.map((model) => [model.name, model.supportedGenerationMethods])).toEqual([['models/gemini-c', ['generateContent']]]);
    expect(second.nextPageToken).toBeUndefined();
    const all = (await (await fetch(`${upstream.url}/models`)).json()) as ModelList;
    expect(all.models).toHaveLength(3);
    expect(all.nextPageToken).toBeUndefined();
  });

  it('lists the default model when none are configured', async () => {
    const upstream = await start();
    const body = (await (await fetch(`${upstream.url}/models`)).json()) as ModelList;
    expect(body.models.map((model) => model.name)).toEqual(['models/gemini-2.5-flash']);
  });
});
