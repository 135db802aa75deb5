import { KitError, type StreamEvent } from '@kit/core';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createOpenRouter } from './openrouter-provider';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  server.resetHandlers();
  vi.unstubAllEnvs();
});
afterAll(() => server.close());

const CHAT = 'https://openrouter.ai/api/v1/chat/completions';

interface Captured {
  headers: Headers;
  body: Record<string, unknown>;
}

function captureChat(respond: () => Response): Captured[] {
  const seen: Captured[] = [];
  server.use(
    http.post(CHAT, async ({ request }) => {
      seen.push({ headers: request.headers, body: (await request.json()) as Record<string, unknown> });
      return respond();
    }),
  );
  return seen;
}

/** An SSE body from raw lines (comments included), as OpenRouter writes it. */
const sse = (lines: string[]) => new HttpResponse(lines.map((line) => `${line}\n\n`).join(''), { headers: { 'content-type': 'text/event-stream' } });
const data = (json: unknown) => `data: ${JSON.stringify(json)}`;
const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) =>
  data({
    id: 'gen-1747-abc',
    provider: 'Anthropic',
    model: 'anthropic/claude-sonnet-4.5',
    object: 'chat.completion.chunk',
    created: 1_747_000_000,
    choices: [{ index: 0, delta, finish_reason: finish, native_finish_reason: finish }],
    ...extra,
  });

// Shapes seen in OpenRouter's docs: the `: OPENROUTER PROCESSING` keep-alive comment (openrouter.ai/docs/api-reference/streaming),
// `reasoning` + `reasoning_details` deltas with an Anthropic signature (openrouter.ai/docs/guides/best-practices/reasoning-tokens),
// and the usage-only last chunk with `cost` (as reported in github.com/Effect-TS/effect pull #6117).
const reasoningStream = [
  ': OPENROUTER PROCESSING',
  chunk({ role: 'assistant', content: '' }),
  chunk({
    reasoning: 'The user greets. ',
    reasoning_details: [{ type: 'reasoning.text', text: 'The user greets. ', format: 'anthropic-claude-v1', index: 0 }],
  }),
  ': OPENROUTER PROCESSING',
  chunk({ reasoning: 'Reply.', reasoning_details: [{ type: 'reasoning.text', text: 'Reply.', format: 'anthropic-claude-v1', index: 0 }] }),
  chunk({ reasoning_details: [{ type: 'reasoning.text', signature: 'EqQBCkgIARABGAIiQL2sig', format: 'anthropic-claude-v1', index: 0 }] }),
  chunk({ content: 'Hello!' }),
  chunk({}, 'stop'),
  data({
    id: 'gen-1747-abc',
    object: 'chat.completion.chunk',
    choices: [],
    usage: {
      prompt_tokens: 13,
      completion_tokens: 16,
      total_tokens: 29,
      cost: 0.000093,
      is_byok: false,
      prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0, audio_tokens: 0 },
      cost_details: { upstream_inference_cost: 0.000093 },
      completion_tokens_details: { reasoning_tokens: 5, image_tokens: 0 },
    },
  }),
  'data: [DONE]',
];

