import { KitError, type CredentialSource } from '@kit/core';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { modelNotFound, singleEmbedding, twoEmbeddings } from './__fixtures__/ollama-embed';
import { parseOllamaEmbeddings } from './ollama-embed';
import { createOllama } from './ollama-provider';

const LOCAL = 'http://localhost:11434';
const CLOUD = 'https://ollama.com';
const KEY = 'test-key-ollama-1';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());
beforeEach(() => {
  // A key or host in the environment of the machine running the tests must not change what is sent.
  vi.stubEnv('OLLAMA_API_KEY', '');
  vi.stubEnv('OLLAMA_HOST', '');
  return () => {
    server.resetHandlers();
    vi.unstubAllEnvs();
  };
});

interface Seen {
  url: string;
  method: string;
  headers: Headers;
  body: Record<string, unknown>;
}

/** Serves `POST /api/embed` at `base` with `respond`, and records every request. */
function onEmbed(respond: (seen: Seen) => Response | Promise<Response>, base = LOCAL): Seen[] {
  const seen: Seen[] = [];
  server.use(
    http.post(`${base}/api/embed`, async ({ request }) => {
      const entry = { url: request.url, method: request.method, headers: request.headers, body: (await request.json()) as Record<string, unknown> };
      seen.push(entry);
      return respond(entry);
    }),
  );
  return seen;
}

/** A pool of one credential that records its reports (`success:id#sequence`, `failure:id:code#sequence`). */
function recordingPool(secret = KEY, sequence = 3): { credentials: CredentialSource; reports: string[] } {
  const reports: string[] = [];
  const credentials: CredentialSource = {
    acquire: async () => ({ id: 'cloud-1', secret, kind: 'api-key', sequence }),
    reportSuccess: (id, info) => reports.push(`success:${id}#${info?.sequence}`),
    reportFailure: (id, error, info) => reports.push(`failure:${id}:${error.code}#${info?.sequence}`),
  };
  return { credentials, reports };
}

const caught = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );

describe('embed(): the request', () => {
  it('POSTs the body to <baseURL>/api/embed with no auth header locally, and sends only the fields set', async () => {
    const seen = onEmbed(() => HttpResponse.json(singleEmbedding));
    const ollama = createOllama();
    await ollama.embed({ model: 'embeddinggemma', input: 'Why is the sky blue?' });
    await ollama.embed({ model: 'nomic-embed-text', input: ['a', 'b'], truncate: false, dimensions: 256, keepAlive: '10m' }).catch(() => {});
    expect(seen.map(({ url, method }) => `${method} ${url}`)).toEqual([`POST ${LOCAL}/api/embed`, `POST ${LOCAL}/api/embed`]);
    expect(seen[0]?.headers.get('authorization')).toBeNull();
    expect(seen[0]?.headers.get('content-type')).toBe('application/json');
    expect(seen[0]?.body).toEqual({ model: 'embeddinggemma', input: 'Why is the sky blue?' });
    expect(seen[1]?.body).toEqual({ model: 'nomic-embed-text', input: ['a', 'b'], truncate: false, dimensions: 256, keep_alive: '10m' });
  });

  it('keep_alive defaults to the keepAlive setting (as chat does); the option wins over it', async () => {
    const seen = onEmbed(() => HttpResponse.json(singleEmbedding));
    const ollama = createOllama({ keepAlive: -1 });
    await ollama.embed({ model: 'embeddinggemma', input: 'x' });
    await ollama.embed({ model: 'embeddinggemma', input: 'x', keepAlive: 0 });
    expect(seen.map((request) => request.body.keep_alive)).toEqual([-1, 0]);
  });

  it('sends a key as a Bearer token, with the provider headers, to the configured baseURL', async () => {
    const seen = onEmbed(() => HttpResponse.json(singleEmbedding), CLOUD);
    await createOllama({ baseURL: `${CLOUD}/`, apiKey: KEY, headers: { 'x-team': 'a' } }).embed({ model: 'embeddinggemma', input: 'x' });
    expect(seen[0]?.url).toBe(`${CLOUD}/api/embed`);
    expect(seen[0]?.headers.get('authorization')).toBe(`Bearer ${KEY}`);
    expect(seen[0]?.headers.get('x-team')).toBe('a');
  });

  it('takes its credential from the pool and reports the success with the lease sequence', async () => {
    const seen = onEmbed(() => HttpResponse.json(singleEmbedding), CLOUD);
    const { credentials, reports } = recordingPool(KEY, 7);
    await createOllama({ baseURL: CLOUD, credentials }).embed({ model: 'embeddinggemma', input: 'x' });
    expect(seen[0]?.headers.get('authorization')).toBe(`Bearer ${KEY}`);
    expect(reports).toEqual(['success:cloud-1#7']);
  });
});

