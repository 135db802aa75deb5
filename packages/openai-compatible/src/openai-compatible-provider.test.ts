import { KitError, type StreamEvent } from '@kit/core';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { midStreamErrorStream, reasoningContentStream, sseResponse, textStream, toolCallResponse } from './__fixtures__/openai-streams';
import { openAICompatiblePresets } from './openai-compatible-presets';
import { createOpenAICompatible } from './openai-compatible-provider';
import { kitErrorOf } from './__fixtures__/kit-error-of';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  server.resetHandlers();
  vi.unstubAllEnvs();
});
afterAll(() => server.close());

interface Captured {
  url: string;
  headers: Headers;
  body: Record<string, unknown>;
}

function captureChat(url: string, respond: () => Response): Captured[] {
  const seen: Captured[] = [];
  server.use(
    http.post(url, async ({ request }) => {
      seen.push({ url: request.url, headers: request.headers, body: (await request.json()) as Record<string, unknown> });
      return respond();
    }),
  );
  return seen;
}

async function collect(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe('createOpenAICompatible', () => {
  it('streams from a preset, reading its key from the environment at request time', async () => {
    const seen = captureChat('https://api.groq.com/openai/v1/chat/completions', () => sseResponse(textStream));
    const groq = createOpenAICompatible({ preset: 'groq' });
    expect(groq.name).toBe('groq');
    expect(groq.type).toBe('openai-compatible');
    expect(groq.getDefaultModel()).toBe(openAICompatiblePresets.groq.defaultModel);
    vi.stubEnv('GROQ_API_KEY', 'test-key-1');
    const stream = await groq.generateChatCompletion({ system: 'Be brief.', prompt: 'Hi', temperature: 0.3 });
    const events = await collect(stream);
    expect(events.map((event) => event.type)).toEqual(['start', 'text-delta', 'text-delta', 'text-delta', 'finish']);
    expect(
      events
        .filter((event) => event.type === 'text-delta')
        .map((event) => (event as { text: string }).text)
        .join(''),
    ).toBe('Hello, world!');
    expect(seen[0]?.headers.get('authorization')).toBe('Bearer test-key-1');
    expect(seen[0]?.body).toEqual({
      model: 'openai/gpt-oss-120b',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      temperature: 0.3,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('says which variable to set when the key is missing', async () => {
    vi.stubEnv('DEEPSEEK_API_KEY', '');
    const deepseek = createOpenAICompatible({ preset: 'deepseek' });
    await expect(deepseek.complete({ prompt: 'Hi' })).rejects.toThrowError(/DEEPSEEK_API_KEY/);
  });

  it('talks to a local server without a key', async () => {
    const seen = captureChat('http://localhost:1234/v1/chat/completions', () => sseResponse(reasoningContentStream));
    const lmstudio = createOpenAICompatible({ preset: 'lmstudio' });
    const completion = await (await lmstudio.generateChatCompletion({ prompt: 'Why?' })).final();
    expect(seen[0]?.headers.has('authorization')).toBe(false);
    expect(completion).toMatchObject({ text: '42', reasoning: 'Think hard.', finishReason: 'stop', provider: 'lmstudio' });
  });

  it('serves a custom server, merging providerOptions by type and by instance name', async () => {
    const seen = captureChat('http://gpu-box:8000/v1/chat/completions', () => HttpResponse.json(toolCallResponse));
    const vllm = createOpenAICompatible({ name: 'my-vllm', baseURL: 'http://gpu-box:8000/v1', defaultModel: 'Qwen/Qwen3-8B', apiKey: 'test-key-1' });
    const completion = await vllm.complete({
      prompt: 'Weather and time in Oslo?',
      providerOptions: { 'openai-compatible': { top_k: 20 }, 'my-vllm': { chat_template_kwargs: { enable_thinking: false } } },
    });
    expect(seen[0]?.body).toMatchObject({ model: 'Qwen/Qwen3-8B', top_k: 20, chat_template_kwargs: { enable_thinking: false } });
    expect(seen[0]?.body).not.toHaveProperty('stream');
    expect(completion.toolCalls).toEqual([
      { id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}', input: { city: 'Oslo' } },
      { id: 'call_2', name: 'get_time', arguments: '{"tz":"CET"}', input: { tz: 'CET' } },
    ]);
    expect(completion.finishReason).toBe('tool-calls');
    expect(completion.message).toMatchObject({ role: 'assistant', toolCalls: completion.toolCalls });
  });

  it('sends DeepSeek reasoning back as reasoning_content on the second turn of a tool call', async () => {
    // The first answer has the shape of DeepSeek's thinking-mode tool-call example
    // (https://api-docs.deepseek.com/guides/thinking_mode, "Tool Calls"): reasoning_content beside tool_calls.
    const firstTurn = {
      id: 'ds-1',
      object: 'chat.completion',
      created: 1,
      model: 'deepseek-v4-flash',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: '',
            reasoning_content: 'The user wants the weather in Hangzhou, so I call get_weather.',
            tool_calls: [{ id: 'call_0', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Hangzhou"}' } }],
          },
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 20, completion_tokens: 30, total_tokens: 50 },
    };
    // DeepSeek's answer when it is missing, as recorded in public bug reports (dataelement/Clawith#570,
    // proxysoul/Empryo#62); its docs say the same for tool-call turns.
    const refused = {
      error: {
        message: 'The `reasoning_content` in the thinking mode must be passed back to the API.',
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_request_error',
      },
    };
    const seen = captureChat('https://api.deepseek.com/v1/chat/completions', () => HttpResponse.json(firstTurn));
    server.use(
      http.post('https://api.deepseek.com/v1/chat/completions', async ({ request }) => {
        const body = (await request.clone().json()) as { messages: { role: string; tool_calls?: unknown; reasoning_content?: unknown }[] };
        const dropped = body.messages.some((message) => message.role === 'assistant' && message.tool_calls && typeof message.reasoning_content !== 'string');
        return dropped ? HttpResponse.json(refused, { status: 400 }) : undefined;
      }),
    );
    const deepseek = createOpenAICompatible({ preset: 'deepseek', apiKey: 'test-key-1', maxRetries: 0 });
    const tools = [{ name: 'get_weather', description: 'Weather of a city', parameters: { type: 'object', properties: { location: { type: 'string' } } } }];
    const first = await deepseek.complete({ prompt: "How's the weather in Hangzhou?", tools });
    const second = await deepseek.complete({
      messages: [{ role: 'user', content: "How's the weather in Hangzhou?" }, first.message, { role: 'tool', toolCallId: 'call_0', content: 'Cloudy 7~13°C' }],
      tools,
    });
    expect(second.finishReason).toBe('tool-calls');
    expect((seen[1]?.body.messages as unknown[] | undefined)?.[1]).toEqual({
      role: 'assistant',
      content: null,
      reasoning_content: 'The user wants the weather in Hangzhou, so I call get_weather.',
      tool_calls: [{ id: 'call_0', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Hangzhou"}' } }],
    });
  });

  it('sends no reasoning back to a preset that does not declare how (Groq)', async () => {
    const seen = captureChat('https://api.groq.com/openai/v1/chat/completions', () => HttpResponse.json(toolCallResponse));
    const groq = createOpenAICompatible({ preset: 'groq', apiKey: 'test-key-1' });
    await groq.complete({
      messages: [
        { role: 'user', content: 'Hi' },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'hmm' },
            { type: 'text', text: 'Hello' },
          ],
        },
        { role: 'user', content: 'Weather?' },
      ],
    });
    expect((seen[0]?.body.messages as unknown[] | undefined)?.[1]).toEqual({ role: 'assistant', content: 'Hello' });
  });

  it('works without defaultModel when calls pass model, and names model when neither is given', async () => {
    const seen = captureChat('http://localhost:9000/v1/chat/completions', () => HttpResponse.json(toolCallResponse));
    const local = createOpenAICompatible({ name: 'box', baseURL: 'http://localhost:9000/v1', apiKey: 'test-key-1', maxRetries: 0 });
    await local.complete({ model: 'my-model', prompt: 'Hi' });
    expect(seen[0]?.body.model).toBe('my-model');
    const failure = await local.complete({ prompt: 'Hi' }).catch((error: unknown) => error);
    expect(KitError.is(failure) && failure.code).toBe('invalid_request');
    expect((failure as Error).message).toMatch(/\bmodel\b/);
    const streamFailure = await local.generateChatCompletion({ prompt: 'Hi' }).catch((error: unknown) => error);
    expect(KitError.is(streamFailure) && streamFailure.code).toBe('invalid_request');
    expect(seen).toHaveLength(1);
    server.use(http.get('http://localhost:9000/v1/models', () => HttpResponse.json({ error: { message: 'down' } }, { status: 503 })));
    expect(await local.getModels()).toEqual([]); // no default model to fall back on
  });

  it('takes the first non-empty id and model when Azure\'s first chunk has id ""', async () => {
    // Azure OpenAI's stream as recorded in xenodium/chatgpt-shell#155 (and AbanteAI mentat#429): a prompt-filter
    // chunk with empty id and model comes first, then the real chunks.
    const filters = { hate: { filtered: false, severity: 'safe' }, self_harm: { filtered: false, severity: 'safe' } };
    const real = (delta: Record<string, unknown>, finish: string | null = null) =>
      JSON.stringify({
        id: 'chatcmpl-8V1mzvFANVW81eY6AMkrEgfIMuFKN',
        object: 'chat.completion.chunk',
        created: 1_702_405_737,
        model: 'gpt-4',
        choices: [{ index: 0, finish_reason: finish, delta, content_filter_results: finish ? {} : filters }],
        system_fingerprint: 'fp_50a4261de5',
      });
    const azureStream = [
      JSON.stringify({ id: '', object: '', created: 0, model: '', prompt_filter_results: [{ prompt_index: 0, content_filter_results: filters }], choices: [] }),
      real({ role: 'assistant' }),
      real({ content: 'Hello' }),
      real({}, 'stop'),
      '[DONE]',
    ];
    captureChat('https://my-resource.openai.azure.com/openai/v1/chat/completions', () => sseResponse(azureStream));
    const azure = createOpenAICompatible({
      name: 'azure',
      baseURL: 'https://my-resource.openai.azure.com/openai/v1',
      defaultModel: 'my-deployment',
      apiKey: 'test-key-1',
    });
    const completion = await (await azure.generateChatCompletion({ prompt: 'Hi' })).final();
    expect(completion).toMatchObject({ id: 'chatcmpl-8V1mzvFANVW81eY6AMkrEgfIMuFKN', model: 'gpt-4', text: 'Hello' });
  });

  it('throws a mid-stream error from the iterator after the partial text', async () => {
    captureChat('https://api.together.xyz/v1/chat/completions', () => sseResponse(midStreamErrorStream));
    const together = createOpenAICompatible({ preset: 'together', apiKey: 'test-key-1', maxRetries: 0 });
    const stream = await together.generateChatCompletion({ prompt: 'Hi' });
    const texts: string[] = [];
    let failure: unknown;
    try {
      for await (const event of stream) if (event.type === 'text-delta') texts.push(event.text);
    } catch (error) {
      failure = error;
    }
    expect(texts).toEqual(['Partial']);
    expect(KitError.is(failure) && failure.code).toBe('server_error');
  });

  it('lists models live and falls back to the default model', async () => {
    server.use(
      http.get('https://api.x.ai/v1/models', () => HttpResponse.json({ object: 'list', data: [{ id: 'grok-4.3', object: 'model', owned_by: 'xai' }] })),
    );
    const xai = createOpenAICompatible({ preset: 'xai', apiKey: 'test-key-1' });
    expect((await xai.getModels()).map((model) => model.id)).toEqual(['grok-4.3']);
    server.use(http.get('https://api.fireworks.ai/inference/v1/models', () => HttpResponse.json({ error: { message: 'down' } }, { status: 503 })));
    const fireworks = createOpenAICompatible({ preset: 'fireworks', apiKey: 'test-key-1', maxRetries: 0 });
    expect((await fireworks.getModels()).map((model) => model.id)).toEqual([openAICompatiblePresets.fireworks.defaultModel]);
  });

  it('validates settings strictly, naming the field', () => {
    expect(kitErrorOf(() => createOpenAICompatible({ defaultModel: 'm' })).message).toMatch(/baseURL: is required/);
    const unknown = kitErrorOf(() => createOpenAICompatible({ preset: 'groq', organisation: 'x' } as never));
    expect(unknown.code).toBe('invalid_config');
    expect(unknown.message).toContain('organisation');
    expect(kitErrorOf(() => createOpenAICompatible({ preset: 'openai' as never })).message).toContain('preset');
    expect(kitErrorOf(() => createOpenAICompatible({ preset: 'groq', apiKeyOptional: 'yes' as never })).message).toContain('apiKeyOptional');
    expect(kitErrorOf(() => createOpenAICompatible({ preset: 'groq', baseURL: 'not a url' })).message).toContain('baseURL');
    expect(kitErrorOf(() => createOpenAICompatible({ preset: 'groq', apiKeyEnvVar: 'GROQ KEY' })).message).toBe(
      'invalid openai-compatible settings: apiKeyEnvVar: must be an environment variable name (letters, digits, _)',
    );
    expect(kitErrorOf(() => createOpenAICompatible({ preset: 'groq', timeoutMs: 1e12 })).message).toContain('timeoutMs: must be at most 2147483647');
  });
});

describe('usage counting per preset', () => {
  // xAI's documented Chat Completions answer for a reasoning model (Google Cloud's "Reasoning for Grok models" page,
  // docs.cloud.google.com/vertex-ai/generative-ai/docs/partner-models/grok/capabilities/reasoning): `completion_tokens`
  // 50 leaves out the 124 `reasoning_tokens`, which `total_tokens` 837 = 663 + 50 + 124 counts.
  const xaiAnswer = {
    choices: [{ finish_reason: 'stop', index: 0, logprobs: null, message: { content: 'I am Grok, an AI assistant built by xAI...', role: 'assistant' } }],
    created: 1775523905,
    id: 'knTMaJC0EJfM5OMP7I3xkAk',
    model: 'grok-4.3',
    object: 'chat.completion',
    system_fingerprint: 'fp_39c5j0a324',
    usage: {
      completion_tokens: 50,
      completion_tokens_details: { accepted_prediction_tokens: 0, audio_tokens: 0, reasoning_tokens: 124, rejected_prediction_tokens: 0 },
      cost_in_usd_ticks: 0,
      num_sources_used: 0,
      prompt_tokens: 663,
      prompt_tokens_details: { audio_tokens: 0, cached_tokens: 654, image_tokens: 0, text_tokens: 663 },
      total_tokens: 837,
    },
  };
  // A streamed answer with the usage xAI recorded for grok-3-mini in vercel/ai#12425 (completion_tokens 1,
  // reasoning_tokens 386, total_tokens 399), sent on the last chunk as xAI does.
  const chunk = (fields: Record<string, unknown>) => JSON.stringify({ id: 'xai-1', object: 'chat.completion.chunk', created: 1, model: 'grok-4.3', ...fields });
  const xaiStream = [
    chunk({ choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi' } }] }),
    chunk({
      choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
      usage: { prompt_tokens: 12, completion_tokens: 1, total_tokens: 399, completion_tokens_details: { reasoning_tokens: 386 } },
    }),
    '[DONE]',
  ];

  it('xAI: outputTokens counts the reasoning tokens its completion_tokens leaves out, streamed and not', async () => {
    captureChat('https://api.x.ai/v1/chat/completions', () => HttpResponse.json(xaiAnswer));
    const xai = createOpenAICompatible({ preset: 'xai', apiKey: 'test-key-1' });
    const completion = await xai.complete({ prompt: 'Who are you?' });
    expect(completion.usage).toEqual({ inputTokens: 663, outputTokens: 174, totalTokens: 837, cachedInputTokens: 654, reasoningTokens: 124 });

    server.resetHandlers();
    captureChat('https://api.x.ai/v1/chat/completions', () => sseResponse(xaiStream));
    const events = await collect(await xai.generateChatCompletion({ prompt: 'Hi' }));
    expect(events.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'stop',
      usage: { inputTokens: 12, outputTokens: 387, totalTokens: 399, reasoningTokens: 386 },
    });
  });

  it('a preset that counts as OpenAI does (reasoning inside completion_tokens) is left as reported', async () => {
    // DeepSeek counts as OpenAI does: completion_tokens (174) already holds the 124 reasoning tokens (as measured in
    // "Grok 3 API - Reasoning Tokens are Counted Differently", forem.com/maximsaplin, for OpenAI and DeepSeek R1).
    const answer = {
      ...xaiAnswer,
      usage: { prompt_tokens: 663, completion_tokens: 174, total_tokens: 837, completion_tokens_details: { reasoning_tokens: 124 } },
    };
    captureChat('https://api.deepseek.com/v1/chat/completions', () => HttpResponse.json(answer));
    const completion = await createOpenAICompatible({ preset: 'deepseek', apiKey: 'test-key-1' }).complete({ prompt: 'Hi' });
    expect(completion.usage).toEqual({ inputTokens: 663, outputTokens: 174, totalTokens: 837, reasoningTokens: 124 });
  });

  it('a server of your own declares its counting with the usage setting', async () => {
    captureChat('https://grok-proxy.test/v1/chat/completions', () => HttpResponse.json(xaiAnswer));
    const proxy = createOpenAICompatible({
      baseURL: 'https://grok-proxy.test/v1',
      defaultModel: 'grok-4.3',
      apiKey: 'test-key-1',
      usage: { outputIncludesReasoning: false },
    });
    expect((await proxy.complete({ prompt: 'Hi' })).usage.outputTokens).toBe(174);
    expect(kitErrorOf(() => createOpenAICompatible({ preset: 'xai', usage: { reasoning: 'added' } as never })).message).toContain('usage');
  });
});
