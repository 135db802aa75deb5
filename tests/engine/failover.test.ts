// The engine through the public API (createOpenAI over a KeyManager pool) on real loopback upstreams.
import { KitError, type KitEvent } from '@kit/core';
import { KeyManager } from '@kit/keymanager';
import { createOpenAI } from '@kit/openai';
import { faults, replies } from '@kit/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEngineHarness } from './engine-harness';
import { eventLog, expectNoSecrets, fakeKeys, upstreams } from './helpers';

const servers = upstreams();
afterEach(async () => {
  vi.useRealTimers();
  await servers.closeAll();
});

function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
}

describe('a pool where most keys are broken', () => {
  it('5 keys, 4 failing in different ways (401, 429, 500, hang): every request is answered', async () => {
    const [revoked, limited, broken, hung, good] = fakeKeys as [string, string, string, string, string];
    const upstream = await servers.start({
      dialect: 'openai',
      credentials: [
        { id: 'revoked', secret: revoked, script: faults.unauthorized() },
        { id: 'limited', secret: limited, script: faults.rateLimited({ retryAfterSeconds: 30 }) },
        { id: 'broken', secret: broken, script: faults.serverError(500) },
        { id: 'hung', secret: hung, script: faults.hang() },
        { id: 'good', secret: good, script: replies.text('answered') },
      ],
    });
    const keys = new KeyManager('openai', [
      { id: 'revoked', key: revoked },
      { id: 'limited', key: limited },
      { id: 'broken', key: broken },
      { id: 'hung', key: hung },
      { id: 'good', key: good },
    ]);
    const harness = createEngineHarness({ baseURL: upstream.url, credentials: keys, timeoutMs: 200 });
    for (let request = 0; request < 10; request += 1) {
      const completion = await (await harness.generate({ prompt: `request ${request}`, deadlineMs: 10_000 })).final();
      expect(completion.text).toBe('answered');
      expect(completion.credentialId).toBe('good');
    }
    // Each broken key was tried once (then it sleeps); the good key answered all ten. The credential faults moved
    // on at once; the 500 and the hang each spent a retry and its backoff (the default budget of 2).
    const perKey = Object.fromEntries(keys.getKeyHealth().map((key) => [key.id, key.requests]));
    expect(perKey).toEqual({ revoked: 1, limited: 1, broken: 1, hung: 1, good: 10 });
    expect(harness.sleeps).toEqual([500, 1000]);
  });

  it('an outage (every key answers 500) is retried with backoff up to maxRetries, each retry on the next key', async () => {
    const upstream = await servers.start({ dialect: 'openai', defaultScript: faults.serverError(500) });
    const keys = new KeyManager('openai', fakeKeys.slice(0, 5));
    const harness = createEngineHarness({ baseURL: upstream.url, credentials: keys, maxRetries: 2 });
    await expect(harness.generate({ prompt: 'hi' })).rejects.toMatchObject({ code: 'server_error' });
    expect(harness.sleeps).toEqual([500, 1000]);
    expect(keys.getKeyHealth().map((key) => key.requests)).toEqual([1, 1, 1, 0, 0]);
  });

  // These two wait for a key's own backoff: the clock and timers are faked (the sockets are real), and the test
  // moves time forward only while the engine is waiting.
  it('a new call waits for a pool whose only key is cooling down after a transient error', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    const upstream = await servers.start({ dialect: 'openai', defaultScript: [faults.serverError(500), replies.text('back')] });
    const keys = new KeyManager('openai', fakeKeys.slice(0, 1), { now: () => Date.now() });
    const first = createOpenAI({ credentials: keys, baseURL: upstream.url, maxRetries: 0 });
    await expect(first.complete({ prompt: 'first' })).rejects.toMatchObject({ code: 'server_error' });
    const second = createOpenAI({ credentials: keys, baseURL: upstream.url, maxRetries: 1 });
    const pending = second.complete({ prompt: 'second' });
    await vi.advanceTimersByTimeAsync(999);
    expect(upstream.requests).toHaveLength(1); // still waiting for the key's 1 s backoff
    await vi.advanceTimersByTimeAsync(1);
    expect((await pending).text).toBe('back');
    expect(upstream.requests).toHaveLength(2);
  });

  it('a revoked key is never handed back within a call while a good key recovers', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    const upstream = await servers.start({
      dialect: 'openai',
      credentials: [
        { id: 'k1', secret: fakeKeys[0] as string, script: faults.unauthorized() },
        { id: 'k2', secret: fakeKeys[1] as string, script: [faults.serverError(500), replies.text('recovered')] },
      ],
    });
    const keys = new KeyManager('openai', fakeKeys.slice(0, 2), { now: () => Date.now() });
    const openai = createOpenAI({ credentials: keys, baseURL: upstream.url });
    const pending = openai.complete({ prompt: 'hi' });
    // k2's 1 s backoff (the retry's 500 ms wait is part of it), moved in steps as the engine gets to each wait
    for (let waited = 0; upstream.requests.length < 3 && waited < 5_000; waited += 100) await vi.advanceTimersByTimeAsync(100);
    expect((await pending).text).toBe('recovered');
    expect(upstream.requests.map((request) => request.credentialId)).toEqual(['k1', 'k2', 'k2']);
  });

  it('a one-key pool fails with the same error as a single apiKey', async () => {
    const upstream = await servers.start({ dialect: 'openai', defaultScript: faults.unauthorized() });
    const pooled = createEngineHarness({ baseURL: upstream.url, credentials: new KeyManager('openai', fakeKeys.slice(0, 1)) });
    await expect(pooled.generate({ prompt: 'hi' })).rejects.toMatchObject({ code: 'authentication' });
    const single = createEngineHarness({ baseURL: upstream.url });
    await expect(single.generate({ prompt: 'hi' })).rejects.toMatchObject({ code: 'authentication' });
  });
});