describe('embed(): the answer', () => {
  it("maps Ollama's documented answer: vectors, model, prompt_eval_count, durations in ms", async () => {
    onEmbed(() => HttpResponse.json(singleEmbedding));
    const result = await createOllama().embed({ model: 'embeddinggemma', input: 'Why is the sky blue?' });
    expect(result).toEqual({
      model: 'embeddinggemma',
      embeddings: singleEmbedding.embeddings,
      usage: { inputTokens: 8 },
      totalDurationMs: 14.143917,
      loadDurationMs: 1.0195,
    });
  });

  it('several inputs: one vector each, in order; missing counts and durations read as 0 and absent', async () => {
    const seen = onEmbed(() => HttpResponse.json(twoEmbeddings));
    const input = ['Why is the sky blue?', 'Why is the grass green?'] as const;
    const result = await createOllama().embed({ model: 'all-minilm', input });
    expect(seen[0]?.body.input).toEqual(input);
    expect(result.embeddings).toEqual(twoEmbeddings.embeddings);
    expect(result.embeddings[1]?.[0]).toBe(-0.0098027075);
    expect(result.usage).toEqual({ inputTokens: 0 });
    expect(result).not.toHaveProperty('totalDurationMs');
    expect(result).not.toHaveProperty('loadDurationMs');
  });

  it('the requested model names the result when the answer names none; unknown fields are ignored', async () => {
    onEmbed(() => HttpResponse.json({ embeddings: [[1, 2]], future_field: { x: 1 } }));
    expect(await createOllama().embed({ model: 'nomic-embed-text', input: 'x' })).toEqual({
      model: 'nomic-embed-text',
      embeddings: [[1, 2]],
      usage: { inputTokens: 0 },
    });
  });

  it('20 concurrent calls each get their own vectors', async () => {
    // The fake server answers each input `text-<n>` with the vector [n, n + 0.5], after a delay that reverses the order.
    const seen = onEmbed(async ({ body }) => {
      const n = Number(String(body.input).slice('text-'.length));
      await delay(40 - 2 * n);
      return HttpResponse.json({ model: body.model, embeddings: [[n, n + 0.5]], prompt_eval_count: n });
    });
    const ollama = createOllama();
    const results = await Promise.all(Array.from({ length: 20 }, (_, n) => ollama.embed({ model: 'embeddinggemma', input: `text-${n}` })));
    expect(seen).toHaveLength(20);
    expect(results.map((result) => [result.embeddings, result.usage.inputTokens])).toEqual(Array.from({ length: 20 }, (_, n) => [[[n, n + 0.5]], n]));
  });
});

