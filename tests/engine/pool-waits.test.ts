import { KitError } from '@kit/core';
import { KeyManager } from '@kit/keymanager';
import { createOpenAI } from '@kit/openai';
import { describe, expect, it } from 'vitest';
import { fakeFetchEngine, finishChunks, jsonResponse, recordingSource, settle, sseResponse, textChunk } from './fetch-fakes';

const answer = () => sseResponse([textChunk('ok'), finishChunks]);
// OpenAI's 429 body (API reference, "Error codes": rate_limit_exceeded).
const rateLimited = (headers: Record<string, string>) =>
  jsonResponse(429, { error: { message: 'Rate limit reached for requests', type: 'requests', param: null, code: 'rate_limit_exceeded' } }, headers);

describe('Retry-After is honoured, never cut short', () => {
  it('a single key told `Retry-After: 86400` fails fast with rate_limit carrying retryAfterMs, without a second request', async () => {
    const { source } = recordingSource(['only']);
    const engine = fakeFetchEngine({ credentials: source, respond: () => rateLimited({ 'retry-after': '86400' }) });
    const { error } = await settle(engine.generate({ prompt: 'hi' }));
    expect(error?.code).toBe('rate_limit');
    expect(error?.retryAfterMs).toBe(86_400_000);
    expect(error?.retryable).toBe(true);
    expect(engine.requests).toHaveLength(1);
    expect(engine.sleeps).toEqual([]);
  });

  it('a 503 asking for at most 60 s is waited exactly, or, when that cannot end before the deadline, fails at once', async () => {
    const overloaded = (seconds: string) =>
      jsonResponse(503, { error: { message: 'The server is overloaded', type: 'server_error' } }, { 'retry-after': seconds });
    const { source } = recordingSource(['only']);
    const waited = fakeFetchEngine({ credentials: source, respond: ({ n }) => (n === 0 ? overloaded('30') : answer()) });
    expect(await (await waited.generate({ prompt: 'hi', deadlineMs: 60_000 })).text()).toBe('ok');
    expect(waited.sleeps).toEqual([30_000]);
    const tooLate = fakeFetchEngine({ credentials: recordingSource(['only']).source, respond: () => overloaded('45') });
    const { error } = await settle(tooLate.generate({ prompt: 'hi', deadlineMs: 30_000 }));
    expect(error).toMatchObject({ code: 'server_error', retryAfterMs: 45_000 });
    expect(tooLate.requests).toHaveLength(1);
    expect(tooLate.sleeps).toEqual([]);
  });

  it('a 503 asking for more than 60 s is retried after the computed backoff (SPEC §4, as the official SDKs): a pool moves on at once', async () => {
    const overloaded = jsonResponse(503, { error: { message: 'The server is overloaded', type: 'server_error' } }, { 'retry-after': '120' });
    // A KeyManager of two regions, ten concurrent calls: the overloaded one is benched, each retry goes to the other.
    const regions = new KeyManager('openai', [
      { id: 'east', key: 'test-key-east-1' },
      { id: 'west', key: 'test-key-west-1' },
    ]);
    const pool = fakeFetchEngine({ credentials: regions, respond: ({ authorization }) => (authorization.includes('-east-') ? overloaded.clone() : answer()) });
    const texts = await Promise.all(Array.from({ length: 10 }, async () => (await pool.generate({ prompt: 'hi' })).text()));
    expect(texts).toEqual(Array(10).fill('ok'));
    expect(pool.sleeps.every((ms) => ms === 500)).toBe(true);
    // A single key: two retries after 500 ms and 1 s, then the 503 with the server's wait, for the caller to decide.
    const single = fakeFetchEngine({ credentials: recordingSource(['only']).source, respond: () => overloaded.clone() });
    const { error } = await settle(single.generate({ prompt: 'hi' }));
    expect(error).toMatchObject({ code: 'server_error', retryAfterMs: 120_000, retryable: true });
    expect(single.sleeps).toEqual([500, 1000]);
    expect(single.requests).toHaveLength(3);
  });

  it('a short Retry-After is waited exactly (not the 500 ms backoff) before the same key is asked for again', async () => {
    const { source, log } = recordingSource(['only']);
    const engine = fakeFetchEngine({ credentials: source, respond: ({ n }) => (n === 0 ? rateLimited({ 'retry-after-ms': '1500' }) : answer()) });
    const stream = await engine.generate({ prompt: 'hi' });
    expect(await stream.text()).toBe('ok');
    expect(engine.sleeps).toEqual([1500]);
    // The lease is re-validated after the wait: acquire, fail, (wait), acquire again, then send.
    expect(log).toEqual(['acquire:only', 'failure:only:rate_limit#1', 'acquire:only', 'acquire:only', 'success:only#3']);
  });
});