describe('streams', () => {
  it('fail over before the first content event (reset, in-stream error) but not after it', async () => {
    const upstream = await servers.start({
      dialect: 'openai',
      credentials: [
        { id: 'k1', secret: fakeKeys[0] as string, script: faults.errorMidStream(0, { type: 'server_error', message: 'overloaded' }) },
        { id: 'k2', secret: fakeKeys[1] as string, script: faults.resetMidStream(0) },
        { id: 'k3', secret: fakeKeys[2] as string, script: replies.text('from the third key') },
      ],
    });
    const keys = new KeyManager('openai', fakeKeys.slice(0, 3));
    const log = eventLog();
    const openai = createOpenAI({ credentials: keys, baseURL: upstream.url, onEvent: log.onEvent });
    const stream = await openai.generateChatCompletion({ prompt: 'hi' });
    expect((await stream.final()).text).toBe('from the third key');
    expect(log.ofType('failover').map((event) => [event.from, event.to])).toEqual([
      ['key-1', 'key-2'],
      ['key-2', 'key-3'],
    ]);
  });

  it('a stream that fails after its first content throws from the iterator, keeps its partial text, and does not fail over', async () => {
    const upstream = await servers.start({
      dialect: 'openai',
      credentials: [
        { id: 'k1', secret: fakeKeys[0] as string, script: { kind: 'reset-mid-stream', afterChunks: 3, text: 'one two three four five six' } },
        { id: 'k2', secret: fakeKeys[1] as string, script: replies.text('should never be asked') },
      ],
    });
    const keys = new KeyManager('openai', fakeKeys.slice(0, 2));
    const openai = createOpenAI({ credentials: keys, baseURL: upstream.url });
    const stream = await openai.generateChatCompletion({ prompt: 'hi' });
    let partial = '';
    let thrown: unknown;
    try {
      for await (const event of stream) if (event.type === 'text-delta') partial += event.text;
    } catch (error) {
      thrown = error;
    }
    expect(KitError.is(thrown) && thrown.code).toBe('network');
    expect(partial.length).toBeGreaterThan(0);
    expect('one two three four five six'.startsWith(partial.trim())).toBe(true);
    expect(upstream.requests.map((request) => request.credentialId)).toEqual(['k1']);
    expect(keys.getKeyHealth()[0]?.consecutiveFailures).toBe(1);
  });

  it('an idle stream times out between chunks, after content, without failing over', async () => {
    const upstream = await servers.start({ dialect: 'openai', defaultScript: faults.stallMidStream(2) });
    const openai = createOpenAI({ apiKey: fakeKeys[0], baseURL: upstream.url, timeoutMs: 150 });
    const stream = await openai.generateChatCompletion({ prompt: 'hi' });
    await expect(stream.final()).rejects.toMatchObject({ code: 'timeout' });
    expect(upstream.requests).toHaveLength(1);
  });

  it('a slow consumer is not an idle upstream: the timeout counts only time spent waiting for bytes', async () => {
    const upstream = await servers.start({ dialect: 'openai', defaultScript: replies.text('a b c d', { chunks: 4 }) });
    const openai = createOpenAI({ apiKey: fakeKeys[0], baseURL: upstream.url, timeoutMs: 100 });
    const stream = await openai.generateChatCompletion({ prompt: 'hi' });
    let text = '';
    for await (const event of stream) {
      if (event.type === 'text-delta') text += event.text;
      await new Promise((resolve) => setTimeout(resolve, 130));
    }
    expect(text.replace(/\s+/g, '')).toBe('abcd');
  });

  it('aborting mid-stream closes the socket and leaves no timer behind', async () => {
    const upstream = await servers.start({ dialect: 'openai', chunkDelayMs: 20, defaultScript: replies.text('word '.repeat(200).trim()) });
    const openai = createOpenAI({ apiKey: fakeKeys[0], baseURL: upstream.url });
    const timersBefore = activeTimers();
    const controller = new AbortController();
    const stream = await openai.generateChatCompletion({ prompt: 'hi', signal: controller.signal });
    let deltas = 0;
    await expect(
      (async () => {
        for await (const event of stream) {
          if (event.type === 'text-delta' && ++deltas === 3) controller.abort();
        }
      })(),
    ).rejects.toMatchObject({ code: 'aborted' });
    await upstream.waitForIdle();
    expect(upstream.requests[0]?.aborted).toBe(true);
    expect(activeTimers()).toBeLessThanOrEqual(timersBefore); // timers of earlier tests may still end meanwhile
    // The caller's abort is nobody's failure: the attempt ends without counting as an error.
    const metrics = openai.getMetrics();
    expect(metrics).toMatchObject({ requestCount: 1, successCount: 0, errorCount: 0 });
  });

  it('stream.abort() ends the stream the same way', async () => {
    const upstream = await servers.start({ dialect: 'openai', chunkDelayMs: 20, defaultScript: replies.text('word '.repeat(100).trim()) });
    const openai = createOpenAI({ apiKey: fakeKeys[0], baseURL: upstream.url });
    const timersBefore = activeTimers();
    const stream = await openai.generateChatCompletion({ prompt: 'hi' });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next();
    stream.abort();
    await upstream.waitForIdle();
    expect(upstream.requests[0]?.aborted).toBe(true);
    expect(activeTimers()).toBeLessThanOrEqual(timersBefore); // timers of earlier tests may still end meanwhile
  });
});

