import { describe, expect, it } from 'vitest';
import { credentialFetch } from './credential-fetch';
import type { AcquireOptions, CredentialLease, CredentialSource } from './credential-source';
import { policyOf } from './error-codes';
import type { KitEvent } from './kit-event';
import { KitError } from './kit-error';

const secretOf = (id: string) => `test-secret-${id}-0123456789`;

/**
 * A small pool: hands out its ids in order, skips excluded ones and those cooling after a credential fault, and
 * records every report. `refreshes` maps an id to the secret it gets from `onUnauthorized`.
 */
function fakePool(ids: string[], options: { refreshes?: Record<string, string>; exhaustedRetryAfterMs?: number } = {}) {
  const secrets = new Map(ids.map((id) => [id, secretOf(id)]));
  const cooling = new Set<string>();
  const reports: unknown[] = [];
  let sequence = 0;
  const source: CredentialSource = {
    async acquire({ exclude, id, signal }: AcquireOptions): Promise<CredentialLease> {
      if (signal?.aborted) throw new KitError('aborted', 'aborted');
      const free = ids.filter((candidate) => !exclude?.has(candidate) && !cooling.has(candidate));
      const chosen = id !== undefined && free.includes(id) ? id : free[0];
      if (chosen === undefined) {
        throw new KitError('credentials_exhausted', 'FakePool: no key available', {
          ...(options.exhaustedRetryAfterMs === undefined ? {} : { retryAfterMs: options.exhaustedRetryAfterMs }),
        });
      }
      sequence += 1;
      return { id: chosen, secret: secrets.get(chosen) as string, kind: 'api-key', sequence };
    },
    reportSuccess: (id, info) => reports.push(['success', id, info?.sequence, info?.latencyMs]),
    reportFailure: (id, error, info) => {
      reports.push(['failure', id, error.code, info?.sequence]);
      if (policyOf(error.code).switchesCredential) cooling.add(id);
    },
    reportRateLimit: (id, info) => reports.push(['rate-limit', id, info.requestsRemaining]),
  };
  if (options.refreshes) {
    const refreshes = options.refreshes;
    source.onUnauthorized = async (id, rejected) => {
      reports.push(['refresh', id, rejected?.secret === secrets.get(id)]);
      const next = refreshes[id];
      if (next === undefined) return false;
      secrets.set(id, next);
      return true;
    };
  }
  return { source, reports };
}

type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

/** An inner fetch that answers by the credential a request carries, and records what it was sent. */
function fakeUpstream(answers: Record<string, Answer | ((attempt: number) => Answer)>, header = 'authorization') {
  const seen: { credential: string | null; body: string; headers: Record<string, string> }[] = [];
  const counts = new Map<string, number>();
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const credential = request.headers.get(header);
    seen.push({ credential, body: await request.text(), headers: Object.fromEntries(request.headers) });
    const key = (credential ?? '').replace(/^Bearer /, '');
    const count = (counts.get(key) ?? 0) + 1;
    counts.set(key, count);
    const entry = answers[key] ?? { status: 401, body: { error: { message: 'Incorrect API key provided', code: 'invalid_api_key' } } };
    const answer = typeof entry === 'function' ? entry(count) : entry;
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'content-type': 'application/json', ...answer.headers },
    });
  };
  return { fetch, seen };
}

const ok = (text: string): Answer => ({ status: 200, body: { choices: [{ message: { content: text } }] } });
const rateLimited: Answer = {
  status: 429,
  body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } },
  headers: { 'retry-after': '20' },
};

function collect() {
  const events: KitEvent[] = [];
  return { events, onEvent: (event: KitEvent) => events.push(event), types: () => events.map((event) => event.type) };
}

const post = (fetch: typeof globalThis.fetch, body = '{"model":"gpt-4o-mini"}', init: RequestInit = {}) =>
  fetch('http://upstream.test/v1/chat/completions', { method: 'POST', headers: { authorization: 'Bearer unused' }, body, ...init });