async function collect(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe('createOpenRouter: requests', () => {
  it('sends the key from OPENROUTER_API_KEY and no attribution headers by default', async () => {
    vi.stubEnv('OPENROUTER_API_KEY', 'test-key-1');
    const seen = captureChat(() => sse(reasoningStream));
    const openrouter = createOpenRouter();
    expect([openrouter.name, openrouter.type, openrouter.getDefaultModel()]).toEqual(['openrouter', 'openrouter', 'openrouter/auto']);
    await (await openrouter.generateChatCompletion({ prompt: 'Hi' })).final();
    expect(seen[0]?.headers.get('authorization')).toBe('Bearer test-key-1');
    expect(seen[0]?.headers.has('http-referer')).toBe(false);
    expect(seen[0]?.headers.has('x-title')).toBe(false);
    expect(seen[0]?.body).toEqual({
      model: 'openrouter/auto',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('sends siteUrl / appName as HTTP-Referer / X-Title, and providerOptions.openrouter as body fields', async () => {
    const seen = captureChat(() => sse(reasoningStream));
    const openrouter = createOpenRouter({ apiKey: 'test-key-1', siteUrl: 'https://example.org/app', appName: 'Kit Test' });
    await (
      await openrouter.generateChatCompletion({
        model: 'anthropic/claude-sonnet-4.5',
        prompt: 'Hi',
        maxTokens: 200,
        providerOptions: {
          openrouter: {
            models: ['openai/gpt-5-mini', 'google/gemini-2.5-flash'],
            provider: { order: ['Anthropic', 'Amazon Bedrock'], allow_fallbacks: false, data_collection: 'deny', sort: 'latency' },
            reasoning: { max_tokens: 1024, exclude: false },
            usage: { include: true },
            transforms: ['middle-out'],
          },
        },
      })
    ).final();
    expect(seen[0]?.headers.get('http-referer')).toBe('https://example.org/app');
    expect(seen[0]?.headers.get('x-title')).toBe('Kit Test');
    expect(seen[0]?.body).toMatchObject({
      model: 'anthropic/claude-sonnet-4.5',
      max_tokens: 200,
      models: ['openai/gpt-5-mini', 'google/gemini-2.5-flash'],
      provider: { order: ['Anthropic', 'Amazon Bedrock'], allow_fallbacks: false, data_collection: 'deny', sort: 'latency' },
      reasoning: { max_tokens: 1024, exclude: false },
      usage: { include: true },
      transforms: ['middle-out'],
    });
  });

  it('checks providerOptions.openrouter strictly before sending anything', async () => {
    const seen = captureChat(() => sse(reasoningStream));
    const openrouter = createOpenRouter({ apiKey: 'test-key-1' });
    const attempt = (options: Record<string, unknown>) =>
      openrouter.complete({ prompt: 'Hi', providerOptions: { openrouter: options } }).then(
        () => undefined,
        (error: unknown) => error as KitError,
      );
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ provider: { order: ['A'], sortt: 'price' } }, /providerOptions\.openrouter\.provider\.sortt/],
      [{ provider: { sort: 'fastest' } }, /providerOptions\.openrouter\.provider\.sort/],
      [{ reasoning: { effort: 'high', max_tokens: 10 } }, /providerOptions\.openrouter\.reasoning: effort and max_tokens exclude each other/],
      [{ reasoning: { effort: 'extreme' } }, /providerOptions\.openrouter\.reasoning\.effort/],
      [{ usage: { include: 'yes' } }, /providerOptions\.openrouter\.usage\.include/],
      [{ models: [] }, /providerOptions\.openrouter\.models/],
      [{ models: ['a', ''] }, /providerOptions\.openrouter\.models\[1\]/],
      [{ model: 'x' }, /providerOptions\.openrouter\.model: is set by @kit/],
    ];
    for (const [options, message] of cases) {
      const error = await attempt(options);
      expect(KitError.is(error), JSON.stringify(options)).toBe(true);
      expect([options, error?.code, error?.message]).toEqual([options, 'invalid_request', expect.stringMatching(message)]);
    }
    expect(seen).toHaveLength(0);
  });

  it('sends signed reasoning of an assistant message back as reasoning_details', async () => {
    const seen = captureChat(() => sse(reasoningStream));
    await createOpenRouter({ apiKey: 'test-key-1' }).complete({
      stream: true,
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'Call the tool.', signature: 'sig-1' },
            { type: 'text', text: '' },
          ],
          toolCalls: [{ id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}' }],
        },
        { role: 'tool', toolCallId: 'call_1', content: '18°C' },
      ],
    });
    expect((seen[0]?.body.messages as unknown[] | undefined)?.[1]).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }],
      reasoning_details: [{ type: 'reasoning.text', text: 'Call the tool.', signature: 'sig-1', index: 0 }],
    });
  });

  it("round-trips Gemini's encrypted thought signature: the tool turn after it carries the reasoning.encrypted detail as it came", async () => {
    // Gemini 3 through OpenRouter: the thought signature arrives as a `reasoning.encrypted` detail (`data`, `id`,
    // `format: "google-gemini-v1"`; openrouter.ai/docs/guides/best-practices/reasoning-tokens, "reasoning_details"), and
    // the turn after the tool call is refused without it ("Function call is missing a thought_signature",
    // microsoft/vscode-copilot-chat#2649).
    const encrypted = {
      type: 'reasoning.encrypted',
      data: 'CiQBcsjafGx0aG91Z2h0LXNpZ25hdHVyZS0xMjM0NTY3OA==',
      id: 'tool_weather_a1b2',
      format: 'google-gemini-v1',
    };
    const geminiToolStream = [
      chunk({
        role: 'assistant',
        content: '',
        reasoning: 'Need the weather.',
        reasoning_details: [{ type: 'reasoning.text', text: 'Need the weather.', format: 'google-gemini-v1', index: 0 }],
      }),
      chunk({
        tool_calls: [{ index: 0, id: 'tool_weather_a1b2', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }],
        reasoning_details: [{ ...encrypted, index: 1 }],
      }),
      chunk({}, 'tool_calls'),
      'data: [DONE]',
    ];
    let turn = 0;
    const seen = captureChat(() => (turn++ === 0 ? sse(geminiToolStream) : sse(reasoningStream)));
    const openrouter = createOpenRouter({ apiKey: 'test-key-1', defaultModel: 'google/gemini-3-pro-preview' });
    const first = await openrouter.complete({ prompt: 'Weather in Paris?', stream: true });
    expect(first.toolCalls.map((call) => call.id)).toEqual(['tool_weather_a1b2']);
    await openrouter.complete({
      stream: true,
      messages: [{ role: 'user', content: 'Weather in Paris?' }, first.message, { role: 'tool', toolCallId: 'tool_weather_a1b2', content: '18°C' }],
    });
    expect((seen[1]?.body.messages as Record<string, unknown>[] | undefined)?.[1]?.reasoning_details).toEqual([
      { type: 'reasoning.text', text: 'Need the weather.', index: 0 },
      { ...encrypted, index: 1 },
    ]);
    // The signature segment is the kit's carrier only: the reasoning text the caller reads is untouched.
    expect(first.reasoning).toBe('Need the weather.');
  });

  it('rejects unknown or bad settings, and says which variable to set', async () => {
    expect(() => createOpenRouter({ siteURL: 'https://x' } as never)).toThrowError(/siteURL/);
    expect(() => createOpenRouter({ siteUrl: 'not a url' })).toThrowError(/siteUrl/);
    expect(() => createOpenRouter({ appName: 'two\nlines' })).toThrowError(/appName/);
    vi.stubEnv('OPENROUTER_API_KEY', '');
    await expect(createOpenRouter().complete({ prompt: 'Hi' })).rejects.toThrowError(/OPENROUTER_API_KEY/);
  });
});