describe('embed(): errors', () => {
  it("a 404 for a model that is not pulled is a not_found KitError with the server's message, reported once", async () => {
    const seen = onEmbed(({ body }) => HttpResponse.json(modelNotFound(String(body.model)), { status: 404 }), CLOUD);
    const { credentials, reports } = recordingPool();
    const error = await caught(createOllama({ baseURL: CLOUD, credentials }).embed({ model: 'nope', input: 'x' }));
    expect(error).toBeInstanceOf(KitError);
    expect(error).toMatchObject({
      code: 'not_found',
      status: 404,
      provider: 'ollama',
      message: expect.stringContaining('model "nope" not found, try pulling it first'),
    });
    expect(seen).toHaveLength(1);
    expect(reports).toEqual(['failure:cloud-1:not_found#3']);
  });

  it.each([
    ['model missing', { input: 'x' }, 'model: is required'],
    ['model empty', { model: '', input: 'x' }, 'model: must not be empty'],
    ['input missing', { model: 'm' }, 'input: is required'],
    ['input an empty string', { model: 'm', input: '' }, 'input: must not be empty'],
    ['input an empty list', { model: 'm', input: [] }, 'input: must not be empty'],
    ['an empty string in input', { model: 'm', input: ['a', ''] }, 'input[1]: must not be empty'],
    ['a number in input', { model: 'm', input: ['a', 2] }, 'input[1]: must be a string'],
    ['dimensions 0', { model: 'm', input: 'x', dimensions: 0 }, 'dimensions: must be greater than 0'],
    ['dimensions 1.5', { model: 'm', input: 'x', dimensions: 1.5 }, 'dimensions: must be an integer'],
    ['truncate not a boolean', { model: 'm', input: 'x', truncate: 'yes' }, 'truncate: must be a boolean'],
    ['keepAlive empty', { model: 'm', input: 'x', keepAlive: '' }, 'keepAlive'],
    ['timeoutMs 0', { model: 'm', input: 'x', timeoutMs: 0 }, 'timeoutMs: must be greater than 0'],
    ['an unknown option', { model: 'm', input: 'x', prompt: 'x' }, 'prompt: is not a known option'],
  ])('refuses bad options before any request: %s', async (_, options, field) => {
    const seen = onEmbed(() => HttpResponse.json(singleEmbedding));
    const { credentials, reports } = recordingPool();
    const error = await caught(createOllama({ credentials }).embed(options as never));
    expect(error).toBeInstanceOf(KitError);
    expect(error).toMatchObject({ code: 'invalid_request', message: expect.stringContaining(field) });
    expect(seen).toHaveLength(0);
    expect(reports).toEqual([]);
  });

  it.each([
    ['fewer vectors than inputs', ['a', 'b'], { embeddings: [[0.1, 0.2]] }, 'embeddings: 1 vectors for 2 inputs'],
    ['more vectors than inputs', 'a', twoEmbeddings, 'embeddings: 2 vectors for 1 inputs'],
    ['a string in a vector', 'a', { embeddings: [[0.1, '0.2']] }, 'embeddings[0][1]: not a finite number'],
    ['a null in a vector', ['a', 'b'], { embeddings: [[0.1], [null]] }, 'embeddings[1][0]: not a finite number'],
    ['a vector that is no array', 'a', { embeddings: [0.1] }, 'embeddings[0]: not a non-empty array'],
    ['an empty vector', 'a', { embeddings: [[]] }, 'embeddings[0]: not a non-empty array'],
    ['vectors of different lengths', ['a', 'b'], { embeddings: [[1, 2], [3]] }, 'embeddings[1]: 1 dimensions'],
    ['no embeddings', 'a', { model: 'm', embedding: [0.1] }, 'embeddings: missing'],
    ['a flat vector', 'a', { embeddings: 'x' }, 'embeddings: missing or not an array'],
    ['an empty body', 'a', undefined, 'embeddings: missing'],
  ])('a malformed answer is invalid_response, reported against the lease: %s', async (_, input, answer, problem) => {
    onEmbed(() => (answer === undefined ? new HttpResponse(null, { status: 200 }) : HttpResponse.json(answer)));
    const { credentials, reports } = recordingPool();
    const error = await caught(createOllama({ credentials }).embed({ model: 'm', input }));
    expect(error).toBeInstanceOf(KitError);
    expect(error).toMatchObject({ code: 'invalid_response', credentialId: 'cloud-1', message: expect.stringContaining(problem) });
    expect(reports).toEqual(['failure:cloud-1:invalid_response#3']);
  });

  it('parseOllamaEmbeddings throws invalid_response, never a TypeError, for any shape of body', () => {
    const context = { provider: 'ollama', model: 'm', count: 1 };
    for (const body of [
      null,
      42,
      'text',
      [],
      {},
      { embeddings: null },
      { embeddings: [null] },
      { embeddings: [[Number.NaN]] },
      { embeddings: [[Number.POSITIVE_INFINITY]] },
    ]) {
      expect(() => parseOllamaEmbeddings(body, context)).toThrow(expect.objectContaining({ name: 'KitError', code: 'invalid_response' }));
    }
  });

  it('a signal aborted before the call rejects with aborted: nothing is sent, nothing reported', async () => {
    const seen = onEmbed(() => HttpResponse.json(singleEmbedding));
    const { credentials, reports } = recordingPool();
    const error = await caught(createOllama({ credentials }).embed({ model: 'm', input: 'x', signal: AbortSignal.abort() }));
    expect(error).toMatchObject({ name: 'KitError', code: 'aborted' });
    expect(seen).toHaveLength(0);
    expect(reports).toEqual([]);
  });

  it('aborting while the server works rejects with aborted at once, not reported as a failure', async () => {
    const controller = new AbortController();
    onEmbed(async () => {
      controller.abort();
      await delay('infinite');
      return HttpResponse.json(singleEmbedding);
    });
    const { credentials, reports } = recordingPool();
    const error = await caught(createOllama({ credentials }).embed({ model: 'm', input: 'x', signal: controller.signal }));
    expect(error).toMatchObject({ name: 'KitError', code: 'aborted' });
    expect(reports).toEqual([]);
  });

  it('no answer within timeoutMs is a timeout', async () => {
    onEmbed(async () => {
      await delay('infinite');
      return HttpResponse.json(singleEmbedding);
    });
    const error = await caught(createOllama().embed({ model: 'm', input: 'x', timeoutMs: 50 }));
    expect(error).toMatchObject({ name: 'KitError', code: 'timeout' });
  });

  it('the key never appears in an error message or in JSON.stringify(error), whatever the server echoes', async () => {
    const answers = [
      () => HttpResponse.json({ error: `unauthorized: key ${KEY} is not valid` }, { status: 401 }),
      () => HttpResponse.json({ error: `model "m" not found for key Bearer ${KEY}` }, { status: 404 }),
      () => new HttpResponse(`upstream failed for ${KEY}`, { status: 502 }),
      () => new HttpResponse(`not json ${KEY}`, { status: 200 }),
      () => HttpResponse.json({ embeddings: [[KEY]], note: KEY }),
    ];
    const codes: string[] = [];
    for (const answer of answers) {
      onEmbed(answer, CLOUD);
      const error = await caught(createOllama({ baseURL: CLOUD, apiKey: KEY }).embed({ model: 'm', input: 'x' }));
      expect(error).toBeInstanceOf(KitError);
      codes.push((error as KitError).code);
      expect((error as Error).message).not.toContain(KEY);
      expect(String((error as Error).stack)).not.toContain(KEY);
      expect(JSON.stringify(error)).not.toContain(KEY);
    }
    expect(codes).toEqual(['authentication', 'not_found', 'server_error', 'invalid_response', 'invalid_response']);
  });
});
