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
    expect(kitErrorOf(() => createOpenAICompatible({ baseURL: 'http://localhost:9000/v1' })).message).toMatch(/defaultModel: is required/);
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