describe('createOpenRouter: answers', () => {
  it('streams reasoning (with its signature) and text, ignores keep-alive comments, reports the cost', async () => {
    captureChat(() => sse(reasoningStream));
    const stream = await createOpenRouter({ apiKey: 'test-key-1' }).generateChatCompletion({ prompt: 'Hi' });
    const events = await collect(stream);
    expect(events.map((event) => event.type)).toEqual(['start', 'reasoning-delta', 'reasoning-delta', 'reasoning-delta', 'text-delta', 'finish']);
    expect(events[3]).toEqual({ type: 'reasoning-delta', text: '', signature: 'EqQBCkgIARABGAIiQL2sig' });
    expect(events.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'stop',
      usage: { inputTokens: 13, outputTokens: 16, totalTokens: 29, cachedInputTokens: 0, reasoningTokens: 5, cost: 0.000093 },
    });
  });

  it('assembles the completion: reasoning block with its signature, text, usage with cost', async () => {
    captureChat(() => sse(reasoningStream));
    const completion = await createOpenRouter({ apiKey: 'test-key-1' }).complete({ prompt: 'Hi', stream: true });
    expect(completion).toMatchObject({ text: 'Hello!', reasoning: 'The user greets. Reply.', model: 'anthropic/claude-sonnet-4.5', id: 'gen-1747-abc' });
    expect(completion.usage.cost).toBe(0.000093);
    expect(completion.message.content).toEqual([
      { type: 'reasoning', text: 'The user greets. Reply.', signature: 'EqQBCkgIARABGAIiQL2sig' },
      { type: 'text', text: 'Hello!' },
    ]);
  });

  it('reads reasoning_details text when no reasoning string comes with it (non-streaming answer)', async () => {
    // Non-streaming shape from openrouter.ai/docs/guides/best-practices/reasoning-tokens (message.reasoning_details).
    server.use(
      http.post(CHAT, () =>
        HttpResponse.json({
          id: 'gen-2',
          model: 'openai/gpt-5-mini',
          choices: [
            {
              index: 0,
              finish_reason: 'stop',
              message: {
                role: 'assistant',
                content: '42',
                reasoning_details: [{ type: 'reasoning.summary', summary: 'Computed six times seven.', format: 'openai-responses-v1', index: 0 }],
              },
            },
          ],
          usage: { prompt_tokens: 10, completion_tokens: 30, total_tokens: 40, cost: 0.00012 },
        }),
      ),
    );
    const completion = await createOpenRouter({ apiKey: 'test-key-1' }).complete({ prompt: '6×7?', stream: false });
    expect(completion).toMatchObject({ text: '42', reasoning: 'Computed six times seven.', finishReason: 'stop', usage: { totalTokens: 40, cost: 0.00012 } });
  });

  it('a mid-stream error (finish_reason "error") is thrown from the iterator after the partial text', async () => {
    // openrouter.ai/docs/api/reference/errors-and-debugging, "Streaming Error Formats": once the stream has started
    // (HTTP 200), an error arrives as a chunk with a top-level `error` and `finish_reason: "error"`.
    captureChat(() =>
      sse([
        chunk({ role: 'assistant', content: 'Partial ' }),
        chunk({ content: 'answer' }),
        chunk({ content: '' }, 'error', { error: { code: 'server_error', message: 'Provider disconnected unexpectedly' } }),
        'data: [DONE]',
      ]),
    );
    const stream = await createOpenRouter({ apiKey: 'test-key-1', maxRetries: 0 }).generateChatCompletion({ prompt: 'Hi' });
    const texts: string[] = [];
    const error = await (async () => {
      for await (const event of stream) if (event.type === 'text-delta') texts.push(event.text);
    })().catch((caught: unknown) => caught);
    expect(texts.join('')).toBe('Partial answer');
    expect(KitError.is(error)).toBe(true);
    expect(error).toMatchObject({ code: 'server_error', message: expect.stringContaining('Provider disconnected unexpectedly') });
  });

  it('a finish_reason "error" without a top-level error is an error too, classified by the status in choice.error', async () => {
    captureChat(() =>
      sse([
        chunk({ role: 'assistant', content: 'Hi' }),
        chunk({}, 'error', { choices: [{ index: 0, delta: {}, finish_reason: 'error', error: { code: 502, message: 'Upstream failed' } }] }),
      ]),
    );
    const stream = await createOpenRouter({ apiKey: 'test-key-1', maxRetries: 0 }).generateChatCompletion({ prompt: 'Hi' });
    await expect(stream.final()).rejects.toMatchObject({ code: 'server_error', status: 502, message: expect.stringContaining('Upstream failed') });
  });
});

