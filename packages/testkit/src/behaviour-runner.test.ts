import { describe, expect, it } from 'vitest';
import { faults, replies, type Behaviour } from './upstream-script';
import { chatRequest, type OpenAIChunk, postChat, readUntil, readUntilEndOrError, sseChunks, sseData, startUpstream, stateAfter } from './test-helpers';

type ErrorBody = { error: { message: string; type: string; param: string | null; code: string | null } };

async function errorAnswer(behaviour: Behaviour, stream = false): Promise<{ status: number; headers: Headers; body: ErrorBody }> {
  const upstream = await startUpstream({ defaultScript: behaviour });
  const response = await postChat(upstream, chatRequest({ stream }));
  return { status: response.status, headers: response.headers, body: (await response.json()) as ErrorBody };
}

describe('HTTP error faults (OpenAI bodies)', () => {
  it('unauthorized: 401 invalid_api_key', async () => {
    const { status, body } = await errorAnswer(faults.unauthorized());
    expect(status).toBe(401);
    expect(body).toEqual({
      error: { message: 'Incorrect API key provided: ***', type: 'invalid_request_error', param: null, code: 'invalid_api_key' },
    });
  });

  it('forbidden: 403', async () => {
    const { status, body } = await errorAnswer(faults.forbidden());
    expect(status).toBe(403);
    expect(body.error).toMatchObject({ type: 'request_forbidden', code: 'unsupported_country_region_territory' });
  });

  it('rateLimited: 429 rate_limit_exceeded with retry headers', async () => {
    const { status, headers, body } = await errorAnswer(faults.rateLimited({ retryAfterSeconds: 3, retryAfterMs: 2500 }), true);
    expect(status).toBe(429);
    expect(headers.get('retry-after')).toBe('3');
    expect(headers.get('retry-after-ms')).toBe('2500');
    expect(headers.get('content-type')).toBe('application/json');
    expect(body.error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded' });
    expect(body.error.message).toContain('Rate limit reached for gpt-test');
    expect(body.error.message).toContain('try again in 2.5s');
  });

  it('rateLimited without hints sends no retry headers', async () => {
    const { headers } = await errorAnswer(faults.rateLimited());
    expect(headers.get('retry-after')).toBeNull();
    expect(headers.get('retry-after-ms')).toBeNull();
  });

  it('insufficientQuota: 429 insufficient_quota', async () => {
    const { status, body } = await errorAnswer(faults.insufficientQuota());
    expect(status).toBe(429);
    expect(body.error).toMatchObject({ type: 'insufficient_quota', code: 'insufficient_quota' });
    expect(body.error.message).toMatch(/exceeded your current quota/);
  });

  it('paymentRequired: 402', async () => {
    const { status, body } = await errorAnswer(faults.paymentRequired());
    expect(status).toBe(402);
    expect(body.error.message).toMatch(/credit balance/);
  });

  it('serverError: 500 by default, any status when asked', async () => {
    const first = await errorAnswer(faults.serverError());
    expect(first.status).toBe(500);
    expect(first.body.error).toMatchObject({ type: 'server_error', code: null });
    expect((await errorAnswer(faults.serverError(502))).status).toBe(502);
  });

  it('overloaded: 503', async () => {
    const { status, body } = await errorAnswer(faults.overloaded());
    expect(status).toBe(503);
    expect(body.error.message).toMatch(/overloaded/);
  });

  it('badRequest: 400 invalid_request_error with the given message', async () => {
    const { status, body } = await errorAnswer(faults.badRequest("Invalid value for 'temperature'"));
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ type: 'invalid_request_error', message: "Invalid value for 'temperature'" });
  });

  it('contextLength: 400 context_length_exceeded', async () => {
    const { status, body } = await errorAnswer(faults.contextLength());
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ type: 'invalid_request_error', code: 'context_length_exceeded', param: 'messages' });
  });

  it('notFound: 404 model_not_found naming the model', async () => {
    const { status, body } = await errorAnswer(faults.notFound());
    expect(status).toBe(404);
    expect(body.error.code).toBe('model_not_found');
    expect(body.error.message).toContain('gpt-test');
  });

  it('status: any code gets a dialect error body, or the scripted body and headers', async () => {
    const generic = await errorAnswer({ kind: 'status', status: 418 });
    expect(generic.status).toBe(418);
    expect(generic.body.error.type).toBe('invalid_request_error');
    const gateway = await errorAnswer({ kind: 'status', status: 504 });
    expect(gateway.body.error.message).toMatch(/timed out/);

    const upstream = await startUpstream({
      defaultScript: { kind: 'status', status: 500, body: { custom: true }, headers: { 'x-extra': 'yes' } },
    });
    const response = await postChat(upstream, chatRequest());
    expect(response.status).toBe(500);
    expect(response.headers.get('x-extra')).toBe('yes');
    expect(await response.json()).toEqual({ custom: true });
  });
});

