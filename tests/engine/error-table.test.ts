// Every row of the error-code table (docs/error-handling.md), on a real loopback upstream: the code, whether it is retried or failed over,
// and whether the credential is penalised.
import type { KitError, KitErrorCode } from '@kit/core';
import { KeyManager } from '@kit/keymanager';
import { faults, replies, type Behaviour } from '@kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngineHarness } from './engine-harness';
import { fakeKeys, upstreams } from './helpers';

const servers = upstreams();
afterEach(() => servers.closeAll());

async function failingThenGood(fault: Behaviour, options: { stream?: boolean; timeoutMs?: number } = {}) {
  const upstream = await servers.start({
    dialect: 'openai',
    credentials: [
      { id: 'bad', secret: fakeKeys[0] as string, script: fault },
      { id: 'good', secret: fakeKeys[1] as string, script: replies.text('recovered') },
    ],
  });
  const keys = new KeyManager('openai', [
    { id: 'bad', key: fakeKeys[0] as string },
    { id: 'good', key: fakeKeys[1] as string },
  ]);
  const harness = createEngineHarness({ baseURL: upstream.url, credentials: keys, timeoutMs: options.timeoutMs ?? 5_000 });
  return { upstream, keys, harness };
}

async function outcome(run: () => Promise<{ final(): Promise<{ text: string; credentialId?: string }> }>) {
  try {
    const completion = await (await run()).final();
    return { completion, error: undefined };
  } catch (error) {
    return { completion: undefined, error: error as KitError };
  }
}

describe('credential faults fail over at once, without sleeping, and penalise the key', () => {
  const rows: [string, Behaviour, KitErrorCode][] = [
    ['401', faults.unauthorized(), 'authentication'],
    ['403', faults.forbidden(), 'permission'],
    ['429', faults.rateLimited({ retryAfterSeconds: 20 }), 'rate_limit'],
    ['429 insufficient_quota', faults.insufficientQuota(), 'quota_exceeded'],
    ['402', faults.paymentRequired(), 'quota_exceeded'],
  ];
  for (const [name, fault, code] of rows) {
    it(`${name} → ${code}`, async () => {
      const { harness, keys, upstream } = await failingThenGood(fault);
      const { completion } = await outcome(() => harness.generate({ prompt: 'hi' }));
      expect(completion?.text).toBe('recovered');
      expect(completion?.credentialId).toBe('good');
      expect(harness.sleeps).toEqual([]);
      expect(upstream.requests.map((request) => request.credentialId)).toEqual(['bad', 'good']);
      const bad = keys.getKeyHealth().find((key) => key.id === 'bad');
      expect(bad?.consecutiveFailures).toBe(1);
      expect(bad?.lastErrorCode).toBe(code);
      const failover = harness.events.find((event) => event.type === 'failover');
      expect(failover).toMatchObject({ from: 'bad', to: 'good', reason: code });
    });
  }

  it('a rate-limited key sleeps at least its Retry-After; a quota failure at least an hour', async () => {
    const rateLimited = await failingThenGood(faults.rateLimited({ retryAfterSeconds: 20 }));
    await rateLimited.harness.generate({ prompt: 'hi' }).then((stream) => stream.final());
    const limited = rateLimited.keys.getKeyHealth().find((key) => key.id === 'bad');
    expect((limited?.backoffUntil ?? 0) - Date.now()).toBeGreaterThan(19_000);

    const quota = await failingThenGood(faults.insufficientQuota());
    await quota.harness.generate({ prompt: 'hi' }).then((stream) => stream.final());
    const exhausted = quota.keys.getKeyHealth().find((key) => key.id === 'bad');
    expect((exhausted?.backoffUntil ?? 0) - Date.now()).toBeGreaterThan(3_590_000);
  });
});

describe('client faults fail fast: one request, no failover, nobody penalised', () => {
  const rows: [string, Behaviour, KitErrorCode][] = [
    ['400', faults.badRequest('temperature is too high'), 'invalid_request'],
    ['404', faults.notFound(), 'not_found'],
    ['400 context length', faults.contextLength(), 'context_length'],
    [
      '400 content filter',
      { kind: 'status', status: 400, body: { error: { message: 'flagged by the safety system', type: 'invalid_request_error', code: 'content_filter' } } },
      'content_filter',
    ],
  ];
  for (const [name, fault, code] of rows) {
    it(`${name} → ${code}`, async () => {
      const { harness, keys, upstream } = await failingThenGood(fault);
      const { error } = await outcome(() => harness.generate({ prompt: 'hi' }));
      expect(error?.code).toBe(code);
      expect(error?.retryable).toBe(false);
      expect(upstream.requests).toHaveLength(1);
      expect(harness.sleeps).toEqual([]);
      expect(keys.getKeyHealth().every((key) => key.consecutiveFailures === 0)).toBe(true);
    });
  }
});