describe('createOpenRouter: errors', () => {
  const failWith = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    server.use(http.post(CHAT, () => HttpResponse.json(body, { status, headers })));
  const errorOf = async (promise: Promise<unknown>) => {
    const error = (await promise.catch((caught: unknown) => caught)) as KitError;
    return error.code === 'credentials_exhausted' ? (error.cause as KitError) : error;
  };

  it('a moderation 403 is content_filter with its reasons, and never quotes the flagged input', async () => {
    // Shape from openrouter.ai/docs/api/reference/errors-and-debugging (ModerationErrorMetadata); the flagged text is made up.
    failWith(403, {
      error: {
        code: 403,
        message: 'anthropic/claude-3-5-haiku requires moderation on Amazon Bedrock. No credits were charged.',
        metadata: { reasons: ['violence'], flagged_input: 'SECRET-USER-TEXT', provider_name: 'Amazon Bedrock', model_slug: 'anthropic/claude-3-5-haiku' },
      },
    });
    const error = await errorOf(createOpenRouter({ apiKey: 'test-key-1', maxRetries: 0 }).complete({ prompt: 'x' }));
    expect(error).toMatchObject({ code: 'content_filter', retryable: false, message: expect.stringContaining('moderation: violence') });
    expect(JSON.stringify({ message: error.message })).not.toContain('SECRET-USER-TEXT');
  });

  it('402 out of credits is quota_exceeded; 402 of the in-flight budget is a rate limit with its wait', async () => {
    // The in-flight budget 402 (with Retry-After) from openrouter.ai/docs/api/reference/errors-and-debugging; message made up.
    failWith(402, { error: { code: 402, message: 'Insufficient credits. Add more using https://openrouter.ai/credits' } });
    expect(await errorOf(createOpenRouter({ apiKey: 'test-key-1', maxRetries: 0 }).complete({ prompt: 'x' }))).toMatchObject({
      code: 'quota_exceeded',
    });
    failWith(
      402,
      { error: { code: 402, message: 'Spending budget in use by requests in flight', metadata: { limit_source: 'openrouter_in_flight_budget' } } },
      { 'retry-after': '3' },
    );
    expect(await errorOf(createOpenRouter({ apiKey: 'test-key-1', maxRetries: 0 }).complete({ prompt: 'x' }))).toMatchObject({
      code: 'rate_limit',
      retryAfterMs: 3000,
    });
  });

  it('"Provider returned error" is classified by the upstream answer in metadata.raw', async () => {
    // github.com/diegosouzapw/OmniRoute issue #3044 (also in core's error corpus).
    failWith(400, {
      error: {
        message: 'Provider returned error',
        code: 400,
        metadata: {
          raw: '{"error":{"type":"invalid_request_error","code":"invalid_request_error","message":"Model supports at most 1 image per prompt."}}',
          provider_name: 'Crucible',
        },
      },
    });
    expect(await errorOf(createOpenRouter({ apiKey: 'test-key-1', maxRetries: 0 }).complete({ prompt: 'x' }))).toMatchObject({
      code: 'invalid_request',
      message: expect.stringContaining('at most 1 image per prompt'),
    });
  });
});