describe('credentialFetch: failover before the SDK sees anything', () => {
  it('a revoked and a rate-limited key are reported and skipped; the SDK gets the good key’s answer', async () => {
    const { source, reports } = fakePool(['revoked', 'limited', 'good']);
    const upstream = fakeUpstream({ [secretOf('limited')]: rateLimited, [secretOf('good')]: ok('hi') });
    const log = collect();
    let clock = 0;
    const fetch = credentialFetch(source, { fetch: upstream.fetch, onEvent: log.onEvent, now: () => (clock += 5) });
    const response = await post(fetch);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ choices: [{ message: { content: 'hi' } }] });
    // The same body, each time with exactly one credential, the dummy key gone.
    expect(upstream.seen.map((request) => request.credential)).toEqual([
      `Bearer ${secretOf('revoked')}`,
      `Bearer ${secretOf('limited')}`,
      `Bearer ${secretOf('good')}`,
    ]);
    expect(new Set(upstream.seen.map((request) => request.body))).toEqual(new Set(['{"model":"gpt-4o-mini"}']));
    expect(reports).toEqual([
      ['failure', 'revoked', 'authentication', 1],
      ['failure', 'limited', 'rate_limit', 2],
      ['success', 'good', 3, 5],
    ]);
    expect(log.types()).toEqual([
      'request-start',
      'request-error',
      'failover',
      'request-start',
      'request-error',
      'failover',
      'request-start',
      'request-success',
    ]);
    expect(log.events.filter((event) => event.type === 'failover')).toEqual([
      expect.objectContaining({ from: 'revoked', to: 'limited', reason: 'authentication', provider: 'openai', model: 'gpt-4o-mini' }),
      expect.objectContaining({ from: 'limited', to: 'good', reason: 'rate_limit' }),
    ]);
    expect(log.events.at(-1)).toMatchObject({ type: 'request-success', credentialId: 'good', latencyMs: 5, streaming: false });
    expect(JSON.stringify(log.events)).not.toMatch(/test-secret/);
  });

  it('excludes a credential that failed for good from the rest of the call (exclude), not a rate-limited one', async () => {
    const excludes: string[][] = [];
    const { source } = fakePool(['revoked', 'good']);
    const acquire = source.acquire.bind(source);
    source.acquire = (options) => {
      excludes.push([...(options.exclude ?? [])]);
      return acquire(options);
    };
    const upstream = fakeUpstream({ [secretOf('good')]: ok('fine') });
    expect((await post(credentialFetch(source, { fetch: upstream.fetch }))).status).toBe(200);
    expect(excludes).toEqual([[], ['revoked']]);
  });

  it('sends a streamed request body to every credential in full', async () => {
    const { source } = fakePool(['revoked', 'good']);
    const upstream = fakeUpstream({ [secretOf('good')]: ok('streamed') });
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"model":"m",'));
        controller.enqueue(new TextEncoder().encode('"stream":true}'));
        controller.close();
      },
    });
    const response = await post(credentialFetch(source, { fetch: upstream.fetch }), undefined, { body, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(200);
    expect(upstream.seen.map((request) => request.body)).toEqual(['{"model":"m","stream":true}', '{"model":"m","stream":true}']);
  });
});

