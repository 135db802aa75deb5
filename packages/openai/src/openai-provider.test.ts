import { KitError, type CredentialLease, type CredentialSource, type KitEvent, type StreamEvent } from '@kit/core';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createOpenAI } from './openai-provider';

const CHAT_URL = 'https://api.openai.com/v1/chat/completions';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  server.resetHandlers();
  vi.unstubAllEnvs();
});
afterAll(() => server.close());

const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-6-luna-2026-09-22',
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
const stream = [
  chunk({ role: 'assistant', content: '' }),
  chunk({ content: 'Hi' }),
  chunk({ content: ' there' }),
  chunk({}, 'stop'),
  JSON.stringify({
    id: 'chatcmpl-1',
    choices: [],
    usage: { prompt_tokens: 8, completion_tokens: 2, total_tokens: 10, prompt_tokens_details: { cached_tokens: 0 } },
  }),
  '[DONE]',
];
const sse = (datas: string[], headers: Record<string, string> = {}) =>
  new HttpResponse(datas.map((data) => `data: ${data}\n\n`).join(''), { headers: { 'content-type': 'text/event-stream', ...headers } });

interface Seen {
  headers: Headers;
  body: Record<string, unknown>;
}
function onChat(respond: (seen: Seen) => Response): Seen[] {
  const seen: Seen[] = [];
  server.use(
    http.post(CHAT_URL, async ({ request }) => {
      const entry = { headers: request.headers, body: (await request.json()) as Record<string, unknown> };
      seen.push(entry);
      return respond(entry);
    }),
  );
  return seen;
}

/** A two-key pool, the way a KeyManager is plugged in. */
function pool(keys: string[]): CredentialSource & { failures: string[] } {
  let next = 0;
  const failures: string[] = [];
  return {
    failures,
    acquire: async (): Promise<CredentialLease> => {
      const index = next++ % keys.length;
      return { id: `key-${index + 1}`, secret: keys[index] as string, kind: 'api-key' };
    },
    reportSuccess: () => {},
    reportFailure: (id) => {
      failures.push(id);
    },
  };
}