describe('createOpenRouter: models and health', () => {
  it('getModels() reads /models with pricing per million tokens, context length and capabilities', async () => {
    // Entry shape from openrouter.ai/docs/api-reference/list-available-models (prices per token as strings).
    server.use(
      http.get('https://openrouter.ai/api/v1/models', ({ request }) => {
        expect(request.headers.get('authorization')).toBe('Bearer test-key-1');
        return HttpResponse.json({
          data: [
            {
              id: 'anthropic/claude-sonnet-4.5',
              canonical_slug: 'anthropic/claude-4.5-sonnet-20250929',
              name: 'Anthropic: Claude Sonnet 4.5',
              created: 1_759_161_676,
              context_length: 1_000_000,
              architecture: { modality: 'text+image->text', input_modalities: ['text', 'image', 'file'], output_modalities: ['text'] },
              pricing: { prompt: '0.000003', completion: '0.000015', request: '0', image: '0.0048' },
              top_provider: { context_length: 1_000_000, max_completion_tokens: 64_000, is_moderated: true },
              supported_parameters: ['max_tokens', 'reasoning', 'response_format', 'stop', 'temperature', 'tool_choice', 'tools'],
            },
            {
              id: 'openrouter/auto',
              name: 'Auto Router',
              context_length: 2_000_000,
              architecture: { input_modalities: ['text'] },
              pricing: { prompt: '-1', completion: '-1' },
              supported_parameters: [],
            },
            { name: 'no id' },
          ],
        });
      }),
    );
    const models = await createOpenRouter({ apiKey: 'test-key-1' }).getModels();
    expect(models).toEqual([
      {
        id: 'anthropic/claude-sonnet-4.5',
        name: 'Anthropic: Claude Sonnet 4.5',
        provider: 'openrouter',
        contextWindow: 1_000_000,
        maxOutputTokens: 64_000,
        capabilities: { streaming: true, tools: true, vision: true, reasoning: true, json: true },
        pricing: { inputPerMTok: 3, outputPerMTok: 15, currency: 'USD' },
      },
      {
        id: 'openrouter/auto',
        name: 'Auto Router',
        provider: 'openrouter',
        contextWindow: 2_000_000,
        capabilities: { streaming: true, tools: false, vision: false, reasoning: false, json: false },
      },
    ]);
  });

  it('healthCheck() calls GET /key; chat requests never do', async () => {
    const keyCalls: string[] = [];
    server.use(
      // openrouter.ai/docs/api/api-reference/api-keys/get-current-key
      http.get('https://openrouter.ai/api/v1/key', ({ request }) => {
        keyCalls.push(request.headers.get('authorization') ?? '');
        return HttpResponse.json({
          data: { label: 'test-key-…890', limit: 100, limit_remaining: 74.5, limit_reset: 'monthly', usage: 25.5, is_free_tier: false },
        });
      }),
    );
    captureChat(() => sse(reasoningStream));
    const openrouter = createOpenRouter({ apiKey: 'test-key-1' });
    await openrouter.complete({ prompt: 'Hi', stream: true });
    await openrouter.complete({ prompt: 'Hi again', stream: true });
    expect(keyCalls).toHaveLength(0);
    expect(await openrouter.healthCheck()).toMatchObject({ healthy: true });
    expect(keyCalls).toEqual(['Bearer test-key-1']);
    server.use(http.get('https://openrouter.ai/api/v1/key', () => HttpResponse.json({ error: { code: 401, message: 'User not found.' } }, { status: 401 })));
    expect(await openrouter.healthCheck()).toMatchObject({ healthy: false, statusCode: 401, message: expect.stringContaining('User not found') });
    // A key that answers but has no credit left cannot serve a paid request.
    server.use(
      http.get('https://openrouter.ai/api/v1/key', () =>
        HttpResponse.json({ data: { label: 'test-key-…890', limit: 100, limit_remaining: 0, usage: 100, is_free_tier: false } }),
      ),
    );
    expect(await openrouter.healthCheck()).toMatchObject({ healthy: false, message: expect.stringContaining('credit limit is used up') });
  });
});
