import { KitError, type StreamEvent } from '@kit/core';
import type { StreamMapper } from '@kit/core/provider-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeFetchEngine, finishChunks, jsonResponse, keepAliveOnlyResponse, recordingSource, settle, sseResponse, textChunk } from './fetch-fakes';

const answer = () => sseResponse([textChunk('Hello'), textChunk(' world'), finishChunks]);

describe('a stream that ends before its first content event fails over like any failure before content', () => {
  const cases: [string, () => Response][] = [
    ['an empty 200', () => sseResponse([])],
    ['comments only', () => sseResponse([': ping\n\n', ': ping\n\n'])],
    // A gateway that ignores `stream: true` and answers one JSON object.
    ['a JSON body for a stream request', () => jsonResponse(200, { id: 'x', object: 'chat.completion' })],
  ];
  for (const [name, broken] of cases) {
    it(`${name}: the next key answers, the call resolves with its content`, async () => {
      const { source, log } = recordingSource(['k1', 'k2']);
      const engine = fakeFetchEngine({ credentials: source, respond: ({ n }) => (n === 0 ? broken() : answer()) });
      const stream = await engine.generate({ prompt: 'hi' });
      expect(await stream.text()).toBe('Hello world');
      expect(engine.requests).toHaveLength(2);
      expect(log.filter((entry) => entry.startsWith('failure'))).toEqual(['failure:k1:invalid_response#1']);
    });
  }

  it('with a single key the call itself rejects with invalid_response: nothing is thrown later from the iterator', async () => {
    const { source } = recordingSource(['only']);
    const engine = fakeFetchEngine({ credentials: source, maxRetries: 0, respond: () => sseResponse([': ping\n\n']) });
    const { error } = await settle(engine.generate({ prompt: 'hi' }));
    expect(error?.code).toBe('invalid_response');
    expect(error?.message).toMatch(/ended before any content/);
  });
});

describe('keep-alive comments are not progress', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('timeoutMs 2000 and deadlineMs 4000 against an upstream sending only `: ping`: the call fails by its deadline', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] });
    const { source } = recordingSource(['k1']);
    const engine = fakeFetchEngine({ credentials: source, realSleep: true, timeoutMs: 2000, respond: () => keepAliveOnlyResponse(250) });
    const started = performance.now();
    const outcome = settle(engine.generate({ prompt: 'hi', timeoutMs: 2000, deadlineMs: 4000 }));
    await vi.advanceTimersByTimeAsync(4_100);
    const { error } = await outcome;
    expect(error?.code).toBe('timeout');
    expect(performance.now() - started).toBeLessThanOrEqual(4_100);
    // Before the fix the idle timer was re-armed by every comment and the call never ended.
    expect(engine.requests.length).toBeGreaterThanOrEqual(1);
  });

  it('a stream whose content stops and only pings follow ends with a timeout after timeoutMs, keeping the partial text', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] });
    const { source } = recordingSource(['k1']);
    const pings = Array.from({ length: 100 }, () => ': ping\n\n');
    const engine = fakeFetchEngine({
      credentials: source,
      realSleep: true,
      respond: () => sseResponse([textChunk('partial'), ...pings], { gapMs: 200, keepOpen: true }),
    });
    const stream = await engine.generate({ prompt: 'hi', timeoutMs: 1000 });
    const seen: string[] = [];
    const iterate = settle(
      (async () => {
        for await (const event of stream) if (event.type === 'text-delta') seen.push(event.text);
      })(),
    );
    await vi.advanceTimersByTimeAsync(1_500);
    const { error } = await iterate;
    expect(error?.code).toBe('timeout');
    expect(seen).toEqual(['partial']);
  });
});

describe('mapper faults', () => {
  it('a non-KitError thrown by a mapper is invalid_response and never penalises the credential', async () => {
    const { source, log } = recordingSource(['k1', 'k2']);
    const engine = fakeFetchEngine({
      credentials: source,
      respond: answer,
      definition: (base) => ({
        ...base,
        chat: {
          ...base.chat,
          createStreamMapper: (): StreamMapper => ({
            push: () => {
              JSON.parse('{not json'); // a third-party mapper's bug
            },
            end: () => {},
          }),
        },
      }),
    });
    const { error } = await settle(engine.generate({ prompt: 'hi' }));
    expect(error?.code).toBe('invalid_response');
    expect(log.some((entry) => entry.startsWith('failure'))).toBe(false);
    // invalid_response is retried once, then given up.
    expect(engine.requests).toHaveLength(2);
  });

  it('a non-KitError thrown while building the request is invalid_request: nothing sent, not retried, no credential blamed (20 concurrent calls)', async () => {
    const { source, log } = recordingSource(['k1', 'k2']);
    const engine = fakeFetchEngine({
      credentials: source,
      respond: answer,
      definition: (base) => ({
        ...base,
        chat: {
          ...base.chat,
          buildRequest: () => {
            throw new TypeError("Cannot read properties of undefined (reading 'map')"); // a request mapper's bug
          },
        },
      }),
    });
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => settle(engine.generate({ prompt: 'hi' }))));
    for (const { error } of outcomes) {
      expect(error?.code).toBe('invalid_request');
      expect(error?.message).toMatch(/the request could not be built: Cannot read properties/);
    }
    // Before: classified `network`, retried with backoff and reported against each key.
    expect(engine.requests).toHaveLength(0);
    expect(engine.sleeps).toEqual([]);
    expect(log.some((entry) => entry.startsWith('failure'))).toBe(false);
  });

  it('an error thrown by a mapper at the end, after it emitted events, reaches the caller (not swallowed)', async () => {
    const { source } = recordingSource(['k1']);
    const engine = fakeFetchEngine({
      credentials: source,
      respond: answer,
      definition: (base) => ({
        ...base,
        chat: {
          ...base.chat,
          createStreamMapper: (context): StreamMapper => {
            const inner = base.chat.createStreamMapper(context);
            return {
              push: (chunk, emit) => inner.push(chunk, emit),
              end: (emit) => {
                emit({ type: 'text-delta', text: '!' });
                throw new KitError('server_error', 'the upstream said the answer is incomplete');
              },
            };
          },
        },
      }),
    });
    const stream = await engine.generate({ prompt: 'hi' });
    await expect(stream.final()).rejects.toMatchObject({ code: 'server_error' });
    // A second final() rejects with the same error instead of resolving with the partial text.
    await expect(stream.final()).rejects.toMatchObject({ code: 'server_error' });
  });

  it('an error code unknown to this copy of core (a newer provider package) reaches the caller without a TypeError', async () => {
    const { source } = recordingSource(['k1']);
    const future = new KitError('invalid_request', 'from a newer core');
    Object.defineProperty(future, 'code', { value: 'some_future_code' });
    const engine = fakeFetchEngine({
      credentials: source,
      respond: answer,
      definition: (base) => ({
        ...base,
        chat: {
          ...base.chat,
          createStreamMapper: () => ({
            push: () => {
              throw future;
            },
            end: () => {},
          }),
        },
      }),
    });
    const { error } = await settle(engine.generate({ prompt: 'hi' }));
    expect(error).toBe(future);
    expect(engine.requests).toHaveLength(1);
  });
});

