import { KitError, type CredentialLease, type CredentialSource, type KitEvent, type StreamEvent } from '@kit/core';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createQwen, defineQwenProvider, QWEN_DASHSCOPE_DEFAULT_MODEL, QWEN_OAUTH_DEFAULT_MODEL } from './qwen-provider';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  server.resetHandlers();
  vi.unstubAllEnvs();
});
afterAll(() => server.close());

interface Seen {
  url: string;
  authorization: string | null;
  body: Record<string, unknown>;
}

/** Answers every chat request under `base` (any host when `base` is a pattern) and records it. */
function chatAt(base: string, respond: (body: Record<string, unknown>) => Response = answerText): Seen[] {
  const seen: Seen[] = [];
  server.use(
    http.post(`${base}/chat/completions`, async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      seen.push({ url: request.url, authorization: request.headers.get('authorization'), body });
      return respond(body);
    }),
  );
  return seen;
}

/** "Hello there", streamed or as one completion, as the request asked. */
function answerText(body: Record<string, unknown>): Response {
  if (body.stream) return sse(textChunks);
  return HttpResponse.json({
    id: 'chatcmpl-7f1c',
    object: 'chat.completion',
    created: 1_760_000_000,
    model: body.model,
    system_fingerprint: null,
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hello there' }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: 22, completion_tokens: 5, total_tokens: 27 },
  });
}