describe('transient faults retry with backoff and count against the key', () => {
  const rows: [string, Behaviour, KitErrorCode][] = [
    ['500', faults.serverError(500), 'server_error'],
    ['502', faults.serverError(502), 'server_error'],
    ['503', faults.overloaded(), 'server_error'],
    ['529', { kind: 'status', status: 529, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } }, 'server_error'],
    ['504', { kind: 'status', status: 504, body: 'gateway timeout' }, 'timeout'],
    ['408', { kind: 'status', status: 408, body: '' }, 'timeout'],
    ['connection reset before any content', faults.resetMidStream(0), 'network'],
    ['malformed SSE', faults.malformed(), 'invalid_response'],
    ['in-stream error before any content', faults.errorMidStream(0, { type: 'server_error', message: 'The server had an error' }), 'server_error'],
  ];
  for (const [name, fault, code] of rows) {
    it(`${name} → ${code}, retried on a single key until it succeeds`, async () => {
      const upstream = await servers.start({ dialect: 'openai', defaultScript: [fault, replies.text('second time lucky')] });
      const harness = createEngineHarness({ baseURL: upstream.url });
      const completion = await (await harness.generate({ prompt: 'hi' })).final();
      expect(completion.text).toBe('second time lucky');
      expect(upstream.requests).toHaveLength(2);
      expect(harness.sleeps).toEqual([500]);
      const errors = harness.events.filter((event) => event.type === 'request-error');
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ error: { code }, willRetry: true });
    });
  }

  it('backs off 500 ms × 2ⁿ and gives up after maxRetries with the last error', async () => {
    const upstream = await servers.start({ dialect: 'openai', defaultScript: faults.serverError(500) });
    const harness = createEngineHarness({ baseURL: upstream.url, maxRetries: 3 });
    const { error } = await outcome(() => harness.generate({ prompt: 'hi' }));
    expect(error?.code).toBe('server_error');
    expect(harness.sleeps).toEqual([500, 1000, 2000]);
    expect(upstream.requests).toHaveLength(4);
  });

  it('honours retry-after-ms from the server', async () => {
    const upstream = await servers.start({
      dialect: 'openai',
      defaultScript: [{ kind: 'status', status: 503, headers: { 'retry-after-ms': '1234' } }, replies.text('ok')],
    });
    const harness = createEngineHarness({ baseURL: upstream.url });
    await (await harness.generate({ prompt: 'hi' })).final();
    expect(harness.sleeps).toEqual([1234]);
  });

  it('retries an invalid response only once', async () => {
    const upstream = await servers.start({ dialect: 'openai', defaultScript: faults.malformed() });
    const harness = createEngineHarness({ baseURL: upstream.url, maxRetries: 5 });
    const { error } = await outcome(() => harness.generate({ prompt: 'hi' }));
    expect(error?.code).toBe('invalid_response');
    expect(upstream.requests).toHaveLength(2);
  });

  it('a single key rate-limited waits Retry-After and tries again', async () => {
    const upstream = await servers.start({ dialect: 'openai', defaultScript: [faults.rateLimited({ retryAfterSeconds: 3 }), replies.text('ok')] });
    const harness = createEngineHarness({ baseURL: upstream.url });
    const completion = await (await harness.generate({ prompt: 'hi' })).final();
    expect(completion.text).toBe('ok');
    expect(harness.sleeps).toEqual([3000]);
  });

  it('a client timeout on a hung upstream is retried', async () => {
    const upstream = await servers.start({ dialect: 'openai', defaultScript: [faults.hang(), replies.text('ok')] });
    const harness = createEngineHarness({ baseURL: upstream.url, timeoutMs: 150 });
    const completion = await (await harness.generate({ prompt: 'hi', deadlineMs: 5_000 })).final();
    expect(completion.text).toBe('ok');
    expect(harness.events.find((event) => event.type === 'request-error')).toMatchObject({ error: { code: 'timeout' }, willRetry: true });
  });
});

describe('exhaustion, abort and bad configuration', () => {
  it('every key revoked → credentials_exhausted carrying the last cause, with no waiting and nothing to wait for', async () => {
    const upstream = await servers.start({
      dialect: 'openai',
      credentials: fakeKeys.slice(0, 3).map((secret, index) => ({ id: `k${index + 1}`, secret, script: faults.unauthorized() })),
    });
    const keys = new KeyManager('openai', fakeKeys.slice(0, 3));
    const harness = createEngineHarness({ baseURL: upstream.url, credentials: keys });
    const { error } = await outcome(() => harness.generate({ prompt: 'hi' }));
    expect(error?.code).toBe('credentials_exhausted');
    // Every key failed for good in this call: no key outside the call's exclusions recovers, so no wait is offered and
    // retrying the call later would fail the same way.
    expect(error?.retryAfterMs).toBeUndefined();
    expect(error?.retryable).toBe(false);
    expect((error!.cause as KitError).code).toBe('authentication');
    expect(upstream.requests).toHaveLength(3);
    expect(harness.sleeps).toEqual([]);
  });

  it('the whole-call deadline stops retries whose backoff would not fit', async () => {
    const upstream = await servers.start({ dialect: 'openai', defaultScript: [faults.hang(), replies.text('too late')] });
    const harness = createEngineHarness({ baseURL: upstream.url, timeoutMs: 100 });
    const { error } = await outcome(() => harness.generate({ prompt: 'hi' }));
    expect(error?.code).toBe('timeout');
    expect(upstream.requests).toHaveLength(1);
    expect(harness.sleeps).toEqual([]);
  });

  it('a single revoked key fails with authentication after one request', async () => {
    const upstream = await servers.start({ dialect: 'openai', defaultScript: faults.unauthorized() });
    const harness = createEngineHarness({ baseURL: upstream.url });
    const { error } = await outcome(() => harness.generate({ prompt: 'hi' }));
    expect(error?.code).toBe('authentication');
    expect(upstream.requests).toHaveLength(1);
  });

  it('the caller aborting stops at once, is never retried, and penalises nobody', async () => {
    const upstream = await servers.start({ dialect: 'openai', defaultScript: faults.hang() });
    const keys = new KeyManager('openai', fakeKeys.slice(0, 2));
    const harness = createEngineHarness({ baseURL: upstream.url, credentials: keys });
    const controller = new AbortController();
    const pending = harness.generate({ prompt: 'hi', signal: controller.signal });
    await upstream.waitForRequests(1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
    expect(upstream.requests).toHaveLength(1);
    expect(keys.getKeyHealth().every((key) => key.consecutiveFailures === 0)).toBe(true);
  });
});
