import { KitError, type CredentialSource } from '@kit/core';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { errorAfterContent, ndjson, runningModels, streamedText, tags, thinkingThenToolCall, toolCallAnswer, wholeAnswer } from './__fixtures__/ollama-chat';
import { createOllama } from './ollama-provider';

const LOCAL = 'http://localhost:11434';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  server.resetHandlers();
  vi.unstubAllEnvs();
});
afterAll(() => server.close());

const ndjsonResponse = (objects: readonly unknown[], status = 200) =>
  new HttpResponse(ndjson(objects), { status, headers: { 'content-type': 'application/x-ndjson' } });

interface Seen {
  url: string;
  headers: Headers;
  body: Record<string, unknown>;
}
function onChat(respond: (seen: Seen, index: number) => Response, base = LOCAL): Seen[] {
  const seen: Seen[] = [];
  server.use(
    http.post(`${base}/api/chat`, async ({ request }) => {
      const entry = { url: request.url, headers: request.headers, body: (await request.json()) as Record<string, unknown> };
      seen.push(entry);
      return respond(entry, seen.length - 1);
    }),
  );
  return seen;
}

const SECRET = 'ollama-cloud-key-0123456789abcdef';

describe('createOllama: chat', () => {
  it('streams NDJSON from the local server with no auth header and no key needed', async () => {
    vi.stubEnv('OLLAMA_API_KEY', '');
    vi.stubEnv('OLLAMA_HOST', '');
    const seen = onChat(() => ndjsonResponse(streamedText));
    const ollama = createOllama();
    const stream = await ollama.generateChatCompletion({ prompt: 'why is the sky blue?' });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toEqual(['start', 'text-delta', 'text-delta', 'finish']);
    expect(seen[0]?.headers.get('authorization')).toBeNull();
    expect(seen[0]?.body).toEqual({ model: 'llama3.2', messages: [{ role: 'user', content: 'why is the sky blue?' }], stream: true });
  });

  it('complete() sends stream: false and assembles the one JSON answer', async () => {
    const seen = onChat(() => HttpResponse.json(wholeAnswer));
    const completion = await createOllama().complete({ prompt: 'hi' });
    expect(seen[0]?.body.stream).toBe(false);
    expect(completion).toMatchObject({
      text: 'Hello! How are you today?',
      finishReason: 'stop',
      model: 'llama3.2',
      provider: 'ollama',
      usage: { inputTokens: 26, outputTokens: 298, totalTokens: 324 },
    });
  });

  it('a tool round trip: the call comes back with JSON-text arguments and parsed input, and goes out again as an object', async () => {
    const seen = onChat((_, index) => (index === 0 ? HttpResponse.json(toolCallAnswer) : ndjsonResponse(streamedText)));
    const ollama = createOllama({ defaultModel: 'qwen3' });
    const tools = [{ name: 'get_current_weather', parameters: { type: 'object', properties: { location: { type: 'string' }, format: { type: 'string' } } } }];
    const first = await ollama.complete({ prompt: 'What is the weather today in Paris?', tools });
    expect(first.finishReason).toBe('tool-calls');
    const [call] = first.toolCalls;
    expect(call?.arguments).toBe('{"format":"celsius","location":"Paris, FR"}');
    expect(call?.input).toEqual({ format: 'celsius', location: 'Paris, FR' });
    await (
      await ollama.generateChatCompletion({
        messages: [
          { role: 'user', content: 'What is the weather today in Paris?' },
          first.message,
          { role: 'tool', toolCallId: call?.id as string, content: '22°C' },
        ],
        tools,
      })
    ).final();
    const history = seen[1]?.body.messages as Record<string, unknown>[];
    expect(history[1]).toMatchObject({
      role: 'assistant',
      tool_calls: [{ id: call?.id, function: { name: 'get_current_weather', arguments: { format: 'celsius', location: 'Paris, FR' } } }],
    });
    expect(history[2]).toEqual({ role: 'tool', content: '22°C', tool_name: 'get_current_weather' });
    expect(seen[1]?.body.tools).toEqual([{ type: 'function', function: tools[0] }]);
  });

  it('streams thinking as reasoning and keeps it in the completion', async () => {
    onChat(() => ndjsonResponse(thinkingThenToolCall));
    const completion = await (await createOllama().generateChatCompletion({ prompt: 'weather?', providerOptions: { ollama: { think: true } } })).final();
    expect(completion.reasoning).toBe('The user wants the weather.');
    expect(completion.toolCalls.map((call) => call.name)).toEqual(['get_current_weather']);
  });

  it('an error line after content is thrown from the iterator as a KitError, the partial text kept', async () => {
    onChat(() => ndjsonResponse(errorAfterContent));
    const stream = await createOllama({ maxRetries: 0 }).generateChatCompletion({ prompt: 'hi' });
    const texts: string[] = [];
    const error = await (async () => {
      for await (const event of stream) if (event.type === 'text-delta') texts.push(event.text);
    })().catch((caught: unknown) => caught);
    expect(texts).toEqual([' Yes', '.']);
    expect(error).toBeInstanceOf(KitError);
    expect(error).toMatchObject({ code: 'server_error', message: expect.stringContaining('an error was encountered while running the model') });
  });

  it('classifies an HTTP error body { error }: an unknown model is not_found and not retried', async () => {
    const seen = onChat(() => HttpResponse.json({ error: 'model "nope" not found, try pulling it first' }, { status: 404 }));
    const error = await createOllama()
      .complete({ model: 'nope', prompt: 'hi' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'not_found', status: 404, message: expect.stringContaining('try pulling it first') });
    expect(seen).toHaveLength(1);
  });

  it('sends the cloud key as a Bearer token to ollama.com, and never puts it in an error', async () => {
    const seen = onChat(() => HttpResponse.json({ error: `unauthorized: key ${SECRET} is not valid` }, { status: 401 }), 'https://ollama.com');
    const ollama = createOllama({ baseURL: 'https://ollama.com', apiKey: SECRET });
    const error = await ollama.complete({ model: 'gpt-oss:120b', prompt: 'hi' }).catch((caught: unknown) => caught);
    expect(seen[0]?.headers.get('authorization')).toBe(`Bearer ${SECRET}`);
    expect(error).toMatchObject({ code: 'authentication', status: 401 });
    expect(JSON.stringify(error)).not.toContain(SECRET);
    expect((error as Error).message).not.toContain(SECRET);
  });

  it('reads OLLAMA_API_KEY at request time and OLLAMA_HOST (host:port, no scheme) at construction', async () => {
    vi.stubEnv('OLLAMA_HOST', 'gpu-box:8080');
    vi.stubEnv('OLLAMA_API_KEY', SECRET);
    const seen = onChat(() => HttpResponse.json(wholeAnswer), 'http://gpu-box:8080');
    const ollama = createOllama();
    expect(ollama.getConfig?.()).toMatchObject({ baseURL: 'http://gpu-box:8080' });
    await ollama.complete({ prompt: 'hi' });
    expect(seen[0]?.headers.get('authorization')).toBe(`Bearer ${SECRET}`);
  });

  it('refuses bad settings and bad providerOptions.ollama before any request', async () => {
    expect(() => createOllama({ keepAlive: '' } as never)).toThrow(
      expect.objectContaining({ code: 'invalid_config', message: expect.stringContaining('keepAlive') }),
    );
    expect(() => createOllama({ host: 'x' } as never)).toThrow(expect.objectContaining({ code: 'invalid_config', message: expect.stringContaining('host') }));
    const seen = onChat(() => HttpResponse.json(wholeAnswer));
    await expect(createOllama().complete({ prompt: 'hi', providerOptions: { ollama: { num_ctx: 4096 } } })).rejects.toMatchObject({ code: 'invalid_request' });
    expect(seen).toHaveLength(0);
  });
});