const sse = (chunks: readonly unknown[], headers: Record<string, string> = {}) =>
  new HttpResponse([...chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`), 'data: [DONE]\n\n'].join(''), {
    headers: { 'content-type': 'text/event-stream', ...headers },
  });

// Chunks as DashScope's compatible mode sends them: `system_fingerprint: null`, a usage-only last chunk.
const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: 'chatcmpl-7f1c',
  object: 'chat.completion.chunk',
  created: 1_760_000_000,
  model: 'qwen-plus',
  system_fingerprint: null,
  choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
});
const usageChunk = {
  id: 'chatcmpl-7f1c',
  object: 'chat.completion.chunk',
  choices: [],
  usage: { prompt_tokens: 22, completion_tokens: 5, total_tokens: 27, prompt_tokens_details: { cached_tokens: 0 } },
};
const textChunks = [chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hello' }), chunk({ content: ' there' }), chunk({}, 'stop'), usageChunk];

/** A source of one OAuth lease (as an `OAuthManager` would hand out). */
function oauthAccount(lease: Partial<CredentialLease> = {}): CredentialSource & { failures: KitError[] } {
  const failures: KitError[] = [];
  return {
    failures,
    acquire: async () => ({ id: 'account-1', secret: 'test-access-token-1', kind: 'oauth', ...lease }),
    reportSuccess: () => {},
    reportFailure: (_id, error) => failures.push(error),
    onUnauthorized: async () => false,
  };
}

async function collect(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

const failureOf = async (promise: Promise<unknown>): Promise<KitError> => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!KitError.is(error)) throw new Error(`expected a KitError, got ${String(error)}`);
  return error.code === 'credentials_exhausted' && KitError.is(error.cause) ? error.cause : error;
};

describe('createQwen with a DashScope API key', () => {
  it('streams from the international endpoint with the key from DASHSCOPE_API_KEY, sending max_completion_tokens', async () => {
    const seen = chatAt('https://dashscope-intl.aliyuncs.com/compatible-mode/v1');
    vi.stubEnv('DASHSCOPE_API_KEY', 'test-key-1');
    const qwen = createQwen();
    expect([qwen.name, qwen.type, qwen.getDefaultModel()]).toEqual(['qwen', 'qwen', QWEN_DASHSCOPE_DEFAULT_MODEL]);
    const completion = await (await qwen.generateChatCompletion({ system: 'Be brief.', prompt: 'Hi', maxTokens: 64, temperature: 0.2 })).final();
    expect(completion).toMatchObject({
      text: 'Hello there',
      finishReason: 'stop',
      usage: { inputTokens: 22, outputTokens: 5, totalTokens: 27, cachedInputTokens: 0 },
    });
    expect(seen[0]?.authorization).toBe('Bearer test-key-1');
    expect(seen[0]?.body).toEqual({
      model: 'qwen-plus',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      temperature: 0.2,
      max_completion_tokens: 64,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('picks the region endpoint, or baseURL, and passes DashScope extras from providerOptions.qwen', async () => {
    const beijing = chatAt('https://dashscope.aliyuncs.com/compatible-mode/v1');
    const virginia = chatAt('https://dashscope-us.aliyuncs.com/compatible-mode/v1');
    const proxy = chatAt('https://llm-proxy.example.com/qwen/v1');
    await createQwen({ apiKey: 'test-key-1', region: 'beijing' }).complete({
      prompt: 'Hi',
      providerOptions: { qwen: { enable_thinking: false, enable_search: true } },
    });
    await createQwen({ apiKey: 'test-key-1', region: 'virginia' }).complete({ prompt: 'Hi' });
    await createQwen({ apiKey: 'test-key-1', baseURL: 'https://llm-proxy.example.com/qwen/v1/' }).complete({ prompt: 'Hi' });
    expect([beijing.length, virginia.length, proxy.length]).toEqual([1, 1, 1]);
    expect(beijing[0]?.body).toMatchObject({ enable_thinking: false, enable_search: true });
    expect(beijing[0]?.body).not.toHaveProperty('stream');
  });

  it('says which variable to set, and rejects bad settings naming the field', async () => {
    vi.stubEnv('DASHSCOPE_API_KEY', '');
    await expect(createQwen().complete({ prompt: 'Hi' })).rejects.toThrowError(/DASHSCOPE_API_KEY/);
    expect(() => createQwen({ region: 'mars' } as never)).toThrowError(/region/);
    expect(() => createQwen({ region: 'beijing', baseURL: 'https://example.com/v1' })).toThrowError(/region.*baseURL/);
    expect(() => createQwen({ oauthBaseURL: 'not a url' })).toThrowError('invalid qwen settings: oauthBaseURL: must be an http(s) URL without spaces');
    expect(() => createQwen({ organization: 'x' } as never)).toThrowError(/organization/);
    expect(() => createQwen({ region: 'mars' } as never)).toThrowError(expect.objectContaining({ code: 'invalid_config' }));
  });
});

describe('createQwen with OAuth accounts', () => {
  it('sends an account without resourceUrl to portal.qwen.ai with max_tokens, defaulting to the coder model', async () => {
    const seen = chatAt('https://portal.qwen.ai/v1');
    const qwen = createQwen({ credentials: oauthAccount() });
    expect(qwen.getDefaultModel()).toBe(QWEN_OAUTH_DEFAULT_MODEL);
    await qwen.complete({ prompt: 'Hi', maxTokens: 100 });
    expect(seen[0]?.authorization).toBe('Bearer test-access-token-1');
    expect(seen[0]?.body).toEqual({ model: 'qwen3-coder-plus', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 100 });
  });

  it('sends each account to https://<resourceUrl>/v1, whatever form the resourceUrl has', async () => {
    const portal = chatAt('https://portal.qwen.ai/v1');
    const regional = chatAt('https://dashscope.aliyuncs.com/compatible-mode/v1');
    const other = chatAt('https://qwen-resource.example.com/v1');
    for (const resourceUrl of ['portal.qwen.ai', 'https://portal.qwen.ai/v1/', 'portal.qwen.ai/v1']) {
      await createQwen({ credentials: oauthAccount({ baseURL: resourceUrl }) }).complete({ prompt: 'Hi' });
    }
    await createQwen({ credentials: oauthAccount({ baseURL: 'https://dashscope.aliyuncs.com/compatible-mode' }) }).complete({ prompt: 'Hi' });
    // The configured DashScope endpoint and oauthBaseURL do not override an account's own resource URL.
    await createQwen({
      credentials: oauthAccount({ baseURL: 'qwen-resource.example.com' }),
      oauthBaseURL: 'https://elsewhere.example.com/v1',
      region: 'beijing',
    }).complete({
      prompt: 'Hi',
    });
    expect([portal.length, regional.length, other.length]).toEqual([3, 1, 1]);
  });

  it('uses oauthBaseURL for accounts without resourceUrl, and never sends an OAuth token to DashScope', async () => {
    const dashScope = chatAt('https://dashscope-intl.aliyuncs.com/compatible-mode/v1');
    const custom = chatAt('https://qwen-gateway.example.com/v1');
    await createQwen({ credentials: oauthAccount(), oauthBaseURL: 'https://qwen-gateway.example.com/v1' }).complete({ prompt: 'Hi' });
    expect([custom.length, dashScope.length]).toEqual([1, 0]);
  });

  it('refuses a resourceUrl that is not a host', async () => {
    const error = await failureOf(createQwen({ credentials: oauthAccount({ baseURL: 'not a host' }), maxRetries: 0 }).complete({ prompt: 'Hi' }));
    expect(error).toMatchObject({ code: 'invalid_config' });
    expect(error.message).toMatch(/resourceUrl/);
  });

  it('keeps the access token out of errors and events on a 401', async () => {
    chatAt('https://portal.qwen.ai/v1', () =>
      HttpResponse.json(
        { error: { message: 'invalid access token or token expired: test-access-token-1', type: 'invalid_request_error', code: 'invalid_api_key' } },
        { status: 401 },
      ),
    );
    const events: KitEvent[] = [];
    const account = oauthAccount();
    const error = await failureOf(createQwen({ credentials: account, onEvent: (event) => events.push(event) }).complete({ prompt: 'Hi' }));
    expect(error).toMatchObject({ code: 'authentication', status: 401, credentialId: 'account-1' });
    expect(account.failures.map((failure) => failure.code)).toEqual(['authentication']);
    const observable = JSON.stringify([error, error.message, error.stack, events, account.failures.map((failure) => [failure.message, failure.stack])]);
    expect(observable).not.toContain('test-access-token-1');
  });
});

describe('Qwen streams', () => {
  it('assembles parallel tool calls whose arguments arrive split and interleaved', async () => {
    // DashScope sends the id and name once, then argument pieces with an empty id and no name.
    const call = (index: number, fields: Record<string, unknown>) => chunk({ tool_calls: [{ index, type: 'function', ...fields }] });
    chatAt('https://portal.qwen.ai/v1', () =>
      sse([
        chunk({ role: 'assistant', content: null }),
        call(0, { id: 'call_a1', function: { name: 'get_weather', arguments: '' } }),
        call(1, { id: 'call_b2', function: { name: 'get_time', arguments: '{"zone"' } }),
        call(0, { id: '', function: { arguments: '{"city": ' } }),
        call(1, { id: '', function: { arguments: ': "Asia/Shanghai"}' } }),
        call(0, { id: '', function: { arguments: '"Hangzhou"}' } }),
        chunk({}, 'tool_calls'),
        usageChunk,
      ]),
    );
    const qwen = createQwen({ credentials: oauthAccount() });
    const tools = [
      { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
      { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } } } },
    ];
    const events = await collect(await qwen.generateChatCompletion({ prompt: 'Weather and time in Hangzhou?', tools }));
    const calls = events.filter((event): event is Extract<StreamEvent, { type: 'tool-call' }> => event.type === 'tool-call').map((event) => event.toolCall);
    expect(calls).toEqual([
      { id: 'call_a1', name: 'get_weather', arguments: '{"city": "Hangzhou"}', input: { city: 'Hangzhou' } },
      { id: 'call_b2', name: 'get_time', arguments: '{"zone": "Asia/Shanghai"}', input: { zone: 'Asia/Shanghai' } },
    ]);
    expect(events.filter((event) => event.type === 'tool-call-delta')).toHaveLength(5);
    expect(events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
  });

  it('streams reasoning_content of thinking models as reasoning-delta', async () => {
    chatAt('https://dashscope-intl.aliyuncs.com/compatible-mode/v1', () =>
      sse([
        chunk({ role: 'assistant', content: '', reasoning_content: 'The user greets. ' }),
        chunk({ reasoning_content: 'Reply.' }),
        chunk({ content: 'Hi!' }),
        chunk({}, 'stop'),
        usageChunk,
      ]),
    );
    const completion = await (await createQwen({ apiKey: 'test-key-1' }).generateChatCompletion({ model: 'qwen3-max', prompt: 'Hi' })).final();
    expect(completion).toMatchObject({ text: 'Hi!', reasoning: 'The user greets. Reply.' });
  });
});

describe('Qwen errors and rate limits', () => {
  const refused = (status: number, code: string, message: string) => () =>
    HttpResponse.json({ error: { code, type: code, param: null, message }, request_id: 'req-1' }, { status });

  it('reads DashScope identifiers: Arrearage → quota_exceeded, DataInspectionFailed → content_filter, input length → context_length', async () => {
    const cases: [(body: Record<string, unknown>) => Response, string][] = [
      [refused(400, 'Arrearage', 'Access denied, please make sure your account is in good standing.'), 'quota_exceeded'],
      [refused(400, 'data_inspection_failed', 'Input data may contain inappropriate content.'), 'content_filter'],
      [refused(400, 'invalid_parameter_error', 'Range of input length should be [1, 129024]'), 'context_length'],
      [refused(429, 'limit_requests', 'Requests rate limit exceeded, please try again later.'), 'rate_limit'],
      [refused(400, 'invalid_parameter_error', 'temperature must be in [0, 2)'), 'invalid_request'],
    ];
    for (const [respond, code] of cases) {
      server.resetHandlers();
      chatAt('https://dashscope-intl.aliyuncs.com/compatible-mode/v1', respond);
      const error = await failureOf(createQwen({ apiKey: 'test-key-1', maxRetries: 0 }).complete({ prompt: 'Hi' }));
      expect(error.code).toBe(code);
    }
  });

  it('emits rate-limit events from x-ratelimit-* headers when DashScope sends them', async () => {
    chatAt('https://dashscope-intl.aliyuncs.com/compatible-mode/v1', () =>
      sse(textChunks, { 'x-ratelimit-limit-requests': '600', 'x-ratelimit-remaining-requests': '599', 'x-ratelimit-reset-requests': '100ms' }),
    );
    const events: KitEvent[] = [];
    await createQwen({ apiKey: 'test-key-1', onEvent: (event) => events.push(event) }).complete({ prompt: 'Hi', stream: true });
    expect(events.find((event) => event.type === 'rate-limit')).toMatchObject({
      credentialId: 'default',
      rateLimit: { requestsLimit: 600, requestsRemaining: 599 },
    });
  });
});

describe('defineQwenProvider', () => {
  it('is the OpenAI dialect with the Qwen defaults, vision and reasoning', () => {
    const definition = defineQwenProvider();
    expect(definition).toMatchObject({
      type: 'qwen',
      defaultBaseURL: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1',
      defaultModel: 'qwen-plus',
      apiKeyEnvVar: 'DASHSCOPE_API_KEY',
    });
    expect(definition.capabilities).toMatchObject({ streaming: true, tools: true, vision: true, reasoning: true, json: true, documents: false, audio: false });
    const models =
      definition.models?.parse({ data: [{ id: 'qwen-plus' }, { id: 'text-embedding-v4' }, { id: 'qwen3-vl-plus' }, { id: 'qwen-tts' }] }, 'qwen') ?? [];
    expect(models.map((model) => [model.id, model.capabilities.vision])).toEqual([
      ['qwen-plus', false],
      ['qwen3-vl-plus', true],
    ]);
  });
});
