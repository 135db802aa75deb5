import { KitError, type KitEvent } from '@kit/core';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCerebras, defineCerebrasProvider } from './cerebras-provider';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  server.resetHandlers();
  vi.unstubAllEnvs();
});
afterAll(() => server.close());

// gpt-oss-120b on Cerebras streams its thinking in `reasoning`, then the answer; usage and time_info close the stream.
const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: 'chatcmpl-c1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-oss-120b',
    system_fingerprint: 'fp_1',
    choices: [{ index: 0, delta, finish_reason: finish }],
    ...extra,
  });
const reasoningStream = [
  chunk({ role: 'assistant', content: '' }),
  chunk({ reasoning: 'User says hello. ' }),
  chunk({ reasoning: 'Answer politely.' }),
  chunk({ content: 'Hello!' }),
  chunk({}, 'stop'),
  JSON.stringify({
    id: 'chatcmpl-c1',
    object: 'chat.completion.chunk',
    choices: [],
    usage: { prompt_tokens: 70, completion_tokens: 12, total_tokens: 82, completion_tokens_details: { reasoning_tokens: 9 } },
    time_info: { queue_time: 0.0001, prompt_time: 0.001, completion_time: 0.005, total_time: 0.02 },
  }),
  '[DONE]',
];

describe('createCerebras', () => {
  it('streams reasoning as reasoning-delta, sends the messages as given and reads its rate limits', async () => {
    vi.stubEnv('CEREBRAS_API_KEY', 'test-key-1');
    const bodies: Record<string, unknown>[] = [];
    server.use(
      http.post('https://api.cerebras.ai/v1/chat/completions', async ({ request }) => {
        expect(request.headers.get('authorization')).toBe('Bearer test-key-1');
        bodies.push((await request.json()) as Record<string, unknown>);
        return new HttpResponse(reasoningStream.map((data) => `data: ${data}\n\n`).join(''), {
          headers: {
            'content-type': 'text/event-stream',
            'x-ratelimit-limit-requests-day': '14400',
            'x-ratelimit-remaining-requests-day': '14399',
            'x-ratelimit-reset-requests-day': '3600.5',
            'x-ratelimit-limit-tokens-minute': '60000',
            'x-ratelimit-remaining-tokens-minute': '59918',
            'x-ratelimit-reset-tokens-minute': '42.1',
          },
        });
      }),
    );
    const events: KitEvent[] = [];
    const cerebras = createCerebras({ onEvent: (event) => events.push(event) });
    expect([cerebras.name, cerebras.type, cerebras.getDefaultModel()]).toEqual(['cerebras', 'cerebras', 'gpt-oss-120b']);
    const completion = await (
      await cerebras.generateChatCompletion({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Hello' },
              { type: 'text', text: 'there' },
            ],
          },
        ],
        maxTokens: 300,
      })
    ).final();
    expect(completion).toMatchObject({ text: 'Hello!', reasoning: 'User says hello. Answer politely.', finishReason: 'stop' });
    expect(completion.usage).toEqual({ inputTokens: 70, outputTokens: 12, totalTokens: 82, reasoningTokens: 9 });
    // No hidden system prompt; text parts joined into a string; max_completion_tokens.
    expect(bodies[0]).toEqual({
      model: 'gpt-oss-120b',
      messages: [{ role: 'user', content: 'Hello\nthere' }],
      max_completion_tokens: 300,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(events.find((event) => event.type === 'rate-limit')).toMatchObject({
      rateLimit: { requestsLimit: 14400, requestsRemaining: 14399, tokensLimit: 60000, tokensRemaining: 59918 },
    });
  });

  it('replays a non-streaming answer with its reasoning', async () => {
    server.use(
      http.post('https://api.cerebras.ai/v1/chat/completions', () =>
        HttpResponse.json({
          id: 'chatcmpl-292e278f',
          object: 'chat.completion',
          created: 1_723_733_419,
          model: 'gpt-oss-120b',
          choices: [
            { index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Hello! How can I assist you today?', reasoning: 'A greeting.' } },
          ],
          usage: { prompt_tokens: 12, completion_tokens: 10, total_tokens: 22, prompt_tokens_details: { cached_tokens: 0 } },
          time_info: { queue_time: 0.000073161, total_time: 0.022 },
        }),
      ),
    );
    const completion = await createCerebras({ apiKey: 'test-key-1' }).complete({ system: 'Be kind.', prompt: 'Hello!' });
    expect(completion).toMatchObject({
      id: 'chatcmpl-292e278f',
      text: 'Hello! How can I assist you today?',
      reasoning: 'A greeting.',
      usage: { cachedInputTokens: 0 },
    });
  });

  it('joins the text parts of every role with one rule (a newline), system included', async () => {
    const bodies: { messages: unknown[] }[] = [];
    server.use(
      http.post('https://api.cerebras.ai/v1/chat/completions', async ({ request }) => {
        bodies.push((await request.json()) as { messages: unknown[] });
        // A non-streaming answer in the shape of Cerebras' chat-completions reference example.
        return HttpResponse.json({
          id: 'chatcmpl-292e278f',
          object: 'chat.completion',
          created: 1_723_733_419,
          model: 'gpt-oss-120b',
          choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Done.' } }],
          usage: { prompt_tokens: 12, completion_tokens: 2, total_tokens: 14 },
        });
      }),
    );
    const twoParts = (first: string, second: string) => [
      { type: 'text' as const, text: first },
      { type: 'text' as const, text: second },
    ];
    await createCerebras({ apiKey: 'test-key-1' }).complete({
      messages: [
        { role: 'system', content: twoParts('Rule one.', 'Rule two.') },
        { role: 'user', content: twoParts('Hello', 'there') },
        { role: 'assistant', content: twoParts('Hi.', 'How can I help?') },
        { role: 'user', content: 'Go on.' },
      ],
    });
    expect(bodies[0]?.messages).toEqual([
      { role: 'system', content: 'Rule one.\nRule two.' },
      { role: 'user', content: 'Hello\nthere' },
      { role: 'assistant', content: 'Hi.\nHow can I help?' },
      { role: 'user', content: 'Go on.' },
    ]);
  });

  it('classifies a Cerebras 429 with its reset as the retry wait', async () => {
    server.use(
      http.post('https://api.cerebras.ai/v1/chat/completions', () =>
        HttpResponse.json(
          {
            message: 'Tokens per minute limit exceeded - too many tokens processed.',
            type: 'too_many_tokens_error',
            param: 'quota',
            code: 'token_quota_exceeded',
          },
          { status: 429, headers: { 'x-ratelimit-remaining-tokens-minute': '0', 'x-ratelimit-reset-tokens-minute': '0.2' } },
        ),
      ),
    );
    const error = await createCerebras({ apiKey: 'test-key-1', maxRetries: 0 })
      .complete({ prompt: 'Hi' })
      .catch((caught: unknown) => caught);
    expect(KitError.is(error)).toBe(true);
    const cause = (error as KitError).code === 'credentials_exhausted' ? ((error as KitError).cause as KitError) : (error as KitError);
    expect(cause).toMatchObject({ code: 'rate_limit', retryAfterMs: 200 });
  });

  it('says which variable to set, and rejects unknown settings', async () => {
    vi.stubEnv('CEREBRAS_API_KEY', '');
    await expect(createCerebras().complete({ prompt: 'Hi' })).rejects.toThrowError(/CEREBRAS_API_KEY/);
    expect(() => createCerebras({ organization: 'x' } as never)).toThrowError(/organization/);
  });

  it('advertises text-only reasoning capabilities', () => {
    const definition = defineCerebrasProvider();
    expect(definition.capabilities).toMatchObject({ vision: false, documents: false, audio: false, reasoning: true, tools: true });
    expect(definition.defaultBaseURL).toBe('https://api.cerebras.ai/v1');
  });
});
