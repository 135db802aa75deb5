import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { KitChatStream } from './chat-stream';
import { fakeChatStream } from './chat-stream-source.test-helper';
import { KitError } from './kit-error';
import type { StandardSchemaV1 } from './standard-schema';
import type { StreamEvent } from './stream-event';
import { thenableSchema } from './thenable-schema.test-helper';

const usage = { inputTokens: 3, outputTokens: 2, totalTokens: 5 };

async function collect(stream: AsyncIterable<StreamEvent>) {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe('KitChatStream', () => {
  it('yields start first (with the credential) and finish last, and reports success once', async () => {
    const { stream, onSuccess } = fakeChatStream(
      [
        { type: 'start', id: 'resp-1', model: 'served-model' },
        { type: 'text-delta', text: 'Hel' },
      ],
      [
        { type: 'finish', finishReason: 'stop', usage },
        { type: 'text-delta', text: 'lo' },
      ],
    );
    const events = await collect(stream);
    expect(events.map((event) => event.type)).toEqual(['start', 'text-delta', 'text-delta', 'finish']);
    expect(events[0]).toEqual({ type: 'start', id: 'resp-1', model: 'served-model', credentialId: 'key-1' });
    expect(onSuccess).toHaveBeenCalledTimes(1);
    expect(onSuccess).toHaveBeenCalledWith({ usage, finishReason: 'stop' });
  });

  it('synthesises start when the upstream sent none', async () => {
    const { stream } = fakeChatStream([
      { type: 'text-delta', text: 'x' },
      { type: 'finish', finishReason: 'stop', usage },
    ]);
    const [first] = await collect(stream);
    expect(first).toEqual({ type: 'start', model: 'requested-model', credentialId: 'key-1' });
  });

  it('assembles the completion: text, reasoning with signature, tool calls and a replayable message', async () => {
    const { stream } = fakeChatStream([
      { type: 'reasoning-delta', text: 'think', signature: 'sig' },
      { type: 'text-delta', text: 'answer' },
      { type: 'tool-call', toolCall: { id: 'c1', name: 'f', arguments: '{}' } },
      { type: 'finish', finishReason: 'tool-calls', usage },
    ]);
    const completion = await stream.final();
    expect(completion).toMatchObject({
      text: 'answer',
      reasoning: 'think',
      finishReason: 'tool-calls',
      usage,
      credentialId: 'key-1',
      provider: 'test',
      toolCalls: [{ id: 'c1', name: 'f', arguments: '{}', input: {} }],
    });
    expect(completion.message).toEqual({
      role: 'assistant',
      content: [
        { type: 'reasoning', text: 'think', signature: 'sig' },
        { type: 'text', text: 'answer' },
      ],
      toolCalls: [{ id: 'c1', name: 'f', arguments: '{}', input: {} }],
    });
  });

  it('keeps each signed thinking block as its own reasoning part, so it replays with its own signature', async () => {
    const { stream } = fakeChatStream([
      { type: 'reasoning-delta', text: 'first ' },
      { type: 'reasoning-delta', text: 'thought' },
      { type: 'reasoning-delta', text: '', signature: 'sig-1' },
      { type: 'reasoning-delta', text: 'second thought' },
      { type: 'reasoning-delta', text: '', signature: 'sig-2' },
      { type: 'text-delta', text: 'answer' },
      { type: 'finish', finishReason: 'stop', usage },
    ]);
    const completion = await stream.final();
    expect(completion.reasoning).toBe('first thoughtsecond thought');
    expect(completion.message.content).toEqual([
      { type: 'reasoning', text: 'first thought', signature: 'sig-1' },
      { type: 'reasoning', text: 'second thought', signature: 'sig-2' },
      { type: 'text', text: 'answer' },
    ]);
  });

  it('refuses to be iterated after final() or twice, but final() may follow an iteration or repeat', async () => {
    const { stream } = fakeChatStream([{ type: 'finish', finishReason: 'stop', usage }]);
    await stream.text();
    expect(() => stream[Symbol.asyncIterator]()).toThrow(/already consumed/);
    expect((await stream.final()).finishReason).toBe('stop');

    const { stream: iterated } = fakeChatStream(
      [{ type: 'text-delta', text: 'a' }],
      [
        { type: 'text-delta', text: 'b' },
        { type: 'finish', finishReason: 'stop', usage },
      ],
    );
    const iterator = iterated[Symbol.asyncIterator]();
    await iterator.next(); // start
    await iterator.next(); // 'a'
    expect(() => iterated[Symbol.asyncIterator]()).toThrow(/already consumed/);
    const completion = await iterated.final(); // the rest, assembled with what was already read
    expect(completion.text).toBe('ab');
    expect(completion.usage).toEqual(usage);
  });

  it('throws a mid-stream failure from the iterator after yielding every delta, and keeps no finish', async () => {
    const failure = new KitError('server_error', 'overloaded');
    const { stream, onError, release } = fakeChatStream([{ type: 'text-delta', text: 'partial' }], [{ type: 'text-delta', text: ' more' }, failure]);
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const event of stream) if (event.type === 'text-delta') seen.push(event.text);
      })(),
    ).rejects.toBe(failure);
    expect(seen).toEqual(['partial', ' more']);
    expect(onError).toHaveBeenCalledWith(failure);
    expect(release).toHaveBeenCalledTimes(1);
  });

  it('answers every next() with a promise, never a synchronous throw: a decoded event, a read, a failure, the end', async () => {
    const failure = new KitError('server_error', 'overloaded');
    const { stream } = fakeChatStream([{ type: 'text-delta', text: 'a' }], [{ type: 'text-delta', text: 'b' }, failure]);
    const iterator = stream[Symbol.asyncIterator]();
    const answers: unknown[] = [];
    const next = () => {
      const answer = iterator.next();
      answers.push(answer);
      return answer;
    };
    expect(await next()).toMatchObject({ done: false, value: { type: 'start' } });
    expect(await next()).toEqual({ done: false, value: { type: 'text-delta', text: 'a' } }); // already decoded
    expect(await next()).toEqual({ done: false, value: { type: 'text-delta', text: 'b' } }); // after a read
    await expect(next()).rejects.toBe(failure); // thrown by the read
    await expect(next()).rejects.toBe(failure); // held: thrown by the step itself, handed out as a rejection

    const { stream: finished } = fakeChatStream([{ type: 'finish', finishReason: 'stop', usage }]);
    const rest = finished[Symbol.asyncIterator]();
    const more = () => {
      const answer = rest.next();
      answers.push(answer);
      return answer;
    };
    await more(); // start
    expect(await more()).toMatchObject({ done: false, value: { type: 'finish' } });
    expect(await more()).toEqual({ done: true, value: undefined });
    expect(await more()).toEqual({ done: true, value: undefined });
    expect(answers.every((answer) => answer instanceof Promise)).toBe(true);
  });

  it('treats a stream that ends without finish as invalid_response', async () => {
    const { stream, onSuccess } = fakeChatStream([{ type: 'text-delta', text: 'cut' }]);
    await expect(stream.final()).rejects.toMatchObject({ code: 'invalid_response' });
    expect(onSuccess).not.toHaveBeenCalled();
  });

  it('releases the connection when the consumer breaks out early', async () => {
    const { stream, release, onError } = fakeChatStream([{ type: 'text-delta', text: 'a' }], [{ type: 'text-delta', text: 'b' }]);
    for await (const event of stream) if (event.type === 'text-delta') break;
    expect(release).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]?.[0]).toMatchObject({ code: 'aborted' });
  });

  it('abort() releases with an aborted error', () => {
    const { stream, release } = fakeChatStream([{ type: 'text-delta', text: 'a' }]);
    stream.abort();
    expect(release.mock.calls[0]?.[0]).toMatchObject({ code: 'aborted' });
  });

  it('rejects a second final() after a failed stream with the same error, never a partial completion', async () => {
    const failure = new KitError('server_error', 'overloaded mid-stream');
    const { stream } = fakeChatStream([{ type: 'text-delta', text: 'partial' }], [failure]);
    await expect(stream.final()).rejects.toBe(failure);
    await expect(stream.final()).rejects.toBe(failure);
    await expect(stream.text()).rejects.toBe(failure);
  });

  it('hands out decoded events without reading: one fill() per read, however many events it decoded', async () => {
    const fill = vi.fn(async () => {});
    const decoded: StreamEvent[] = [
      { type: 'text-delta', text: 'a' },
      { type: 'text-delta', text: 'b' },
      { type: 'finish', finishReason: 'stop', usage },
    ];
    const stream = new KitChatStream({
      provider: 'test',
      model: 'm',
      buffered: [],
      feed: {
        take: () => decoded.shift(),
        get done() {
          return decoded.length === 0;
        },
        fill,
      },
      classify: (error) => error as KitError,
      onSuccess: () => {},
      onError: () => {},
      release: () => {},
    });
    expect((await stream.final()).text).toBe('ab');
    expect(fill).not.toHaveBeenCalled();
  });

  it('keeps a long answer intact through its compact text buffer', async () => {
    const deltas = Array.from({ length: 5000 }, (_, index) => ({ type: 'text-delta', text: `w${index} ` }) as StreamEvent);
    const { stream } = fakeChatStream(deltas, [{ type: 'finish', finishReason: 'stop', usage }]);
    let iterated = '';
    for await (const event of stream) if (event.type === 'text-delta') iterated += event.text;
    const completion = await stream.final();
    expect(completion.text).toBe(iterated);
    expect(completion.text).toBe(Array.from({ length: 5000 }, (_, index) => `w${index} `).join(''));
  });

  it('hands out the first non-empty id of the starts read before content (Azure\'s first chunk has id "")', async () => {
    const { stream } = fakeChatStream([
      { type: 'start', id: '', model: '' },
      { type: 'start', id: 'chatcmpl-azure-1', model: 'gpt-4o-2024-08-06' },
      { type: 'text-delta', text: 'hi' },
      { type: 'finish', finishReason: 'stop', usage },
    ]);
    const events = await collect(stream);
    expect(events[0]).toEqual({ type: 'start', id: 'chatcmpl-azure-1', model: 'gpt-4o-2024-08-06', credentialId: 'key-1' });
    expect(events.filter((event) => event.type === 'start')).toHaveLength(1);
    expect((await stream.final()).id).toBe('chatcmpl-azure-1');
  });

  it('hands out tool calls whose schema validates asynchronously, by a promise or by a bare thenable, in order', async () => {
    // zod answers an async refinement with a native promise; a Standard Schema may answer with any thenable.
    const zodCity = z.object({ city: z.string().refine(async (city) => city === 'Paris', 'unknown city') });
    const thenableCity = thenableSchema();
    const answer = {
      toolInputSchemas: new Map<string, StandardSchemaV1>([
        ['zod_city', zodCity],
        ['thenable_city', thenableCity],
      ]),
    };
    const events = (index: number): StreamEvent[] => [
      { type: 'text-delta', text: `call ${index}` },
      { type: 'tool-call', toolCall: { id: `a${index}`, name: 'zod_city', arguments: '{"city":"Lyon"}' } },
      { type: 'tool-call', toolCall: { id: `b${index}`, name: 'thenable_city', arguments: '{"city":"Paris"}' } },
      { type: 'finish', finishReason: 'tool-calls', usage },
    ];
    // Ten concurrent streams, half iterated and half collected: every call is handed out parsed, none out of order.
    const results = await Promise.all(
      Array.from({ length: 10 }, async (_, index) => {
        const { stream } = fakeChatStream([], events(index), { answer });
        const toolCalls =
          index % 2 === 0 ? (await collect(stream)).flatMap((event) => (event.type === 'tool-call' ? [event.toolCall] : [])) : (await stream.final()).toolCalls;
        return { index, toolCalls };
      }),
    );
    for (const { index, toolCalls } of results) {
      expect(toolCalls).toMatchObject([
        { id: `a${index}`, input: { city: 'Lyon' }, inputError: { message: 'input.city: unknown city' } },
        { id: `b${index}`, input: { city: 'Paris', checked: true } },
      ]);
      expect(toolCalls[1]?.inputError).toBeUndefined();
    }
  });
});
