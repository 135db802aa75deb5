import { describe, expect, it } from 'vitest';
import { createMockUpstream } from './mock-upstream';
import { faults, replies, type Behaviour } from './upstream-script';
import { chatRequest, postChat, readUntil, sseChunks, sseData, startUpstream } from './test-helpers';

async function contentOf(response: Response): Promise<string> {
  const body = (await response.json()) as { choices: { message: { content: string } }[] };
  return body.choices[0]!.message.content;
}

function tcpResources(): { servers: number; sockets: number } {
  const resources = process.getActiveResourcesInfo();
  return {
    servers: resources.filter((name) => name === 'TCPServerWrap').length,
    sockets: resources.filter((name) => name === 'TCPSocketWrap').length,
  };
}

describe('createMockUpstream', () => {
  it('listens on 127.0.0.1 with a random port and a /v1 base URL', async () => {
    const upstream = await startUpstream();
    expect(upstream.port).toBeGreaterThan(0);
    expect(upstream.url).toBe(`http://127.0.0.1:${upstream.port}/v1`);
    expect(await contentOf(await postChat(upstream, chatRequest()))).toBe('Hello from the mock upstream.');
  });

  it('refuses an unknown dialect', async () => {
    await expect(createMockUpstream({ dialect: 'smoke-signals' as 'openai' })).rejects.toThrow(/unknown dialect/);
  });

  it('refuses duplicate credential ids and secrets', async () => {
    await expect(
      createMockUpstream({
        dialect: 'openai',
        credentials: [
          { id: 'a', secret: 'test-key-1' },
          { id: 'a', secret: 'test-key-2' },
        ],
      }),
    ).rejects.toThrow(/duplicate/);
    await expect(
      createMockUpstream({
        dialect: 'openai',
        credentials: [
          { id: 'a', secret: 'test-key-1' },
          { id: 'b', secret: 'test-key-1' },
        ],
      }),
    ).rejects.toThrow(/secret/);
  });
});

describe('credentials', () => {
  it('accepts any key, or none, when no credentials are configured', async () => {
    const upstream = await startUpstream({ defaultScript: replies.text('open') });
    expect((await postChat(upstream, chatRequest(), { key: 'test-key-anything' })).status).toBe(200);
    expect((await postChat(upstream, chatRequest())).status).toBe(200);
    expect(upstream.requests.map((request) => request.credentialId)).toEqual([undefined, undefined]);
  });

  it('answers 401 invalid_api_key to an unknown or missing key', async () => {
    const upstream = await startUpstream({ credentials: [{ id: 'first', secret: 'test-key-1' }] });
    for (const key of ['test-key-wrong', undefined]) {
      const response = await postChat(upstream, chatRequest(), key === undefined ? {} : { key });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: 'invalid_api_key', type: 'invalid_request_error' } });
    }
    const models = await fetch(`${upstream.url}/models`, { headers: { authorization: 'Bearer test-key-wrong' } });
    expect(models.status).toBe(401);
    await models.body?.cancel();
    expect((await postChat(upstream, chatRequest(), { key: 'test-key-1' })).status).toBe(200);
    expect(upstream.requests.map((request) => request.credentialId)).toEqual([undefined, undefined, undefined, 'first']);
  });

  it('consumes each credential’s script in order, the last behaviour repeating', async () => {
    const upstream = await startUpstream({
      credentials: [
        { id: 'first', secret: 'test-key-1', script: [faults.serverError(), faults.rateLimited(), replies.text('first ok')] },
        { id: 'second', secret: 'test-key-2', script: replies.text('second ok') },
        { id: 'third', secret: 'test-key-3' },
      ],
      defaultScript: replies.text('default ok'),
    });
    const statuses: number[] = [];
    for (let index = 0; index < 5; index += 1) {
      const response = await postChat(upstream, chatRequest(), { key: 'test-key-1' });
      statuses.push(response.status);
      await response.body?.cancel();
    }
    expect(statuses).toEqual([500, 429, 200, 200, 200]);
    expect(await contentOf(await postChat(upstream, chatRequest(), { key: 'test-key-2' }))).toBe('second ok');
    expect(await contentOf(await postChat(upstream, chatRequest(), { key: 'test-key-3' }))).toBe('default ok');
  });

  it('gives a function script the recorded request and the credential’s request number', async () => {
    const seen: [string | undefined, number][] = [];
    const script = (request: { credentialId?: string }, n: number): Behaviour => {
      seen.push([request.credentialId, n]);
      return replies.text(`answer ${n}`);
    };
    const upstream = await startUpstream({
      credentials: [
        { id: 'a', secret: 'test-key-1', script },
        { id: 'b', secret: 'test-key-2', script },
      ],
    });
    expect(await contentOf(await postChat(upstream, chatRequest(), { key: 'test-key-1' }))).toBe('answer 0');
    expect(await contentOf(await postChat(upstream, chatRequest(), { key: 'test-key-2' }))).toBe('answer 0');
    expect(await contentOf(await postChat(upstream, chatRequest(), { key: 'test-key-1' }))).toBe('answer 1');
    expect(seen).toEqual([
      ['a', 0],
      ['b', 0],
      ['a', 1],
    ]);
  });

  it('setScript replaces a script and restarts its counter; reset() restarts every counter', async () => {
    const upstream = await startUpstream({
      credentials: [{ id: 'a', secret: 'test-key-1', script: [faults.serverError(), replies.text('a ok')] }],
    });
    expect((await postChat(upstream, chatRequest(), { key: 'test-key-1' })).status).toBe(500);
    upstream.setScript('a', [replies.text('new first'), replies.text('new second')]);
    expect(await contentOf(await postChat(upstream, chatRequest(), { key: 'test-key-1' }))).toBe('new first');
    expect(await contentOf(await postChat(upstream, chatRequest(), { key: 'test-key-1' }))).toBe('new second');
    expect(upstream.requests).toHaveLength(3);
    upstream.reset();
    expect(upstream.requests).toHaveLength(0);
    expect(await contentOf(await postChat(upstream, chatRequest(), { key: 'test-key-1' }))).toBe('new first');
    expect(() => upstream.setScript('nobody', replies.text('x'))).toThrow(/unknown credential "nobody"/);
  });

  it('setScript("default") replaces the default script', async () => {
    const upstream = await startUpstream();
    upstream.setScript('default', faults.overloaded());
    expect((await postChat(upstream, chatRequest())).status).toBe(503);
  });

  it('adds rate-limit headers to 2xx answers only', async () => {
    const upstream = await startUpstream({
      credentials: [
        { id: 'a', secret: 'test-key-1', script: replies.text('ok') },
        { id: 'b', secret: 'test-key-2', script: faults.serverError() },
      ],
      rateLimitHeaders: (credentialId) => ({ 'x-ratelimit-remaining-requests': credentialId === 'a' ? '7' : '0' }),
    });
    const ok = await postChat(upstream, chatRequest({ stream: true }), { key: 'test-key-1' });
    expect(ok.headers.get('x-ratelimit-remaining-requests')).toBe('7');
    await ok.text();
    const failed = await postChat(upstream, chatRequest(), { key: 'test-key-2' });
    expect(failed.headers.get('x-ratelimit-remaining-requests')).toBeNull();
    await failed.text();
  });
});