describe('createOllama: models, running models, health', () => {
  it('getModels() lists GET /api/tags', async () => {
    server.use(http.get(`${LOCAL}/api/tags`, () => HttpResponse.json(tags)));
    expect((await createOllama().getModels()).map((model) => model.id)).toEqual(['deepseek-r1:latest', 'llama3.2:latest']);
  });

  it('getModels() falls back to the default model when the server is down', async () => {
    server.use(http.get(`${LOCAL}/api/tags`, () => HttpResponse.error()));
    expect((await createOllama({ maxRetries: 0 }).getModels()).map((model) => model.id)).toEqual(['llama3.2']);
  });

  it('healthCheck() calls GET /api/version', async () => {
    const calls: string[] = [];
    server.use(
      http.get(`${LOCAL}/api/version`, ({ request }) => {
        calls.push(request.url);
        return HttpResponse.json({ version: '0.12.6' });
      }),
    );
    expect(await createOllama().healthCheck()).toMatchObject({ healthy: true });
    expect(calls).toEqual([`${LOCAL}/api/version`]);
    server.use(http.get(`${LOCAL}/api/version`, () => HttpResponse.json({ error: 'unauthorized' }, { status: 401 })));
    expect(await createOllama().healthCheck()).toMatchObject({ healthy: false, statusCode: 401 });
  });

  it('listRunningModels() reads GET /api/ps with the credential of the pool, and reports to it', async () => {
    const seen: Headers[] = [];
    server.use(
      http.get('https://ollama.com/api/ps', ({ request }) => {
        seen.push(request.headers);
        return HttpResponse.json(runningModels);
      }),
    );
    const successes: string[] = [];
    const credentials: CredentialSource = {
      acquire: async () => ({ id: 'cloud-1', secret: SECRET, kind: 'api-key', sequence: 7 }),
      reportSuccess: (id) => successes.push(id),
      reportFailure: () => {},
    };
    const ollama = createOllama({ baseURL: 'https://ollama.com/', credentials, headers: { 'x-team': 'a' } });
    const running = await ollama.listRunningModels();
    expect(running.map((model) => [model.id, model.sizeVramBytes])).toEqual([['mistral:latest', 5137025024]]);
    expect(seen[0]?.get('authorization')).toBe(`Bearer ${SECRET}`);
    expect(seen[0]?.get('x-team')).toBe('a');
    expect(successes).toEqual(['cloud-1']);
  });

  it('listRunningModels() throws a classified KitError and reports the failure, with no secret in it', async () => {
    server.use(http.get(`${LOCAL}/api/ps`, () => HttpResponse.json({ error: `bad key ${SECRET}` }, { status: 401 })));
    const failures: string[] = [];
    const credentials: CredentialSource = {
      acquire: async () => ({ id: 'k', secret: SECRET, kind: 'api-key' }),
      reportSuccess: () => {},
      reportFailure: (id, error) => failures.push(`${id}:${error.code}`),
    };
    const error = await createOllama({ credentials })
      .listRunningModels()
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'authentication', status: 401 });
    expect(JSON.stringify(error) + String((error as Error).message)).not.toContain(SECRET);
    expect(failures).toEqual(['k:authentication']);
  });
});
