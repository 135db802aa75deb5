// A request the upstream has accepted and may still be generating is not sent again: a non-streaming answer arrives
// only when it is complete, so its timeout bounds the whole generation, and a re-sent request is generated — and billed —
// again. Anthropic's long non-streaming calls follow the official SDK's rule (3 600 s × max_tokens / 128 000 may not
// exceed 10 minutes, see @anthropic-ai/sdk `calculateNonstreamingTimeout`): @kit streams them on the wire instead.
import { createAnthropic } from '@kit/anthropic';
import { createOpenAI } from '@kit/openai';
import { describe, expect, it } from 'vitest';
import { MODEL, plainText, sseBody } from '../../packages/anthropic/src/__fixtures__/anthropic-streams';

/** A fetch whose upstream accepts every request and never answers within the test (it is generating). */
function generatingForever() {
  const requests: { stream: boolean }[] = [];
  const fetch = (_input: RequestInfo | URL, init?: RequestInit) => {
    requests.push({ stream: JSON.parse(String(init?.body)).stream === true });
    return new Promise<Response>((_resolve, reject) => {
      init?.signal?.addEventListener('abort', () => reject(init.signal?.reason), { once: true });
    });
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

describe('a non-streaming request that timed out is not re-sent', () => {
  it('complete() with maxRetries 2: one request, a timeout that says why it was not re-sent', async () => {
    const upstream = generatingForever();
    const events: { type: string; willRetry?: boolean }[] = [];
    const openai = createOpenAI({ apiKey: 'test-key-accepted', fetch: upstream.fetch, maxRetries: 2, onEvent: (event) => events.push(event) });
    const error = await openai.complete({ prompt: 'Write a long essay.', timeoutMs: 40 }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'timeout' });
    expect((error as Error).message).toMatch(/not re-sent: it may still be generating; see resendOnTimeout/);
    // Before the fix: 3 requests, each generated and billed.
    expect(upstream.requests).toHaveLength(1);
    expect(events.filter((event) => event.type === 'request-error').map((event) => event.willRetry)).toEqual([false]);
  });

  it('50 concurrent complete() calls that time out send 50 requests, not 150', async () => {
    const upstream = generatingForever();
    const openai = createOpenAI({ apiKey: 'test-key-accepted', fetch: upstream.fetch, maxRetries: 2 });
    const outcomes = await Promise.allSettled(Array.from({ length: 50 }, () => openai.complete({ prompt: 'Long answer', timeoutMs: 40 })));
    expect(outcomes.every((outcome) => outcome.status === 'rejected' && (outcome.reason as { code: string }).code === 'timeout')).toBe(true);
    expect(upstream.requests).toHaveLength(50);
  });

  it('resendOnTimeout: true opts back into re-sending (each attempt is a new, billed generation)', async () => {
    const upstream = generatingForever();
    const openai = createOpenAI({ apiKey: 'test-key-accepted', fetch: upstream.fetch, maxRetries: 2 });
    const error = await openai.complete({ prompt: 'Long answer', timeoutMs: 40, deadlineMs: 60_000, resendOnTimeout: true }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'timeout' });
    expect(upstream.requests).toHaveLength(3);
  });

  it('a stream that times out before its headers is still retried: the timer bounds silence, nothing was generated', async () => {
    const upstream = generatingForever();
    const openai = createOpenAI({ apiKey: 'test-key-accepted', fetch: upstream.fetch, maxRetries: 1 });
    const error = await openai.generateChatCompletion({ prompt: 'hi', timeoutMs: 40, deadlineMs: 60_000 }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'timeout' });
    expect(upstream.requests).toEqual([{ stream: true }, { stream: true }]);
  });

  it("a 504 or 408 the server answered is retried like the official SDKs do: only the call's own timer means 'may still be generating'", async () => {
    // 10 concurrent complete() calls; each one's first request is answered 504 (a gateway timed out) or 408, the next 200.
    const requests = new Map<string, number>();
    const fetch = async (_input: RequestInfo | URL, init?: RequestInit) => {
      const prompt = JSON.parse(String(init?.body)).messages[0].content as string;
      const count = (requests.get(prompt) ?? 0) + 1;
      requests.set(prompt, count);
      if (count === 1) {
        const status = prompt.endsWith('even') ? 504 : 408;
        return new Response(JSON.stringify({ error: { message: 'upstream timed out', type: 'server_error' } }), {
          status,
          headers: { 'content-type': 'application/json' },
        });
      }
      const completion = {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        model: 'gpt-4o',
        choices: [{ index: 0, message: { role: 'assistant', content: 'done' }, finish_reason: 'stop' }],
      };
      return new Response(JSON.stringify(completion), { headers: { 'content-type': 'application/json' } });
    };
    const events: { type: string; willRetry?: boolean; error?: { code: string; status?: number } }[] = [];
    const openai = createOpenAI({
      apiKey: 'test-key-accepted',
      fetch: fetch as typeof globalThis.fetch,
      maxRetries: 2,
      onEvent: (event) => events.push(event),
    });
    const prompts = Array.from({ length: 10 }, (_, index) => `question ${index} ${index % 2 === 0 ? 'even' : 'odd'}`);
    const answers = await Promise.all(prompts.map((prompt) => openai.complete({ prompt, timeoutMs: 5_000 })));
    expect(answers.map((answer) => answer.text)).toEqual(Array(10).fill('done'));
    expect([...requests.values()]).toEqual(Array(10).fill(2));
    const failures = events.filter((event) => event.type === 'request-error');
    expect(failures).toHaveLength(10);
    expect(failures.every((event) => event.willRetry === true && event.error?.code === 'timeout')).toBe(true);
    expect(new Set(failures.map((event) => event.error?.status))).toEqual(new Set([504, 408]));
  });

  it('resendOnTimeout must be a boolean', async () => {
    const openai = createOpenAI({ apiKey: 'test-key-accepted', fetch: generatingForever().fetch });
    await expect(openai.complete({ prompt: 'hi', resendOnTimeout: 'yes' as unknown as boolean })).rejects.toThrow(/resendOnTimeout: must be a boolean/);
  });
});

