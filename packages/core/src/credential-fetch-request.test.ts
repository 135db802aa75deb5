import { describe, expect, it } from 'vitest';
import { bufferRequestBody, describeRequest, toResendableRequest, withCredentialHeader } from './credential-fetch-request';

const bearer = { name: 'authorization', scheme: 'Bearer', replaces: ['authorization', 'api-key'] };
const apiKeyHeader = { name: 'x-api-key', scheme: '', replaces: ['x-api-key', 'authorization'] };

function streamOf(...chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (body: unknown) => new TextDecoder().decode(body as Uint8Array);

describe('withCredentialHeader', () => {
  it('replaces the dummy key the SDK set (whatever its case), never joins it', () => {
    const headers = new Headers({ Authorization: 'Bearer unused', 'Content-Type': 'application/json', 'X-Stainless-Retry-Count': '0' });
    expect(withCredentialHeader(headers, bearer, 'test-key-1')).toEqual({
      authorization: 'Bearer test-key-1',
      'content-type': 'application/json',
      'x-stainless-retry-count': '0',
    });
  });

  it('writes a bare key in its own header and drops the other auth header the SDK may have sent', () => {
    const headers = new Headers({ 'X-Api-Key': 'unused', authorization: 'Bearer dummy-token', 'anthropic-version': '2023-06-01' });
    expect(withCredentialHeader(headers, apiKeyHeader, 'test-key-2')).toEqual({ 'x-api-key': 'test-key-2', 'anthropic-version': '2023-06-01' });
  });

  it('adds the header when the SDK sent none, and leaves the request headers untouched for the next attempt', () => {
    const headers = new Headers({ accept: 'application/json' });
    expect(withCredentialHeader(headers, bearer, 'a')).toEqual({ accept: 'application/json', authorization: 'Bearer a' });
    expect(withCredentialHeader(headers, bearer, 'b')).toEqual({ accept: 'application/json', authorization: 'Bearer b' });
    expect([...headers.keys()]).toEqual(['accept']);
  });
});

describe('bufferRequestBody', () => {
  it('reads a ReadableStream once into one Uint8Array that can be sent any number of times', async () => {
    const body = await bufferRequestBody(streamOf(bytes('{"model":'), bytes('"gpt"}')));
    expect(body).toBeInstanceOf(Uint8Array);
    expect(text(body)).toBe('{"model":"gpt"}');
    // Sent twice: both requests carry the whole body.
    for (let attempt = 0; attempt < 2; attempt++)
      expect(await new Request('http://x.test', { method: 'POST', body: body ?? null }).text()).toBe('{"model":"gpt"}');
  });

  it('reads an async iterable of strings and bytes', async () => {
    async function* parts() {
      yield 'ab';
      yield bytes('cd');
    }
    expect(text(await bufferRequestBody(parts()))).toBe('abcd');
  });

  it('keeps bodies that can be re-sent as they are', async () => {
    const array = bytes('x');
    const params = new URLSearchParams({ a: '1' });
    expect(await bufferRequestBody('{"a":1}')).toBe('{"a":1}');
    expect(await bufferRequestBody(array)).toBe(array);
    expect(await bufferRequestBody(params)).toBe(params);
    expect(await bufferRequestBody(undefined)).toBeUndefined();
    expect(await bufferRequestBody(null)).toBeUndefined();
  });
});

describe('toResendableRequest', () => {
  it('takes url, method, headers, body and signal from (url, init), without duplex', async () => {
    const controller = new AbortController();
    const request = await toResendableRequest(new URL('http://x.test/v1/chat'), {
      method: 'POST',
      headers: { authorization: 'Bearer unused' },
      body: streamOf(bytes('{"stream":true}')),
      signal: controller.signal,
      duplex: 'half',
    } as RequestInit);
    expect(request.url).toBe('http://x.test/v1/chat');
    expect(request.init).toEqual({ method: 'POST' });
    expect(request.headers.get('authorization')).toBe('Bearer unused');
    expect(text(request.body)).toBe('{"stream":true}');
    expect(request.signal).toBe(controller.signal);
  });

  it('reads a Request input: its method, headers and body (init.headers win, as fetch does)', async () => {
    const input = new Request('http://x.test/v1/messages', { method: 'POST', headers: { 'x-api-key': 'unused' }, body: '{"model":"m"}' });
    const request = await toResendableRequest(input, undefined);
    expect(request).toMatchObject({ url: 'http://x.test/v1/messages', init: { method: 'POST' } });
    expect(request.headers.get('x-api-key')).toBe('unused');
    expect(text(request.body)).toBe('{"model":"m"}');
    const overridden = await toResendableRequest(new Request('http://x.test/'), { headers: { a: '1' } });
    expect([...overridden.headers.keys()]).toEqual(['a']);
  });
});

describe('describeRequest', () => {
  it('reads the model and the stream flag of an OpenAI or Anthropic JSON body', () => {
    expect(describeRequest('http://x.test/v1/chat/completions', '{"model":"gpt-4o-mini","stream":true}')).toEqual({ model: 'gpt-4o-mini', streaming: true });
    expect(describeRequest('http://x.test/v1/messages', bytes('{"model":"claude","max_tokens":5}'))).toEqual({ model: 'claude', streaming: false });
  });

  it('reads a Gemini path, and survives a body that is not JSON', () => {
    expect(describeRequest('http://x.test/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse', '{"contents":[]}')).toEqual({
      model: 'gemini-2.5-flash',
      streaming: true,
    });
    expect(describeRequest('http://x.test/v1/x', '{not json')).toEqual({ streaming: false });
    expect(describeRequest('http://x.test/v1/x', undefined)).toEqual({ streaming: false });
  });
});