describe('secrets', () => {
  it('no secret appears in any error, event, metrics snapshot or recorded request after a fault run', async () => {
    const secrets = fakeKeys.slice(0, 5);
    const upstream = await servers.start({
      dialect: 'openai',
      credentials: [
        {
          id: 'a',
          secret: secrets[0] as string,
          script: { kind: 'status', status: 401, body: { error: { message: `Incorrect API key provided: ${secrets[0]}`, code: 'invalid_api_key' } } },
        },
        { id: 'b', secret: secrets[1] as string, script: faults.rateLimited({ retryAfterSeconds: 1 }) },
        { id: 'c', secret: secrets[2] as string, script: faults.resetMidStream(1) },
        { id: 'd', secret: secrets[3] as string, script: faults.malformed() },
        { id: 'e', secret: secrets[4] as string, script: [faults.serverError(500), replies.text('fine')] },
      ],
    });
    const keyEvents: KitEvent[] = [];
    const keys = new KeyManager('openai', secrets, { onEvent: (event) => keyEvents.push(event) });
    const log = eventLog();
    const openai = createOpenAI({ credentials: keys, baseURL: upstream.url, onEvent: log.onEvent, maxRetries: 1 });
    const errors: unknown[] = [];
    for (let call = 0; call < 6; call += 1) {
      try {
        await openai.complete({ prompt: 'hi', stream: call % 2 === 0 });
      } catch (error) {
        errors.push(error, (error as Error).stack, String(error));
      }
    }
    const { inspect } = await import('node:util');
    expectNoSecrets(
      [
        ...errors,
        ...errors.map((error) => inspect(error, { depth: 8 })),
        log.events,
        keyEvents,
        openai.getMetrics(),
        keys.getKeyHealth(),
        keys.getStatus(),
        openai.getConfig(),
        upstream.requests,
      ],
      secrets,
    );
    expect(log.events.length).toBeGreaterThan(5);
  });
});