describe('createOpenAI', () => {
  it('streams a chat completion with OPENAI_API_KEY, organization and project headers', async () => {
    vi.stubEnv('OPENAI_API_KEY', 'test-key-1');
    const seen = onChat(() => sse(stream, { 'x-ratelimit-remaining-requests': '499', 'x-ratelimit-reset-requests': '120ms' }));
    const events: KitEvent[] = [];
    const openai = createOpenAI({ organization: 'org-test', project: 'proj_test', onEvent: (event) => events.push(event) });
    expect([openai.name, openai.type, openai.getDefaultModel()]).toEqual(['openai', 'openai', 'gpt-6-luna']);
    const result = await openai.generateChatCompletion({ prompt: 'Hi' });
    const received: StreamEvent[] = [];
    for await (const event of result) received.push(event);
    expect(received.map((event) => event.type)).toEqual(['start', 'text-delta', 'text-delta', 'finish']);
    expect(received.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'stop',
      usage: { inputTokens: 8, outputTokens: 2, totalTokens: 10, cachedInputTokens: 0 },
    });
    expect(seen[0]?.headers.get('authorization')).toBe('Bearer test-key-1');
    expect(seen[0]?.headers.get('openai-organization')).toBe('org-test');
    expect(seen[0]?.headers.get('openai-project')).toBe('proj_test');
    expect(seen[0]?.body).toMatchObject({ model: 'gpt-6-luna', stream: true, stream_options: { include_usage: true } });
    expect(events.find((event) => event.type === 'rate-limit')).toMatchObject({ credentialId: 'default', rateLimit: { requestsRemaining: 499 } });
  });

  it('sends max_completion_tokens (never max_tokens) for every model, gpt-6-* included', async () => {
    // Reasoning models refuse `max_tokens` with this 400, recorded in public bug reports
    // (griptape-ai/ComfyUI-Griptape#312 for gpt-5, fish2018/YPrompt#26 for gpt-5.1).
    const refused = {
      error: {
        message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
        type: 'invalid_request_error',
        param: 'max_tokens',
        code: 'unsupported_parameter',
      },
    };
    const seen = onChat(({ body }) => ('max_tokens' in body ? HttpResponse.json(refused, { status: 400 }) : sse(stream)));
    const openai = createOpenAI({ apiKey: 'test-key-1' });
    for (const model of ['gpt-6-mini', 'o4-mini', 'gpt-4o']) {
      const completion = await (await openai.generateChatCompletion({ model, prompt: 'Hi', maxTokens: 500 })).final();
      expect(completion.text).toBe('Hi there');
    }
    expect(seen.map((entry) => [entry.body.max_completion_tokens, entry.body.max_tokens])).toEqual([
      [500, undefined],
      [500, undefined],
      [500, undefined],
    ]);
    expect(seen[0]?.headers.has('openai-organization')).toBe(false);
  });

  it('reads OPENAI_BASE_URL like the official SDK (the full base URL); an explicit baseURL wins', async () => {
    const seenAt: string[] = [];
    for (const base of ['https://gateway.example.com/openai/v1', 'https://explicit.example.com/v1']) {
      server.use(
        http.post(`${base}/chat/completions`, ({ request }) => {
          seenAt.push(request.url);
          return sse(stream);
        }),
      );
    }
    vi.stubEnv('OPENAI_BASE_URL', 'https://gateway.example.com/openai/v1');
    const fromEnvironment = createOpenAI({ apiKey: 'test-key-1' });
    expect(fromEnvironment.getConfig()).toMatchObject({ baseURL: 'https://gateway.example.com/openai/v1' });
    await (await fromEnvironment.generateChatCompletion({ prompt: 'Hi' })).final();
    await (await createOpenAI({ apiKey: 'test-key-1', baseURL: 'https://explicit.example.com/v1' }).generateChatCompletion({ prompt: 'Hi' })).final();
    expect(seenAt).toEqual(['https://gateway.example.com/openai/v1/chat/completions', 'https://explicit.example.com/v1/chat/completions']);
    vi.stubEnv('OPENAI_BASE_URL', 'not a url');
    expect(() => createOpenAI({ apiKey: 'test-key-1' })).toThrowError(/OPENAI_BASE_URL/);
  });

  it('moves to the next key of a pool after an invalid key, penalising only that key', async () => {
    const seen = onChat(({ headers }) =>
      headers.get('authorization') === 'Bearer test-key-1'
        ? HttpResponse.json({ error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } }, { status: 401 })
        : sse(stream),
    );
    const credentials = pool(['test-key-1', 'test-key-2']);
    const completion = await createOpenAI({ credentials }).complete({ prompt: 'Hi', stream: true });
    expect(completion).toMatchObject({ text: 'Hi there', credentialId: 'key-2', finishReason: 'stop' });
    expect(credentials.failures).toEqual(['key-1']);
    expect(seen).toHaveLength(2);
  });

  it('fails fast on a context-length error', async () => {
    const seen = onChat(() =>
      HttpResponse.json(
        {
          error: {
            message: "This model's maximum context length is 128000 tokens.",
            type: 'invalid_request_error',
            param: 'messages',
            code: 'context_length_exceeded',
          },
        },
        { status: 400 },
      ),
    );
    const error = await createOpenAI({ credentials: pool(['test-key-1', 'test-key-2']) })
      .complete({ prompt: 'Hi' })
      .catch((caught: unknown) => caught);
    expect(KitError.is(error) && error.code).toBe('context_length');
    expect(seen).toHaveLength(1);
    expect(String((error as Error).message)).not.toContain('test-key');
  });

  it('lists only chat models, live, with the shutdown date OpenAI reports', async () => {
    // `shutdown_date` (YYYY-MM-DD, or null when none is announced) as the deprecations page documents it for
    // GET /v1/models (developers.openai.com/api/docs/deprecations), with the dates that page gives.
    server.use(
      http.get('https://api.openai.com/v1/models', () =>
        HttpResponse.json({
          object: 'list',
          data: [
            { id: 'gpt-6-luna', object: 'model', created: 1, owned_by: 'system', shutdown_date: null },
            { id: 'gpt-4.1-mini', object: 'model', created: 1, owned_by: 'system', shutdown_date: '2027-01-14' },
            { id: 'o3', object: 'model', created: 1, owned_by: 'system', shutdown_date: '2026-12-11' },
            { id: 'text-embedding-3-large', object: 'model', created: 1, owned_by: 'system' },
            { id: 'whisper-1', object: 'model', created: 1, owned_by: 'openai-internal' },
          ],
        }),
      ),
    );
    const models = await createOpenAI({ apiKey: 'test-key-1' }).getModels();
    expect(models.map((model) => [model.id, model.capabilities.reasoning, model.contextWindow, model.shutdownDate])).toEqual([
      ['gpt-6-luna', true, 1_050_000, undefined],
      ['gpt-4.1-mini', false, undefined, '2027-01-14'],
      ['o3', true, undefined, '2026-12-11'],
    ]);
  });

  it('serves the current models, none with a shutdown date, when GET /models fails', async () => {
    server.use(http.get('https://api.openai.com/v1/models', () => HttpResponse.json({ error: { message: 'down' } }, { status: 503 })));
    const models = await createOpenAI({ apiKey: 'test-key-1', maxRetries: 0 }).getModels();
    expect(models.map((model) => model.id)).toEqual(['gpt-6-luna', 'gpt-6.1-terra', 'gpt-6.1-sol']);
    expect(models.filter((model) => model.shutdownDate)).toEqual([]);
  });

  it('rejects unknown or bad settings, naming the field', () => {
    const attempt = (settings: Record<string, unknown>) => {
      try {
        createOpenAI(settings as never);
      } catch (error) {
        return error as KitError;
      }
      throw new Error('expected an error');
    };
    expect(attempt({ organisation: 'org-x' })).toMatchObject({ code: 'invalid_config', message: expect.stringContaining('organisation') });
    expect(attempt({ project: '' }).message).toContain('project');
    expect(attempt({ maxRetries: -1 }).message).toContain('maxRetries');
  });

  it('says what is wrong with a setting in plain words, before any request', () => {
    const messageOf = (settings: Record<string, unknown>) => {
      try {
        createOpenAI(settings as never);
      } catch (error) {
        return (error as KitError).message;
      }
      throw new Error('expected an error');
    };
    expect(messageOf({ timeoutMs: 2.5 })).toBe('invalid openai settings: timeoutMs: must be an integer');
    expect(messageOf({ timeoutMs: 2 ** 31 })).toBe(
      'invalid openai settings: timeoutMs: must be at most 2147483647 (about 24.8 days: timers cannot wait longer)',
    );
    expect(messageOf({ baseURL: 'https://api.openai.com/v1\n' })).toBe('invalid openai settings: baseURL: must be an http(s) URL without spaces');
    expect(messageOf({ headers: { 'OpenAI Beta': 'x' } })).toMatch(/^invalid openai settings: headers\.OpenAI Beta: is not a valid HTTP header name/);
    expect(messageOf({ apiKey: 'test-key-1234567890\n' })).toBe(
      'invalid openai settings: apiKey: must not contain whitespace or a line break (was a space or newline copied with the key?)',
    );
    expect(messageOf({ organization: 'org-1', project: 5 })).toBe('invalid openai settings: project: must be a string');
  });
});