describe('raw', () => {
  it('sends exactly the scripted status, headers and body', async () => {
    const upstream = await startUpstream({
      defaultScript: faults.raw('<html>bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }),
    });
    const response = await postChat(upstream, chatRequest());
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(await response.text()).toBe('<html>bad gateway</html>');
  });
});

describe('slow-first-byte', () => {
  it('sends nothing, not even headers, until the delay has passed', async () => {
    const upstream = await startUpstream({ defaultScript: faults.slowFirstByte(150, replies.text('late')) });
    const started = Date.now();
    const answer = postChat(upstream, chatRequest({ stream: true }));
    expect(await stateAfter(answer, 50)).toBe('pending');
    const response = await answer;
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(sseChunks(await response.text())[1]?.choices[0]?.delta.content).toBe('late');
  });

  it('works for non-streaming requests and faults too', async () => {
    const upstream = await startUpstream({ defaultScript: faults.slowFirstByte(20, faults.serverError()) });
    expect((await postChat(upstream, chatRequest())).status).toBe(500);
  });
});

describe('hang', () => {
  it('never answers; close() ends the request', async () => {
    const upstream = await startUpstream({ defaultScript: faults.hang() });
    const answer = postChat(upstream, chatRequest({ stream: true }));
    await upstream.waitForRequests(1);
    expect(await stateAfter(answer, 50)).toBe('pending');
    await upstream.close();
    await expect(answer).rejects.toThrow();
    expect(upstream.openConnections()).toBe(0);
    expect(upstream.requests[0]?.aborted).toBe(false);
  });

  it('ends when the client aborts, and records the abort', async () => {
    const upstream = await startUpstream({ defaultScript: faults.hang() });
    const controller = new AbortController();
    const answer = postChat(upstream, chatRequest(), { signal: controller.signal });
    await upstream.waitForRequests(1);
    controller.abort();
    await expect(answer).rejects.toThrow();
    await upstream.waitForIdle();
    expect(upstream.requests[0]?.aborted).toBe(true);
  });
});

describe('reset-mid-stream', () => {
  it('sends N content chunks, then the body read fails', async () => {
    const upstream = await startUpstream({ defaultScript: faults.resetMidStream(2, 'alpha beta gamma delta') });
    const response = await postChat(upstream, chatRequest({ stream: true }));
    expect(response.status).toBe(200);
    const { text, error } = await readUntilEndOrError(response);
    expect(error).toBeDefined();
    const chunks = sseData(text).map((data) => JSON.parse(data) as { choices: { delta: { content?: string } }[] });
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content)).toEqual(['', 'alpha ', 'beta ']);
    expect(upstream.requests[0]?.aborted).toBe(false);
  });

  it('makes response.text() reject for streams and for JSON answers', async () => {
    const upstream = await startUpstream({ defaultScript: faults.resetMidStream(1) });
    await expect((await postChat(upstream, chatRequest({ stream: true }))).text()).rejects.toThrow();
    const json = await postChat(upstream, chatRequest());
    expect(json.status).toBe(200);
    await expect(json.json()).rejects.toThrow();
  });
});

describe('malformed-sse', () => {
  it('sends a data line that is not JSON after N chunks', async () => {
    const upstream = await startUpstream({ defaultScript: faults.malformed(1) });
    const response = await postChat(upstream, chatRequest({ stream: true }));
    const data = sseData(await response.text());
    expect(data).toHaveLength(4); // role, 1 content, malformed, [DONE]
    expect(() => JSON.parse(data[1]!)).not.toThrow();
    expect(() => JSON.parse(data[2]!)).toThrow(SyntaxError);
    expect(data[3]).toBe('[DONE]');
  });

  it('sends an invalid JSON body to a non-streaming request', async () => {
    const upstream = await startUpstream({ defaultScript: faults.malformed() });
    const response = await postChat(upstream, chatRequest());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    await expect(response.json()).rejects.toThrow(SyntaxError);
  });
});

describe('error-mid-stream', () => {
  it('sends N chunks then a data: {"error":…} event and ends the stream', async () => {
    const error = { type: 'server_error', message: 'Upstream model crashed', code: 'internal_error' };
    const upstream = await startUpstream({ defaultScript: faults.errorMidStream(2, error) });
    const response = await postChat(upstream, chatRequest({ stream: true }));
    const data = sseData(await response.text()).map((payload): unknown => JSON.parse(payload));
    expect(data).toHaveLength(4);
    expect((data.slice(1, 3) as OpenAIChunk[]).every((chunk) => typeof chunk.choices[0]!.delta.content === 'string')).toBe(true);
    expect(data[3]).toEqual({ error: { message: 'Upstream model crashed', type: 'server_error', param: null, code: 'internal_error' } });
  });

  it('uses a server_error by default, and answers a non-streaming request with the error object', async () => {
    const upstream = await startUpstream({ defaultScript: faults.errorMidStream(0) });
    const streamed = sseData(await (await postChat(upstream, chatRequest({ stream: true }))).text());
    expect(JSON.parse(streamed.at(-1)!)).toMatchObject({ error: { type: 'server_error' } });
    const response = await postChat(upstream, chatRequest());
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ error: { type: 'server_error' } });
  });
});

describe('stall-mid-stream', () => {
  it('sends N chunks then goes silent without closing', async () => {
    const upstream = await startUpstream({ defaultScript: faults.stallMidStream(2) });
    const controller = new AbortController();
    const response = await postChat(upstream, chatRequest({ stream: true }), { signal: controller.signal });
    const reader = response.body!.getReader();
    const text = await readUntil(reader, (received) => sseData(received).length === 3);
    expect(sseData(text)).toHaveLength(3);
    expect(await stateAfter(reader.read(), 80)).toBe('pending');
    controller.abort();
    await upstream.waitForIdle();
    expect(upstream.requests[0]?.aborted).toBe(true);
  });

  it('sends half a JSON body and goes silent for non-streaming requests', async () => {
    const upstream = await startUpstream({ defaultScript: faults.stallMidStream(0) });
    const response = await postChat(upstream, chatRequest());
    expect(response.status).toBe(200);
    const body = response.text();
    expect(await stateAfter(body, 80)).toBe('pending');
    await upstream.close();
    await expect(body).rejects.toThrow();
  });
});