describe('non-streaming calls', () => {
  it('assemble the answer directly, with usage and the credential', async () => {
    const { source, log } = recordingSource(['k1']);
    const body = {
      id: 'chatcmpl-9',
      object: 'chat.completion',
      model: 'gpt-4o-mini-2024-07-18',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Paris.' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 },
    };
    const engine = fakeFetchEngine({ credentials: source, respond: () => jsonResponse(200, body) });
    const completion = await engine.complete({ prompt: 'Capital of France?' });
    expect(completion).toMatchObject({
      id: 'chatcmpl-9',
      text: 'Paris.',
      finishReason: 'stop',
      credentialId: 'k1',
      usage: { inputTokens: 9, outputTokens: 2, totalTokens: 11 },
    });
    expect(log).toEqual(['acquire:k1', 'success:k1#1']);
    expect(engine.events.map((event) => event.type)).toEqual(['request-start', 'request-success']);
  });
});

/** The whole answer in one chunk, kept open: every delta is decoded (queued) before the consumer reads the first. */
const deltasInOneChunk = (count: number) => () =>
  sseResponse([Array.from({ length: count }, (_, index) => textChunk(`d${index} `)).join('')], { keepOpen: true });

/** Iterates a stream, calling `onEvent` with each event, until it ends or fails; what was seen and the error code. */
async function readUntilEnd(stream: AsyncIterable<StreamEvent>, onEvent: (event: StreamEvent) => void = () => {}) {
  const texts: string[] = [];
  const types: string[] = [];
  const { error } = await settle(
    (async () => {
      for await (const event of stream) {
        types.push(event.type);
        if (event.type === 'text-delta') texts.push(event.text);
        onEvent(event);
      }
    })(),
  );
  return { texts, types, code: error?.code };
}

const tenTimes = <T>(run: () => Promise<T>) => Promise.all(Array.from({ length: 10 }, run));

describe('a caller’s abort stops a stream at once, even with events already decoded', () => {
  it('10 concurrent streams, each aborted after its first delta with 20 more queued: no further delta is handed out', async () => {
    const engine = fakeFetchEngine({ credentials: recordingSource(['k1']).source, respond: deltasInOneChunk(21) });
    const outcomes = await tenTimes(async () => {
      const controller = new AbortController();
      const stream = await engine.generate({ prompt: 'hi', signal: controller.signal });
      const { texts, code } = await readUntilEnd(stream, (event) => event.type === 'text-delta' && controller.abort());
      return { texts, code };
    });
    expect(outcomes).toEqual(Array.from({ length: 10 }, () => ({ texts: ['d0 '], code: 'aborted' })));
  });

  it('10 concurrent streams aborted before their first read hand out no delta (the first was read before the call resolved)', async () => {
    const engine = fakeFetchEngine({ credentials: recordingSource(['k1']).source, respond: deltasInOneChunk(2) });
    const outcomes = await tenTimes(async () => {
      const controller = new AbortController();
      const stream = await engine.generate({ prompt: 'hi', signal: controller.signal });
      controller.abort();
      const { types, code } = await readUntilEnd(stream);
      return { types, code };
    });
    expect(outcomes).toEqual(Array.from({ length: 10 }, () => ({ types: ['start'], code: 'aborted' })));
  });

  it('10 concurrent streams ended by stream.abort() after their first delta hand out nothing more either', async () => {
    const engine = fakeFetchEngine({ credentials: recordingSource(['k1']).source, respond: deltasInOneChunk(5) });
    const outcomes = await tenTimes(async () => {
      const stream = await engine.generate({ prompt: 'hi' });
      const { texts, code } = await readUntilEnd(stream, (event) => event.type === 'text-delta' && stream.abort());
      return { texts, code };
    });
    expect(outcomes).toEqual(Array.from({ length: 10 }, () => ({ texts: ['d0 '], code: 'aborted' })));
  });
});
