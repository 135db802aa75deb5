// One runtime timer serves every attempt of a provider (DeadlineTimer): 40 concurrent calls with ten different
// timeouts, half of them to an upstream that never answers, must each end at its own deadline — a sooner deadline
// added after a later one re-arms the timer, an answered call's deadline never fires — and leave nothing behind.
import { KitError } from '@kit/core';
import { resolveGenerateOptions, singleKeySource } from '@kit/core/provider-utils';
import { defineOpenAICompatibleProvider } from '@kit/openai-compatible';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RequestEngine } from '../../packages/core/src/request-engine';

afterEach(() => {
  vi.useRealTimers();
});

// The non-streaming answer in the shape of OpenAI's API reference ("The chat completion object"), trimmed to what is read.
const answer = (text: string) =>
  new Response(
    JSON.stringify({ id: 'chatcmpl-1', model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }] }),
    { status: 200, headers: { 'content-type': 'application/json' } },
  );

/** A fetch that answers `call-N` prompts after half of their timeout, or never (even N), as `fetch` does: an abort rejects it. */
function scriptedFetch(timeoutOf: (call: number) => number): typeof globalThis.fetch {
  return (_input, init) => {
    const { messages } = JSON.parse(String(init?.body)) as { messages: { content: string }[] };
    const call = Number(messages[0]?.content.replace('call-', ''));
    const signal = init?.signal as AbortSignal;
    return new Promise<Response>((resolve, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      if (call % 2 === 1) setTimeout(() => resolve(answer(`answer ${call}`)), timeoutOf(call) / 2);
    });
  };
}

/** The engine over the OpenAI dialect, on the fake clock (`Date.now`), with no retries. */
function engineWith(fetch: typeof globalThis.fetch): RequestEngine {
  return new RequestEngine({
    provider: 'openai',
    definition: defineOpenAICompatibleProvider({ type: 'openai', defaultBaseURL: 'https://api.example.test/v1', defaultModel: 'gpt-4o-mini' }),
    credentials: singleKeySource(() => 'test-key-deadline-timer'),
    baseURL: undefined,
    headers: {},
    timeoutMs: 60_000,
    maxRetries: 0,
    fetch,
    emit: () => {},
    now: () => Date.now(),
  });
}

describe('the engine’s one deadline timer under 40 concurrent calls', () => {
  it('times out each hanging call at its own timeoutMs, answers the others, and ends with no timer left', async () => {
    vi.useFakeTimers();
    const timeoutOf = (call: number) => 1_000 - (call % 10) * 90; // 1 000 ms down to 190 ms: later calls are sooner
    const engine = engineWith(scriptedFetch(timeoutOf));
    const started = Date.now();
    const outcomes = Array.from({ length: 40 }, (_, call) => {
      const options = resolveGenerateOptions(
        { prompt: `call-${call}`, timeoutMs: timeoutOf(call), deadlineMs: timeoutOf(call) },
        { provider: 'openai', defaultModel: 'gpt-4o-mini', defaultStream: false },
      );
      return engine.complete(options).then(
        (completion) => ({ call, text: completion.text, at: Date.now() - started }),
        (error: unknown) => ({ call, code: KitError.is(error) ? error.code : 'other', at: Date.now() - started }),
      );
    });
    await vi.advanceTimersByTimeAsync(1_000);
    for (const outcome of await Promise.all(outcomes)) {
      if (outcome.call % 2 === 1) expect(outcome).toEqual({ call: outcome.call, text: `answer ${outcome.call}`, at: timeoutOf(outcome.call) / 2 });
      else expect(outcome).toEqual({ call: outcome.call, code: 'timeout', at: timeoutOf(outcome.call) });
    }
    // The last call to end timed out: a failed attempt leaves no timer (an answered one may leave the idle one).
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a caller’s abort of 10 hanging calls leaves no timer behind (SPEC: aborted leaves no timer or socket)', async () => {
    vi.useFakeTimers();
    const engine = engineWith(scriptedFetch(() => 60_000));
    // One answered call first: the engine's timer then idles, armed, between calls.
    await Promise.all([
      engine.complete(resolveGenerateOptions({ prompt: 'call-1' }, { provider: 'openai', defaultModel: 'gpt-4o-mini', defaultStream: false })),
      vi.advanceTimersByTimeAsync(30_000),
    ]);
    const controller = new AbortController();
    const calls = Array.from({ length: 10 }, (_, index) =>
      engine
        .complete(
          resolveGenerateOptions(
            { prompt: `call-${2 * index}`, signal: controller.signal },
            { provider: 'openai', defaultModel: 'gpt-4o-mini', defaultStream: false },
          ),
        )
        .catch((error: unknown) => (KitError.is(error) ? error.code : 'other')),
    );
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    expect(await Promise.all(calls)).toEqual(Array.from({ length: 10 }, () => 'aborted'));
    expect(vi.getTimerCount()).toBe(0);
  });
});