describe('recording', () => {
  it('records method, path, lower-case headers, parsed body, credential and time', async () => {
    const upstream = await startUpstream({ credentials: [{ id: 'first', secret: 'test-key-1' }] });
    const before = Date.now();
    await (await postChat(upstream, chatRequest(), { key: 'test-key-1', headers: { 'X-Custom': 'Value' } })).text();
    const [request] = upstream.requests;
    expect(request).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      body: chatRequest(),
      credentialId: 'first',
      aborted: false,
    });
    expect(request!.headers['x-custom']).toBe('Value');
    expect(request!.headers.authorization).toBe('***');
    expect(request!.at).toBeGreaterThanOrEqual(before);
  });

  it('never stores a secret, wherever the client put it', async () => {
    const upstream = await startUpstream({
      credentials: [
        { id: 'first', secret: 'test-key-1' },
        { id: 'second', secret: 'test-key-2' },
      ],
    });
    const leaky = chatRequest({ messages: [{ role: 'user', content: 'my key is test-key-2' }] });
    await (await postChat(upstream, leaky, { key: 'test-key-1', headers: { 'x-api-key': 'test-key-2' } })).text();
    await (await postChat(upstream, chatRequest(), { key: 'test-key-unknown-secret', headers: { 'x-debug': 'test-key-unknown-secret' } })).text();
    await (
      await fetch(`${upstream.url}/models?key=test-key-query-secret`, {
        headers: { 'x-goog-api-key': 'test-key-goog-secret', authorization: 'Bearer test-key-2' },
      })
    ).text();
    expect(upstream.requests).toHaveLength(3);
    const recording = JSON.stringify(upstream.requests);
    for (const secret of ['test-key-1', 'test-key-2', 'test-key-unknown-secret', 'test-key-query-secret', 'test-key-goog-secret']) {
      expect(recording).not.toContain(secret);
    }
    expect(upstream.requests[2]!.path).toBe('/v1/models?key=***');
    expect(upstream.requests[0]!.body).toMatchObject({ messages: [{ content: 'my key is ***' }] });
  });

  it('sets aborted when the client aborts a stream, and not for finished answers', async () => {
    const long = replies.text(Array.from({ length: 200 }, (_, index) => `w${index}`).join(' '));
    const upstream = await startUpstream({ defaultScript: [replies.text('short answer'), long], chunkDelayMs: 5 });
    await (await postChat(upstream, chatRequest({ stream: true }))).text();
    const controller = new AbortController();
    const response = await postChat(upstream, chatRequest({ stream: true }), { signal: controller.signal });
    const reader = response.body!.getReader();
    await readUntil(reader, (text) => sseData(text).length >= 3);
    controller.abort();
    await upstream.waitForIdle();
    expect(upstream.requests.map((request) => request.aborted)).toEqual([false, true]);
  });

  it('waitForRequests resolves once enough requests arrived; close() rejects the waiting ones', async () => {
    const upstream = await startUpstream();
    const waiting = upstream.waitForRequests(2);
    await (await postChat(upstream, chatRequest())).text();
    await (await postChat(upstream, chatRequest())).text();
    expect(await waiting).toHaveLength(2);
    const never = expect(upstream.waitForRequests(5)).rejects.toThrow(/closed/);
    await upstream.close();
    await never;
  });
});

