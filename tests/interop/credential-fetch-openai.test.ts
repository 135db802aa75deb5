// The real `openai` SDK (root devDependency, 7.57.0) over a KeyManager through credentialFetch, against a loopback
// OpenAI-dialect upstream with a revoked and a rate-limited key. `maxRetries: 0`: any error the SDK saw would throw.
import { credentialFetch } from '@kit/core';
import type { MockUpstream } from '@kit/testkit';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectNoSecrets } from '../engine/helpers';
import { healthById, interopKeys, interopPool, startInteropUpstream } from './credential-fetch-helpers';

let upstream: MockUpstream;
beforeEach(async () => {
  upstream = await startInteropUpstream('openai', 'pooled answer');
});
afterEach(() => upstream.close());

function client(pool: ReturnType<typeof interopPool>) {
  return new OpenAI({
    apiKey: 'unused',
    baseURL: upstream.url,
    fetch: credentialFetch(pool.keys, { preset: 'openai', onEvent: pool.onEvent }),
    maxRetries: 0,
  });
}

const ask = (openai: OpenAI, content: string) => openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] });

async function askStreaming(openai: OpenAI, content: string): Promise<string> {
  const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }], stream: true });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  return text;
}

describe('openai SDK + credentialFetch(KeyManager)', () => {
  it('non-streaming: every call succeeds; the pool shows the revoked and the rate-limited key', async () => {
    const pool = interopPool('openai');
    const openai = client(pool);
    for (let call = 0; call < 3; call++) {
      const completion = await ask(openai, `call ${call}`);
      expect(completion.choices[0]?.message.content).toBe('pooled answer');
    }
    const health = healthById(pool.keys);
    expect(health['key-revoked']).toMatchObject({ lastErrorCode: 'authentication', consecutiveFailures: 1, available: false, successes: 0 });
    expect(health['key-limited']).toMatchObject({ lastErrorCode: 'rate_limit', successes: 0 });
    expect(health['key-good']).toMatchObject({ healthy: true, successes: 3, failures: 0 });
    // The bad keys were each tried once: the revoked one is out, the limited one cools for its retry-after.
    expect(upstream.requests.map((request) => request.credentialId ?? 'unknown')).toEqual(['unknown', 'limited', 'good', 'good', 'good']);
    expect(pool.ofType('failover').map(({ from, to, reason }) => [from, to, reason])).toEqual([
      ['key-revoked', 'key-limited', 'authentication'],
      ['key-limited', 'key-good', 'rate_limit'],
    ]);
    expect(pool.ofType('call-error')).toEqual([]);
  });

  it('once their cooldowns have passed the bad keys are probed again; still refused, the call still succeeds', async () => {
    const pool = interopPool('openai');
    const openai = client(pool);
    await ask(openai, 'first');
    pool.clock.ms += 1_500;
    expect((await ask(openai, 'second')).choices[0]?.message.content).toBe('pooled answer');
    // The pool's first backoff after a revoked key is short too (it grows with each failure): both are probed.
    expect(upstream.requests.map((request) => request.credentialId ?? 'unknown')).toEqual(['unknown', 'limited', 'good', 'unknown', 'limited', 'good']);
    expect(healthById(pool.keys)['key-limited']).toMatchObject({ failures: 2, successes: 0 });
    expect(healthById(pool.keys)['key-revoked']).toMatchObject({ consecutiveFailures: 2, successes: 0 });
  });

  it('streaming: the stream is handed over once the good key answered; the text arrives whole', async () => {
    const pool = interopPool('openai');
    const openai = client(pool);
    expect(await askStreaming(openai, 'stream 1')).toBe('pooled answer');
    expect(await askStreaming(openai, 'stream 2')).toBe('pooled answer');
    expect(pool.ofType('request-success')).toEqual([
      expect.objectContaining({ credentialId: 'key-good', streaming: true, model: 'gpt-4o-mini' }),
      expect.objectContaining({ credentialId: 'key-good', streaming: true }),
    ]);
    expect(healthById(pool.keys)['key-revoked']).toMatchObject({ lastErrorCode: 'authentication' });
    expect(healthById(pool.keys)['key-limited']).toMatchObject({ lastErrorCode: 'rate_limit' });
  });

  it('20 concurrent calls (half streaming) all succeed, and per-credential metrics count what happened', async () => {
    const pool = interopPool('openai');
    const openai = client(pool);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? askStreaming(openai, `s${index}`) : ask(openai, `c${index}`))),
    );
    expect(results.map((result) => (typeof result === 'string' ? result : result.choices[0]?.message.content))).toEqual(Array(20).fill('pooled answer'));
    const { byCredential } = pool.metrics.snapshot();
    expect(byCredential['openai:key-good']).toMatchObject({ successes: 20, errors: 0 });
    expect(byCredential['openai:key-revoked']?.errorsByCode).toMatchObject({ authentication: expect.any(Number) });
    expect(byCredential['openai:key-limited']?.errorsByCode).toMatchObject({ rate_limit: expect.any(Number) });
    expect(healthById(pool.keys)['key-good']).toMatchObject({ successes: 20 });
  });

  it('with no working key the SDK gets the provider’s own error (its own error class), and no secret anywhere', async () => {
    const pool = interopPool('openai');
    pool.keys.removeKey('key-good');
    const openai = client(pool);
    const error = await ask(openai, 'hi').then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error).toMatchObject({ status: 429 });
    expect(pool.ofType('call-error')).toEqual([expect.objectContaining({ attempts: 2, error: expect.objectContaining({ code: 'rate_limit' }) })]);
    expectNoSecrets([...pool.events, pool.metrics.snapshot(), pool.keys.getKeyHealth(), error, String(error)], Object.values(interopKeys));
  });

  it('no secret in any event of a run through every fault', async () => {
    const pool = interopPool('openai');
    const openai = client(pool);
    await ask(openai, 'one');
    await askStreaming(openai, 'two');
    expect(pool.events.length).toBeGreaterThan(8);
    expectNoSecrets([...pool.events, pool.metrics.snapshot(), pool.metrics.toPrometheus()], Object.values(interopKeys));
  });
});
