// `toTextStreamResponse()` over a real provider, a `KeyManager` pool and a loopback upstream: what a Worker, an edge
// function or a Lambda handler returns. Sockets are real; nothing here waits on a timer.
import { createAnthropic } from '@kit/anthropic';
import { KeyManager } from '@kit/keymanager';
import { createOpenAI } from '@kit/openai';
import { createMockUpstream, faults, replies, type MockUpstream } from '@kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';

const upstreams: MockUpstream[] = [];
async function upstream(options: Parameters<typeof createMockUpstream>[0]): Promise<MockUpstream> {
  const started = await createMockUpstream(options);
  upstreams.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(upstreams.splice(0).map((started) => started.close()));
});

const answer = 'The pool failed over and every word of this answer arrived.';

/** Reads a body to the end, chunk by chunk, decoding UTF-8 as a client would. */
async function readBody(response: Response): Promise<{ text: string; chunks: number }> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const pieces: string[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text: pieces.join('') + decoder.decode(), chunks: pieces.length };
    pieces.push(decoder.decode(value, { stream: true }));
  }
}

describe('toTextStreamResponse over a KeyManager pool', () => {
  it('fails over past a revoked key and streams the whole text; credentialId and requestId name who served it', async () => {
    const server = await upstream({
      dialect: 'openai',
      credentials: [
        { id: 'revoked', secret: 'test-key-revoked-1', script: faults.unauthorized() },
        { id: 'good', secret: 'test-key-good-1', script: replies.text(answer) },
      ],
    });
    const pool = new KeyManager('openai', ['test-key-revoked-1', 'test-key-good-1']);
    const openai = createOpenAI({ baseURL: server.url, credentials: pool });
    const stream = await openai.generateChatCompletion({ prompt: 'hi' });
    expect(stream.credentialId).toBe('key-2');
    expect(stream.requestId).toBe('req_mock_2');
    const response = stream.toTextStreamResponse({ headers: { 'x-request-id': stream.requestId ?? '' } });
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('x-request-id')).toBe('req_mock_2');
    const body = await readBody(response);
    expect(body.text).toBe(answer);
    expect(body.chunks).toBeGreaterThan(1); // streamed as deltas, not buffered into one chunk
    expect(pool.getKeyHealth().map(({ id, failures, successes }) => ({ id, failures, successes }))).toEqual([
      { id: 'key-1', failures: 1, successes: 0 },
      { id: 'key-2', failures: 0, successes: 1 },
    ]);
  });

  it('an upstream error after the first content errors the body: the client sees a failure, not a short answer', async () => {
    // OpenAI sends an in-stream `data: {"error": …}` event when a stream fails after it started.
    const server = await upstream({ dialect: 'openai', defaultScript: faults.errorMidStream(2, { type: 'server_error', message: 'The server had an error' }) });
    const openai = createOpenAI({ baseURL: server.url, apiKey: 'test-key-1' });
    const response = (await openai.generateChatCompletion({ prompt: 'hi' })).toTextStreamResponse();
    const failure = await readBody(response).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ code: 'server_error' });
    expect(String((failure as Error).message)).not.toContain('test-key-1');
  });

  it('a connection reset after the first content errors the body too', async () => {
    const server = await upstream({ dialect: 'openai', defaultScript: faults.resetMidStream(2) });
    const openai = createOpenAI({ baseURL: server.url, apiKey: 'test-key-1' });
    const response = (await openai.generateChatCompletion({ prompt: 'hi' })).toTextStreamResponse();
    await expect(readBody(response)).rejects.toMatchObject({ code: expect.stringMatching(/^(network|invalid_response)$/) });
  });

  it('cancelling the body (the client went away) aborts the upstream call: no connection stays open', async () => {
    const server = await upstream({ dialect: 'openai', defaultScript: faults.stallMidStream(1) });
    const openai = createOpenAI({ baseURL: server.url, apiKey: 'test-key-1' });
    const response = (await openai.generateChatCompletion({ prompt: 'hi' })).toTextStreamResponse();
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    expect((await reader.read()).done).toBe(false);
    expect(server.openConnections()).toBe(1);
    await reader.cancel();
    await server.waitForIdle();
    for (let turn = 0; turn < 100 && server.openConnections() > 0; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(server.openConnections()).toBe(0);
  });
});

describe('the env setting with real providers', () => {
  it('createOpenAI reads OPENAI_API_KEY and OPENAI_BASE_URL from env (a Worker’s env), not from process.env', async () => {
    const server = await upstream({ dialect: 'openai', credentials: [{ id: 'env', secret: 'test-key-env-1' }], defaultScript: replies.text('from env') });
    const openai = createOpenAI({ env: { OPENAI_API_KEY: 'test-key-env-1', OPENAI_BASE_URL: server.url } });
    expect(await (await openai.generateChatCompletion({ prompt: 'hi' })).text()).toBe('from env');
    expect(server.requests[0]?.credentialId).toBe('env');
  });

  it('createAnthropic reads ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL (the host) from env', async () => {
    const server = await upstream({
      dialect: 'anthropic',
      credentials: [{ id: 'env', secret: 'test-key-env-2' }],
      defaultScript: replies.text('claude from env'),
    });
    const claude = createAnthropic({ env: { ANTHROPIC_API_KEY: 'test-key-env-2', ANTHROPIC_BASE_URL: server.origin } });
    expect((await claude.complete({ prompt: 'hi' })).text).toBe('claude from env');
  });

  it('an OPENAI_BASE_URL in env that is no URL is invalid_config naming it', () => {
    expect(() => createOpenAI({ env: { OPENAI_BASE_URL: 'not a url' } })).toThrow(
      expect.objectContaining({ code: 'invalid_config', message: expect.stringContaining('OPENAI_BASE_URL') }),
    );
  });
});
