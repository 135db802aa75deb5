import { describe, expect, it, vi } from 'vitest';
import { fakeChatStream } from './chat-stream-source.test-helper';
import { KitError } from './kit-error';
import type { StreamEvent } from './stream-event';

// Runs in the node and the edge-runtime projects: the Response, TextEncoderStream and ReadableStream used are the
// runtime's own.

const usage = { inputTokens: 3, outputTokens: 2, totalTokens: 5 };
const finish: StreamEvent = { type: 'finish', finishReason: 'stop', usage };

/** A stream that served `key-2` for request `req_123`; `buffered` was read before it resolved, `rest` arrives later. */
const chatStream = (buffered: StreamEvent[], rest: (StreamEvent | Error)[] = []) =>
  fakeChatStream(buffered, rest, { model: 'm', credentialId: 'key-2', requestId: 'req_123' });

async function readAll(stream: ReadableStream<string>): Promise<string[]> {
  const chunks: string[] = [];
  const reader = stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
  return chunks;
}

const text = (value: string): StreamEvent => ({ type: 'text-delta', text: value });

describe('ChatStream.toTextStream', () => {
  it('yields every text delta in order, leaving out reasoning, tool calls and empty deltas', async () => {
    const { stream } = chatStream(
      [{ type: 'start', id: 'chatcmpl-1', model: 'm' }, { type: 'reasoning-delta', text: 'thinking' }, text('Hel')],
      [text(''), text('lo, '), { type: 'tool-call', toolCall: { id: 'call_1', name: 'lookup', arguments: '{}' } }, text('wörld 👋'), finish],
    );
    expect(await readAll(stream.toTextStream())).toEqual(['Hel', 'lo, ', 'wörld 👋']);
  });

  it('errors with the KitError when the upstream breaks off after content: the text is not cut short silently', async () => {
    const failure = new KitError('server_error', 'test: overloaded mid-stream');
    const { stream, release } = chatStream([text('partial')], [text(' more'), failure]);
    const reader = stream.toTextStream().getReader();
    expect(await reader.read()).toEqual({ done: false, value: 'partial' });
    expect(await reader.read()).toEqual({ done: false, value: ' more' });
    await expect(reader.read()).rejects.toBe(failure);
    expect(release).toHaveBeenCalledTimes(1);
  });

  it('errors when the upstream closes without a finish (a truncated answer is an error, not an end)', async () => {
    const { stream } = chatStream([text('cut')]);
    const reader = stream.toTextStream().getReader();
    expect(await reader.read()).toEqual({ done: false, value: 'cut' });
    await expect(reader.read()).rejects.toMatchObject({ code: 'invalid_response' });
  });

  it('cancelling it aborts the call: the connection is released with an aborted error', async () => {
    const { stream, release, onError } = chatStream([text('a')], [text('b'), finish]);
    const reader = stream.toTextStream().getReader();
    expect(await reader.read()).toEqual({ done: false, value: 'a' });
    await reader.cancel('client went away');
    expect(release).toHaveBeenCalledTimes(1);
    expect(release.mock.calls[0]?.[0]).toMatchObject({ code: 'aborted' });
    expect(onError.mock.calls[0]?.[0]).toMatchObject({ code: 'aborted' });
  });

  it('consumes the stream like an iteration: refused after final(), and final() is refused after it', async () => {
    const consumed = chatStream([text('a')], [finish]).stream;
    await consumed.final();
    expect(() => consumed.toTextStream()).toThrow(expect.objectContaining({ code: 'invalid_request' }));

    const streaming = chatStream([text('a')], [finish]).stream;
    const textStream = streaming.toTextStream();
    expect(() => streaming.toTextStream()).toThrow(/already consumed/);
    expect(await readAll(textStream)).toEqual(['a']);
  });
});

describe('ChatStream.toTextStreamResponse', () => {
  it('streams the text UTF-8 encoded, 200 with content-type text/plain; charset=utf-8', async () => {
    const { stream } = chatStream([text('Grüße, ')], [text('世界'), finish]);
    const response = stream.toTextStreamResponse();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const decoder = new TextDecoder();
    let decoded = '';
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      expect(next.value).toBeInstanceOf(Uint8Array);
      decoded += decoder.decode(next.value, { stream: true });
    }
    expect(decoded + decoder.decode()).toBe('Grüße, 世界');
  });

  it('keeps the caller’s status, statusText and headers (a Headers instance or a record); its content-type wins', async () => {
    const init = { status: 201, statusText: 'Created', headers: new Headers({ 'x-request-id': 'req_123', 'cache-control': 'no-store' }) };
    const response = chatStream([text('a')], [finish]).stream.toTextStreamResponse(init);
    expect(response.status).toBe(201);
    expect(response.statusText).toBe('Created');
    expect(response.headers.get('x-request-id')).toBe('req_123');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await response.text()).toBe('a');

    const typed = chatStream([text('b')], [finish]).stream.toTextStreamResponse({ headers: { 'Content-Type': 'text/markdown; charset=utf-8' } });
    expect(typed.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(await typed.text()).toBe('b');
  });

  it('errors the body after the content sent so far when the upstream breaks off', async () => {
    const failure = new KitError('server_error', 'test: overloaded mid-stream');
    const response = chatStream([text('partial')], [failure]).stream.toTextStreamResponse();
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('partial');
    await expect(reader.read()).rejects.toBe(failure);
  });

  it('cancelling the body (the client went away) aborts the call', async () => {
    const { stream, release } = chatStream([text('a')], [text('b'), finish]);
    const response = stream.toTextStreamResponse();
    await response.body?.cancel();
    // The cancellation travels back through the encoder to the text stream, then to the ChatStream.
    await vi.waitFor(() => expect(release).toHaveBeenCalledTimes(1));
    expect(release.mock.calls[0]?.[0]).toMatchObject({ code: 'aborted' });
  });

  it('an init the Response refuses is an invalid_request naming init, and the call is aborted, not left open', () => {
    const { stream, release } = chatStream([text('a')], [finish]);
    expect(() => stream.toTextStreamResponse({ status: 99 })).toThrow(
      expect.objectContaining({ code: 'invalid_request', message: expect.stringMatching(/^toTextStreamResponse init: /) }),
    );
    expect(release.mock.calls[0]?.[0]).toMatchObject({ code: 'aborted' });
  });
});

describe('ChatStream.credentialId and requestId', () => {
  it('name the credential that served the stream and the provider’s request id', () => {
    const { stream } = chatStream([text('a')], [finish]);
    expect(stream.credentialId).toBe('key-2');
    expect(stream.requestId).toBe('req_123');
  });
});