describe('call-level failures are reported', () => {
  it('a call that ends in credentials_exhausted, and one that fails before any attempt, each emit call-error', async () => {
    // Both keys are rate limited for two minutes: longer than the call's deadline, so nothing waits.
    const upstream = await servers.start({ dialect: 'openai', defaultScript: faults.rateLimited({ retryAfterSeconds: 120 }) });
    const log = eventLog();
    const keys = new KeyManager('openai', fakeKeys.slice(0, 2));
    const openai = createOpenAI({ credentials: keys, baseURL: upstream.url, onEvent: log.onEvent, timeoutMs: 5_000 });
    await expect(openai.complete({ prompt: 'hi' })).rejects.toMatchObject({ code: 'credentials_exhausted' });
    await expect(openai.complete({ prompt: 'again' })).rejects.toMatchObject({ code: 'credentials_exhausted' });
    const calls = log.ofType('call-error');
    expect(calls.map((event) => [event.error.code, event.attempts])).toEqual([
      ['credentials_exhausted', 2],
      ['credentials_exhausted', 0], // both keys still cooling down: no attempt was made
    ]);
    expect(upstream.requests).toHaveLength(2);
  });

  it('a stream that breaks after its first content ends the call: call-error, once; a caller abort does not', async () => {
    const upstream = await servers.start({ dialect: 'openai', defaultScript: { kind: 'reset-mid-stream', afterChunks: 2, text: 'one two three four' } });
    const log = eventLog();
    const openai = createOpenAI({ apiKey: fakeKeys[0], baseURL: upstream.url, onEvent: log.onEvent });
    await expect((await openai.generateChatCompletion({ prompt: 'hi' })).final()).rejects.toMatchObject({ code: 'network' });
    expect(log.ofType('call-error').map((event) => [event.error.code, event.attempts])).toEqual([['network', 1]]);

    upstream.setScript('default', replies.text('word '.repeat(50).trim()));
    const stream = await openai.generateChatCompletion({ prompt: 'hi' });
    stream.abort();
    expect(log.ofType('call-error')).toHaveLength(1);
  });
});

describe('secrets echoed inside a stream', () => {
  it('an in-stream error that quotes the key is masked before anyone sees it', async () => {
    const key = `csk-${'x1y2z3'.repeat(4)}`; // Cerebras-shaped, built at run time
    const upstream = await servers.start({
      dialect: 'openai',
      credentials: [{ id: 'k', secret: key, script: faults.errorMidStream(1, { type: 'invalid_request_error', message: `key ${key} is not allowed here` }) }],
    });
    const log = eventLog();
    const openai = createOpenAI({ apiKey: key, baseURL: upstream.url, onEvent: log.onEvent, maxRetries: 0 });
    const stream = await openai.generateChatCompletion({ prompt: 'hi' });
    const error = await stream.final().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(KitError.is(error)).toBe(true);
    const { inspect } = await import('node:util');
    expectNoSecrets([error, inspect(error), String(error), log.events, openai.getMetrics()], [key]);
  });

  it('the request id of a successful answer reaches the success event', async () => {
    const upstream = await servers.start({ dialect: 'openai', defaultScript: replies.text('ok') });
    const log = eventLog();
    const openai = createOpenAI({ apiKey: fakeKeys[0], baseURL: upstream.url, onEvent: log.onEvent });
    await openai.complete({ prompt: 'hi' });
    expect(log.ofType('request-success')[0]?.requestId).toMatch(/./);
  });
});

describe('provider metrics', () => {
  it('count attempts, successes, errors and tokens', async () => {
    const upstream = await servers.start({
      dialect: 'openai',
      defaultScript: [faults.unauthorized(), replies.text('hello there', { usage: { inputTokens: 7, outputTokens: 2 } })],
    });
    const openai = createOpenAI({ credentials: new KeyManager('openai', fakeKeys.slice(0, 2)), baseURL: upstream.url });
    await openai.complete({ prompt: 'hi' });
    const metrics = openai.getMetrics();
    expect(metrics).toMatchObject({ requestCount: 2, successCount: 1, errorCount: 1, lastError: { code: 'authentication', status: 401 } });
    expect(metrics.tokens).toMatchObject({ inputTokens: 7, outputTokens: 2, totalTokens: 9 });
    expect(metrics.averageLatencyMs).toBeGreaterThanOrEqual(0);
  });
});

describe('aborting while the engine waits', () => {
  it('an abort during a retry backoff ends the call at once with aborted', async () => {
    const upstream = await servers.start({ dialect: 'openai', defaultScript: faults.serverError(500) });
    const openai = createOpenAI({ apiKey: fakeKeys[0], baseURL: upstream.url });
    const controller = new AbortController();
    const pending = openai.complete({ prompt: 'hi', signal: controller.signal });
    await upstream.waitForRequests(1);
    await upstream.waitForIdle(); // the 500 was answered: the engine is now in its 500 ms backoff
    const abortedAt = Date.now();
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
    expect(Date.now() - abortedAt).toBeLessThan(250);
    expect(upstream.requests).toHaveLength(1);
  });
});