describe('a lease is never held across a wait', () => {
  it('after a transient fault and its backoff the pool is asked again before anything is sent', async () => {
    const { source, log } = recordingSource(['k1', 'k2']);
    const engine = fakeFetchEngine({
      credentials: source,
      respond: ({ n }) => (n === 0 ? jsonResponse(500, { error: { message: 'boom', type: 'server_error' } }) : answer()),
    });
    await (await engine.generate({ prompt: 'hi' })).text();
    expect(engine.sleeps).toEqual([500]);
    const afterSleep = log.slice(log.indexOf('failure:k1:server_error#1') + 1);
    expect(afterSleep[0]).toMatch(/^acquire:/);
    expect(engine.requests).toHaveLength(2);
  });
});

describe('a recovering credential whose probe fails does not fail the caller', () => {
  it('revoked key probed, good key cooling 300 ms: the call waits for the good key and succeeds', async () => {
    // The pool hands out the recovering revoked key first; once it is excluded, the good key is 300 ms from ready
    // (the recording sleep returns at once, so the pool is ready when it is asked again after the wait).
    let refusals = 0;
    const { source, log } = recordingSource(['revoked', 'good'], {
      exhausted: (exclude) =>
        exclude?.has('revoked') && refusals++ === 0 ? new KitError('credentials_exhausted', 'good is cooling', { retryAfterMs: 300 }) : undefined,
    });
    const engine = fakeFetchEngine({
      credentials: source,
      maxRetries: 0,
      respond: ({ authorization }) =>
        authorization.includes('revoked')
          ? jsonResponse(401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } })
          : answer(),
    });
    // Even with maxRetries 0: moving past a credential that failed for good costs no retry.
    const pending = settle(engine.generate({ prompt: 'hi' }).then((stream) => stream.text()));
    const outcome = await pending;
    expect(outcome.error).toBeUndefined();
    expect(outcome.value).toBe('ok');
    expect(engine.sleeps).toEqual([300]);
    expect(log.filter((entry) => entry.startsWith('failure'))).toEqual(['failure:revoked:authentication#1']);
  });
});

describe('concurrent callers pass each lease its sequence number back', () => {
  it('50 concurrent calls report each failure with the sequence of the lease that was sent', async () => {
    const { source, log } = recordingSource(['k1']);
    const engine = fakeFetchEngine({
      credentials: source,
      maxRetries: 0,
      respond: () => jsonResponse(500, { error: { message: 'boom', type: 'server_error' } }),
    });
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => settle(engine.generate({ prompt: 'hi' }))));
    expect(outcomes.every((outcome) => outcome.error?.code === 'server_error')).toBe(true);
    const sequences = log.filter((entry) => entry.startsWith('failure')).map((entry) => Number(entry.split('#')[1]));
    expect(new Set(sequences).size).toBe(50);
  });
});

describe('a pool that refuses every credential for a while', () => {
  it('gives the caller credentials_exhausted that is retryable, with retryAfterMs, after 10 concurrent calls benched both keys', async () => {
    let requests = 0;
    const fetch = async () => {
      requests += 1;
      return rateLimited({ 'retry-after': '60' });
    };
    const pool = new KeyManager('openai', [
      { id: 'k1', key: 'test-key-pool-1' },
      { id: 'k2', key: 'test-key-pool-2' },
    ]);
    const openai = createOpenAI({ credentials: pool, fetch: fetch as typeof globalThis.fetch });
    const first = await Promise.allSettled(Array.from({ length: 10 }, () => openai.complete({ prompt: 'hi', deadlineMs: 2_000 })));
    expect(first.every((outcome) => outcome.status === 'rejected')).toBe(true);
    const sent = requests;
    // Both keys now wait out their 60 s: the next call is refused by the pool before anything is sent.
    const error = await openai.complete({ prompt: 'again', deadlineMs: 2_000 }).catch((thrown: unknown) => thrown);
    expect(KitError.is(error)).toBe(true);
    expect(error).toMatchObject({ code: 'credentials_exhausted', retryable: true });
    expect((error as KitError).retryAfterMs).toBeGreaterThan(55_000);
    expect(requests).toBe(sent);
  });

  it('a KitError credentials_exhausted is retryable exactly when retryAfterMs says when a credential comes back', () => {
    expect(new KitError('credentials_exhausted', 'every key is cooling', { retryAfterMs: 1_000 }).retryable).toBe(true);
    expect(new KitError('credentials_exhausted', 'every key is disabled').retryable).toBe(false);
    expect(new KitError('credentials_exhausted', 'told', { retryAfterMs: 1_000, retryable: false }).retryable).toBe(false);
  });
});