describe('robustness', () => {
  it('answers invalid JSON with a 400 error body and keeps serving', async () => {
    const upstream = await startUpstream();
    const response = await postChat(upstream, '{"model": "gpt-test", "messages": [');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    expect(upstream.requests[0]!.body).toBeUndefined();
    const empty = await fetch(`${upstream.url}/chat/completions`, { method: 'POST' });
    expect(empty.status).toBe(400);
    await empty.text();
    expect((await postChat(upstream, chatRequest())).status).toBe(200);
  });

  it('answers unknown routes with 404 Invalid URL', async () => {
    const upstream = await startUpstream();
    const response = await fetch(`${upstream.url}/embeddings`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { message: 'Invalid URL (POST /v1/embeddings)' } });
    const wrongMethod = await fetch(`${upstream.url}/chat/completions`);
    expect(wrongMethod.status).toBe(404);
    await wrongMethod.text();
  });

  it('answers 500 when a script throws or names an unknown behaviour, and keeps serving', async () => {
    const upstream = await startUpstream({
      defaultScript: [{ kind: 'explode' } as unknown as Behaviour, replies.text('fine')],
      credentials: [
        {
          id: 'thrower',
          secret: 'test-key-1',
          script: () => {
            throw new Error('script bug');
          },
        },
        { id: 'normal', secret: 'test-key-2' },
      ],
    });
    const thrown = await postChat(upstream, chatRequest(), { key: 'test-key-1' });
    expect(thrown.status).toBe(500);
    expect(((await thrown.json()) as { error: { message: string } }).error.message).toContain('script bug');
    const unknown = await postChat(upstream, chatRequest(), { key: 'test-key-2' });
    expect(unknown.status).toBe(500);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain('explode');
    expect(await contentOf(await postChat(upstream, chatRequest(), { key: 'test-key-2' }))).toBe('fine');
  });

  it('answers 413 to a body over the limit', async () => {
    const upstream = await startUpstream({ maxBodyBytes: 1000 });
    const response = await postChat(upstream, chatRequest({ padding: 'x'.repeat(5000) }));
    expect(response.status).toBe(413);
    await response.text();
  });
});

describe('models script', () => {
  it('is separate from the generation scripts', async () => {
    const upstream = await startUpstream({
      defaultScript: [replies.text('first'), replies.text('second')],
      modelsScript: [faults.serverError(), replies.text('')],
    });
    expect((await fetch(`${upstream.url}/models`)).status).toBe(500);
    const list = await fetch(`${upstream.url}/models`);
    expect(((await list.json()) as { object: string }).object).toBe('list');
    expect(await contentOf(await postChat(upstream, chatRequest()))).toBe('first');
  });
});

describe('close', () => {
  it('destroys kept-alive connections and leaves no open handle', async () => {
    const baseline = tcpResources();
    const upstream = await createMockUpstream({ dialect: 'openai', defaultScript: [replies.text('one'), faults.hang()] });
    expect(tcpResources().servers).toBe(baseline.servers + 1);
    const chunks = sseChunks(await (await postChat(upstream, chatRequest({ stream: true }))).text());
    expect(chunks.length).toBeGreaterThan(0);
    const hanging = postChat(upstream, chatRequest());
    await upstream.waitForRequests(2);
    expect(upstream.openConnections()).toBeGreaterThanOrEqual(1);
    await upstream.close();
    await expect(hanging).rejects.toThrow();
    expect(upstream.openConnections()).toBe(0);
    // The client's side of the sockets closes on its next turns.
    for (let turn = 0; turn < 50 && tcpResources().sockets > baseline.sockets; turn += 1) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    const after = tcpResources();
    expect(after.servers).toBe(baseline.servers);
    expect(after.sockets).toBeLessThanOrEqual(baseline.sockets);
    await upstream.close(); // idempotent
  });

  it('refuses new connections after close', async () => {
    const upstream = await startUpstream();
    await upstream.close();
    await expect(postChat(upstream, chatRequest())).rejects.toThrow();
  });
});