describe('credentialFetch: what the SDK gets when no credential can answer', () => {
  it('the last upstream answer, unchanged and readable, when every credential failed', async () => {
    const { source, reports } = fakePool(['a', 'b'], { exhaustedRetryAfterMs: 20_000 });
    const upstream = fakeUpstream({ [secretOf('a')]: rateLimited, [secretOf('b')]: rateLimited });
    const log = collect();
    const response = await post(credentialFetch(source, { fetch: upstream.fetch, onEvent: log.onEvent }));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('20');
    expect(await response.json()).toEqual(rateLimited.body);
    expect(reports).toEqual([
      ['failure', 'a', 'rate_limit', 1],
      ['failure', 'b', 'rate_limit', 2],
    ]);
    expect(log.events.at(-1)).toMatchObject({ type: 'call-error', attempts: 2, error: { code: 'rate_limit', status: 429 } });
  });

  it('a server error (5xx) is reported but not retried: no nested retries under the SDK’s own', async () => {
    const { source, reports } = fakePool(['a', 'b']);
    const upstream = fakeUpstream({ [secretOf('a')]: { status: 503, body: { error: { message: 'overloaded' } } }, [secretOf('b')]: ok('never') });
    const response = await post(credentialFetch(source, { fetch: upstream.fetch }));
    expect(response.status).toBe(503);
    expect(upstream.seen).toHaveLength(1);
    expect(reports).toEqual([['failure', 'a', 'server_error', 1]]);
  });

  it('a single key that is rate limited: one request, the upstream’s 429 (the pool hands the same key back)', async () => {
    let sequence = 0;
    const reports: string[] = [];
    const single: CredentialSource = {
      acquire: async () => ({ id: 'only', secret: secretOf('only'), kind: 'api-key', sequence: ++sequence }),
      reportSuccess: () => reports.push('success'),
      reportFailure: (_id, error) => reports.push(error.code),
    };
    const upstream = fakeUpstream({ [secretOf('only')]: rateLimited });
    const response = await post(credentialFetch(single, { fetch: upstream.fetch }));
    expect(response.status).toBe(429);
    expect(upstream.seen).toHaveLength(1);
    expect(reports).toEqual(['rate_limit']);
  });

  it.each([
    ['openai', 'authorization', { error: { message: 'FakePool: no key available', type: 'rate_limit_error', param: null, code: 'credentials_exhausted' } }],
    ['anthropic', 'x-api-key', { type: 'error', error: { type: 'rate_limit_error', message: 'FakePool: no key available' } }],
    ['gemini', 'x-goog-api-key', { error: { code: 429, message: 'FakePool: no key available', status: 'RESOURCE_EXHAUSTED' } }],
  ] as const)('pool empty before any request (%s): a 429 in the provider’s shape with retry-after', async (preset, _header, body) => {
    const { source } = fakePool([], { exhaustedRetryAfterMs: 1_500 });
    const upstream = fakeUpstream({});
    const log = collect();
    const response = await post(credentialFetch(source, { preset, fetch: upstream.fetch, onEvent: log.onEvent }));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(response.headers.get('retry-after-ms')).toBe('1500');
    expect(await response.json()).toEqual(body);
    expect(upstream.seen).toHaveLength(0);
    expect(log.events).toEqual([
      expect.objectContaining({ type: 'call-error', attempts: 0, error: expect.objectContaining({ code: 'credentials_exhausted' }) }),
    ]);
  });

  it('pool empty with nothing to wait for (every key disabled): a 401 without retry-after', async () => {
    const { source } = fakePool([]);
    const response = await post(credentialFetch(source, { fetch: fakeUpstream({}).fetch }));
    expect(response.status).toBe(401);
    expect(response.headers.get('retry-after')).toBeNull();
  });
});

