// The Worker as it ships: the esbuild bundle of src/worker.ts (built from the packages' dist/), run in workerd through
// miniflare and in @edge-runtime/vm, against a fake OpenAI upstream from @kit/testkit on loopback. The pool holds a
// revoked key: the first call fails over past it; the streamed text must arrive complete.
import { createMockUpstream, faults, replies, type MockUpstream } from '@kit/testkit';
import { EdgeVM } from '@edge-runtime/vm';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bundleWorker } from '../build.mjs';

const answer = 'Workers have no process.env, so the pool and the key come from env; every word of this arrives.';
const keys = { revoked: 'test-key-revoked-1', good: 'test-key-good-1' };

let upstream: MockUpstream;
let bundle: { module: string; script: string };

beforeAll(async () => {
  bundle = await bundleWorker();
  upstream = await createMockUpstream({
    dialect: 'openai',
    credentials: [
      { id: 'revoked', secret: keys.revoked, script: faults.unauthorized() },
      { id: 'good', secret: keys.good },
    ],
  });
});
beforeEach(() => {
  upstream.setScript('good', replies.text(answer));
  upstream.reset();
});
afterAll(async () => {
  await upstream?.close();
});

/** The Worker's env: the pool (revoked key first) and the loopback upstream as OPENAI_BASE_URL. */
const env = () => ({ OPENAI_API_KEYS: `${keys.revoked},${keys.good}`, OPENAI_BASE_URL: upstream.url });
const ask = (prompt: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt }) });

/**
 * A module that calls the Worker's handler and reads its Response body inside workerd, reporting the text that
 * arrived and how the body ended (`error`: the reason it errored with).
 */
const readerHarness = `
import worker from './worker.js';
export default {
  async fetch(request, env, ctx) {
    const response = await worker.fetch(request, env, ctx);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let text = '';
    try {
      for (let next = await reader.read(); !next.done; next = await reader.read()) text += decoder.decode(next.value, { stream: true });
      return Response.json({ status: response.status, text, error: null });
    } catch (error) {
      return Response.json({ status: response.status, text, error: { code: error.code, message: error.message } });
    }
  },
};
`;

/** Reads a streamed body chunk by chunk; resolves with the text and the number of chunks, or rejects if it broke. */
async function readStreamed(body: ReadableStream<Uint8Array> | null): Promise<{ text: string; chunks: number }> {
  const reader = (body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  let chunks = 0;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    chunks += 1;
    text += decoder.decode(next.value, { stream: true });
  }
  return { text: text + decoder.decode(), chunks };
}

it('bundles to one ES module with a default export and no Node built-in', () => {
  expect(bundle.module).toMatch(/export\s*\{[^}]*as default/);
  expect(bundle.module).not.toMatch(/from\s*"node:|require\("node:/);
});

describe('in workerd (miniflare)', () => {
  let worker: Miniflare;
  beforeAll(async () => {
    worker = new Miniflare({ modules: true, script: bundle.module, compatibilityDate: '2025-09-01', bindings: env() });
    await worker.ready;
  });
  afterAll(async () => {
    await worker?.dispose();
  });

  it('fails over past the revoked key and streams the whole answer; the next request goes straight to the good key', async () => {
    const response = await worker.dispatchFetch('http://worker.test/', ask('hello'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('x-credential-id')).toBe('key-2');
    const streamed = await readStreamed(response.body as ReadableStream<Uint8Array>);
    expect(streamed.text).toBe(answer);
    expect(upstream.requests.map((request) => request.credentialId)).toEqual(['revoked', 'good']);

    // The pool lives as long as the isolate: the revoked key is benched, so the second call sends one request.
    const again = await worker.dispatchFetch('http://worker.test/', ask('again'));
    expect(await again.text()).toBe(answer);
    expect(upstream.requests.map((request) => request.credentialId)).toEqual(['revoked', 'good', 'good']);
  });

  it('an upstream failure after the first words errors the body stream inside workerd, with the KitError', async () => {
    upstream.setScript('good', faults.errorMidStream(2, { type: 'server_error', message: 'The server had an error' }));
    // workerd's HTTP layer ends an errored body like a complete one (cloudflare/workerd#6818, open), so what a client
    // of workerd receives cannot show it. A harness module in the same isolate reads the Worker's Response instead.
    const harness = new Miniflare({
      modules: [
        { type: 'ESModule', path: 'harness.js', contents: readerHarness },
        { type: 'ESModule', path: 'worker.js', contents: bundle.module },
      ],
      compatibilityDate: '2025-09-01',
      bindings: env(),
    });
    try {
      const report = await (await harness.dispatchFetch('http://worker.test/', ask('hello'))).json();
      expect(report).toMatchObject({ status: 200, error: { code: 'server_error', message: expect.stringContaining('The server had an error') } });
      const { text } = report as { text: string };
      expect(text.length).toBeGreaterThan(0);
      expect(JSON.stringify(report)).not.toContain(keys.good);
    } finally {
      await harness.dispose();
    }
  });

  it('a pool rate-limited for longer than the 20 s deadline answers 503 with retry-after at once, without waiting', async () => {
    // It leaves this isolate's pool cooling: only tests that reach no upstream follow it in this block.
    upstream.setScript('good', faults.rateLimited({ retryAfterSeconds: 30 }));
    const response = await worker.dispatchFetch('http://worker.test/', ask('hello'));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('30');
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(['rate_limit', 'credentials_exhausted']).toContain(body.error.code);
    expect(JSON.stringify(body)).not.toContain(keys.good);
    expect(upstream.requests.filter((request) => request.credentialId === 'good')).toHaveLength(1);
  });

  it('answers a bad request with 400 and a KitError-shaped JSON body', async () => {
    const response = await worker.dispatchFetch('http://worker.test/', ask(42));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: 'invalid_request', message: 'prompt: must be a string' } });
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('in @edge-runtime/vm', () => {
  /** The Worker's script build evaluated in a fresh edge context; calls its handler there with that context's Request. */
  function edgeWorker() {
    const vm = new EdgeVM();
    vm.evaluate(bundle.script);
    return (init: ReturnType<typeof ask>) =>
      vm.evaluate<Promise<Response>>(`worker.default.fetch(new Request('http://worker.test/', ${JSON.stringify(init)}), ${JSON.stringify(env())})`);
  }

  it('fails over past the revoked key and streams the whole answer', async () => {
    const fetchWorker = edgeWorker();
    const response = await fetchWorker(ask('hello'));
    expect(response.status).toBe(200);
    expect(response.headers.get('x-credential-id')).toBe('key-2');
    const streamed = await readStreamed(response.body as ReadableStream<Uint8Array>);
    expect(streamed.text).toBe(answer);
    expect(streamed.chunks).toBeGreaterThan(1);
    expect(upstream.requests.map((request) => request.credentialId)).toEqual(['revoked', 'good']);
  });

  it('an upstream failure after the first words errors the body with the KitError', async () => {
    upstream.setScript('good', faults.errorMidStream(2, { type: 'server_error', message: 'The server had an error' }));
    const response = await edgeWorker()(ask('hello'));
    await expect(readStreamed(response.body as ReadableStream<Uint8Array>)).rejects.toMatchObject({ code: 'server_error' });
  });
});
