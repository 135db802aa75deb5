// The retry schedule with the engine's real timers under vitest's fake clock: the waits are exactly
// 500 ms × 2ⁿ (jitter fixed at its midpoint), and no attempt starts early.
import { resolveGenerateOptions, singleKeySource } from '@kit/core/provider-utils';
import { defineOpenAICompatibleProvider } from '@kit/openai-compatible';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RequestEngine } from '../../packages/core/src/request-engine';

afterEach(() => {
  vi.useRealTimers();
});

function engineWith(fetch: typeof globalThis.fetch, maxRetries = 3) {
  return new RequestEngine({
    provider: 'openai',
    definition: defineOpenAICompatibleProvider({ type: 'openai', defaultBaseURL: 'https://api.example.test/v1', defaultModel: 'gpt-4o-mini' }),
    credentials: singleKeySource(() => 'test-key-fake-timers'),
    baseURL: undefined,
    headers: {},
    timeoutMs: 60_000,
    maxRetries,
    fetch,
    emit: () => {},
    random: () => 0.5,
  });
}

const serverError = () => new Response(JSON.stringify({ error: { message: 'boom', type: 'server_error' } }), { status: 500 });
const answer = () =>
  new Response(
    JSON.stringify({ id: 'c1', model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] }),
    { status: 200, headers: { 'content-type': 'application/json' } },
  );

describe('retry backoff on fake timers', () => {
  it('waits 500 ms, then 1 000 ms, then 2 000 ms between attempts', async () => {
    vi.useFakeTimers();
    const replies = [serverError, serverError, serverError, answer];
    const fetch = vi.fn(async () => (replies.shift() as () => Response)());
    const engine = engineWith(fetch);
    const options = resolveGenerateOptions({ prompt: 'hi', stream: false }, { provider: 'openai', defaultModel: 'gpt-4o-mini', defaultStream: true });
    const pending = engine.generate(options).then((stream) => stream.final());

    await vi.advanceTimersByTimeAsync(0);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(499);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(999);
    expect(fetch).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(fetch).toHaveBeenCalledTimes(4);
    expect((await pending).text).toBe('ok');
    // Left: at most the engine's deadline timer, unreferenced (it holds no process); it fires once, when the last
    // attempt's timeout would have ended, finds nothing due and is gone.
    expect(vi.getTimerCount()).toBeLessThanOrEqual(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a Retry-After of 30 s is honoured to the millisecond', async () => {
    vi.useFakeTimers();
    const limited = () => new Response('{"error":{"message":"slow down","code":"rate_limit_exceeded"}}', { status: 429, headers: { 'retry-after': '30' } });
    const replies = [limited, answer];
    const fetch = vi.fn(async () => (replies.shift() as () => Response)());
    const engine = engineWith(fetch);
    const options = resolveGenerateOptions({ prompt: 'hi', stream: false }, { provider: 'openai', defaultModel: 'gpt-4o-mini', defaultStream: true });
    const pending = engine.generate(options).then((stream) => stream.final());
    await vi.advanceTimersByTimeAsync(29_999);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect((await pending).text).toBe('ok');
  });
});