describe('credentialFetch: OAuth, aborts, headers, events', () => {
  it('a 401 makes the source refresh once; the request is retried on the same account with the new token', async () => {
    const { source, reports } = fakePool(['acct', 'spare'], { refreshes: { acct: 'test-secret-acct-refreshed' } });
    const upstream = fakeUpstream({ 'test-secret-acct-refreshed': ok('after refresh'), [secretOf('spare')]: ok('spare') });
    const log = collect();
    const response = await post(credentialFetch(source, { fetch: upstream.fetch, onEvent: log.onEvent }));
    expect(await response.json()).toEqual({ choices: [{ message: { content: 'after refresh' } }] });
    expect(reports).toEqual([
      ['refresh', 'acct', true],
      ['success', 'acct', 2, expect.any(Number)],
    ]);
    expect(log.events.filter((event) => event.type === 'request-error')).toEqual([expect.objectContaining({ credentialId: 'acct', willRetry: true })]);
    expect(log.events.some((event) => event.type === 'failover')).toBe(false);
    expect(JSON.stringify(log.events)).not.toContain('refreshed');
  });

  it('a refreshed token refused again moves to the next account, without a second refresh', async () => {
    const { source, reports } = fakePool(['acct', 'spare'], { refreshes: { acct: 'test-secret-acct-still-refused' } });
    const upstream = fakeUpstream({ [secretOf('spare')]: ok('spare answers') });
    const response = await post(credentialFetch(source, { fetch: upstream.fetch }));
    expect(await response.json()).toEqual({ choices: [{ message: { content: 'spare answers' } }] });
    expect(reports.map((report) => (report as unknown[]).slice(0, 3))).toEqual([
      ['refresh', 'acct', true],
      ['failure', 'acct', 'authentication'],
      ['success', 'spare', 3],
    ]);
  });

  it('an aborted call rejects as fetch does (AbortError) and blames no credential', async () => {
    const { source, reports } = fakePool(['a']);
    const controller = new AbortController();
    const slow = async (_input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    const pending = post(credentialFetch(source, { fetch: slow }), undefined, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(reports).toEqual([]);
    await expect(post(credentialFetch(source, { fetch: slow }), undefined, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('a network failure is reported against the credential and thrown as the inner fetch threw it', async () => {
    const { source, reports } = fakePool(['a', 'b']);
    const failure = new TypeError('fetch failed');
    const response = post(credentialFetch(source, { fetch: async () => Promise.reject(failure) }));
    await expect(response).rejects.toBe(failure);
    expect(reports).toEqual([['failure', 'a', 'network', 1]]);
  });

  it('puts the credential in a custom header with its scheme, and reads the preset’s rate-limit headers', async () => {
    const { source, reports } = fakePool(['a']);
    const upstream = fakeUpstream(
      { [secretOf('a')]: { status: 200, body: {}, headers: { 'anthropic-ratelimit-requests-remaining': '41', 'anthropic-ratelimit-requests-limit': '50' } } },
      'api-key',
    );
    const log = collect();
    const fetch = credentialFetch(source, { preset: 'anthropic', header: 'Api-Key', fetch: upstream.fetch, onEvent: log.onEvent });
    await fetch('http://upstream.test/v1/messages', { method: 'POST', headers: { 'x-api-key': 'unused' }, body: '{}' });
    expect(upstream.seen[0]?.headers).toMatchObject({ 'api-key': secretOf('a') });
    expect(upstream.seen[0]?.headers).not.toHaveProperty('x-api-key');
    expect(reports).toContainEqual(['rate-limit', 'a', 41]);
    expect(log.events.find((event) => event.type === 'rate-limit')).toMatchObject({
      credentialId: 'a',
      rateLimit: { requestsRemaining: 41, requestsLimit: 50 },
    });
  });

  it('sends events to a MetricsSink too; a throwing listener does not break the call', async () => {
    const { source } = fakePool(['a']);
    const recorded: string[] = [];
    const fetch = credentialFetch(source, {
      fetch: fakeUpstream({ [secretOf('a')]: ok('x') }).fetch,
      metrics: { record: (event) => recorded.push(event.type) },
      onEvent: () => {
        throw new Error('listener bug');
      },
    });
    expect((await post(fetch)).status).toBe(200);
    expect(recorded).toEqual(['request-start', 'request-success']);
  });

  it('refuses bad options and a credentials argument that is not a CredentialSource, naming the field', () => {
    const { source } = fakePool(['a']);
    expect(() => credentialFetch(source, { preset: 'azure' as 'openai' })).toThrow(/invalid credentialFetch options: preset: must be one of/);
    expect(() => credentialFetch(source, { header: 'bad header' })).toThrow(/header: is not a valid HTTP header name/);
    expect(() => credentialFetch(source, { retries: 2 } as object)).toThrow(/retries: is not a known option/);
    expect(() => credentialFetch({ acquire: () => {} } as unknown as CredentialSource)).toThrow(/credentials: must be a CredentialSource/);
    try {
      credentialFetch(source, { fetch: 'nope' as unknown as typeof globalThis.fetch });
    } catch (error) {
      expect(error).toMatchObject({ code: 'invalid_config' });
      return;
    }
    throw new Error('expected a KitError');
  });
});
