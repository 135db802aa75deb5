import { describe, expect, it } from 'vitest';
import type { RecordedRequest } from './record-request';
import { behaviourAt, faults, replies, type Behaviour } from './upstream-script';

const request: RecordedRequest = { method: 'POST', path: '/v1/chat/completions', headers: {}, body: {}, at: 0, aborted: false };

describe('replies', () => {
  it('builds text and tool-call behaviours with their options', () => {
    expect(replies.text('hi', { chunks: 2, finishReason: 'length' })).toEqual({
      kind: 'text',
      text: 'hi',
      chunks: 2,
      finishReason: 'length',
    });
    expect(replies.toolCalls([{ name: 'f', arguments: '{}' }], { splitArguments: 1 })).toEqual({
      kind: 'tool-calls',
      calls: [{ name: 'f', arguments: '{}' }],
      splitArguments: 1,
    });
  });
});

describe('faults', () => {
  it('maps each HTTP fault to its status and meaning', () => {
    const cases: [Behaviour, number, string][] = [
      [faults.unauthorized(), 401, 'unauthorized'],
      [faults.forbidden(), 403, 'forbidden'],
      [faults.rateLimited(), 429, 'rate-limited'],
      [faults.insufficientQuota(), 429, 'insufficient-quota'],
      [faults.paymentRequired(), 402, 'payment-required'],
      [faults.serverError(), 500, 'server-error'],
      [faults.serverError(502), 502, 'server-error'],
      [faults.overloaded(), 503, 'overloaded'],
      [faults.badRequest(), 400, 'bad-request'],
      [faults.contextLength(), 400, 'context-length'],
      [faults.notFound(), 404, 'not-found'],
    ];
    for (const [behaviour, status, fault] of cases) expect(behaviour).toMatchObject({ kind: 'status', status, fault });
  });

  it('puts retry hints into headers', () => {
    expect(faults.rateLimited({ retryAfterSeconds: 2, retryAfterMs: 1500 }).headers).toEqual({
      'retry-after': '2',
      'retry-after-ms': '1500',
    });
    expect(faults.rateLimited().headers).toEqual({});
  });

  it('builds the transport faults', () => {
    expect(faults.hang()).toEqual({ kind: 'hang' });
    expect(faults.slowFirstByte(10, faults.hang())).toEqual({
      kind: 'slow-first-byte',
      delayMs: 10,
      // biome-ignore lint/suspicious/noThenProperty: `then` is the public field of SlowFirstByteBehaviour (the behaviour that follows the delay), never a function, so the object is not a thenable
      then: { kind: 'hang' },
    });
    expect(faults.resetMidStream(2)).toEqual({ kind: 'reset-mid-stream', afterChunks: 2 });
    expect(faults.malformed()).toEqual({ kind: 'malformed-sse', afterChunks: 0 });
    expect(faults.errorMidStream(1)).toEqual({ kind: 'error-mid-stream', afterChunks: 1 });
    expect(faults.stallMidStream(3)).toEqual({ kind: 'stall-mid-stream', afterChunks: 3 });
  });
});

describe('behaviourAt', () => {
  it('repeats a single behaviour', () => {
    const behaviour = replies.text('same');
    expect(behaviourAt(behaviour, request, 0)).toBe(behaviour);
    expect(behaviourAt(behaviour, request, 7)).toBe(behaviour);
  });

  it('consumes a list one per request and repeats the last', () => {
    const list = [faults.unauthorized(), faults.serverError(), replies.text('ok')];
    expect([0, 1, 2, 3, 4].map((n) => behaviourAt(list, request, n))).toEqual([list[0], list[1], list[2], list[2], list[2]]);
  });

  it('asks a function with the request and its number', () => {
    const seen: number[] = [];
    const behaviour = behaviourAt(
      (received, n) => {
        seen.push(n);
        return replies.text(`${received.method} ${n}`);
      },
      request,
      4,
    );
    expect(behaviour).toEqual(replies.text('POST 4'));
    expect(seen).toEqual([4]);
  });

  it('refuses an empty list', () => {
    expect(() => behaviourAt([], request, 0)).toThrow(/at least one/);
  });
});