describe("Anthropic's long non-streaming calls stream on the wire", () => {
  function recordingAnthropic() {
    const bodies: Record<string, unknown>[] = [];
    const fetch = async (_input: RequestInfo | URL, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
      bodies.push(body);
      if (body.stream === true) return new Response(sseBody(plainText), { headers: { 'content-type': 'text/event-stream', 'request-id': 'req_stream' } });
      const message = {
        id: 'msg_01Test',
        type: 'message',
        role: 'assistant',
        model: MODEL,
        content: [{ type: 'text', text: 'Hello, world!' }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 25, output_tokens: 15 },
      };
      return Response.json(message, { headers: { 'request-id': 'req_json' } });
    };
    return { bodies, provider: createAnthropic({ apiKey: 'test-key-anthropic', fetch: fetch as typeof globalThis.fetch }) };
  }

  it('complete() with the default max_tokens (the model output limit, > 21 333) streams and assembles the answer', async () => {
    const { bodies, provider } = recordingAnthropic();
    const completion = await provider.complete({ model: MODEL, prompt: 'Write a long essay.' });
    expect(bodies[0]).toMatchObject({ stream: true });
    expect(bodies[0]?.max_tokens as number).toBeGreaterThan(21_333);
    expect(completion.text).toBe('Hello, world!');
    expect(completion.finishReason).toBe('stop');
    expect(completion.usage.outputTokens).toBe(15);
  });

  it('complete() with maxTokens ≤ 21 333 sends a plain non-streaming request', async () => {
    const { bodies, provider } = recordingAnthropic();
    const completion = await provider.complete({ model: MODEL, prompt: 'One line.', maxTokens: 21_333 });
    expect(bodies[0]?.stream).not.toBe(true);
    expect(bodies[0]?.max_tokens).toBe(21_333);
    expect(completion.text).toBe('Hello, world!');
  });
});
