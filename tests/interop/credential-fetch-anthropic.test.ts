// The real `@anthropic-ai/sdk` (root devDependency, 1.14.0) over a KeyManager through credentialFetch, against a
// loopback Anthropic-dialect upstream with a revoked and a rate-limited key. `maxRetries: 0`: any error would throw.
import Anthropic from '@anthropic-ai/sdk';
import { credentialFetch } from '@kit/core';
import type { MockUpstream } from '@kit/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectNoSecrets } from '../engine/helpers';
import { healthById, interopKeys, interopPool, startInteropUpstream } from './credential-fetch-helpers';

let upstream: MockUpstream;
beforeEach(async () => {
  upstream = await startInteropUpstream('anthropic', 'pooled by anthropic');
});
afterEach(() => upstream.close());

function client(pool: ReturnType<typeof interopPool>) {
  return new Anthropic({
    apiKey: 'unused',
    // The SDK appends `/v1/messages` itself.
    baseURL: upstream.origin,
    fetch: credentialFetch(pool.keys, { preset: 'anthropic', onEvent: pool.onEvent }),
    maxRetries: 0,
  });
}

const request = (content: string) => ({ model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user' as const, content }] });

describe('@anthropic-ai/sdk + credentialFetch(KeyManager)', () => {
  it('messages.create: every call succeeds; the pool shows the revoked and the rate-limited key', async () => {
    const pool = interopPool('anthropic');
    const anthropic = client(pool);
    for (let call = 0; call < 3; call++) {
      const message = await anthropic.messages.create(request(`call ${call}`));
      expect(message.content[0]).toMatchObject({ type: 'text', text: 'pooled by anthropic' });
    }
    const health = healthById(pool.keys);
    expect(health['key-revoked']).toMatchObject({ lastErrorCode: 'authentication', consecutiveFailures: 1, available: false, successes: 0 });
    expect(health['key-limited']).toMatchObject({ lastErrorCode: 'rate_limit', successes: 0 });
    expect(health['key-good']).toMatchObject({ healthy: true, successes: 3 });
    // Each request carried exactly one key, in x-api-key: the dummy one never reached the upstream.
    expect(upstream.requests.map((recorded) => recorded.credentialId ?? 'unknown')).toEqual(['unknown', 'limited', 'good', 'good', 'good']);
    expect(pool.ofType('call-error')).toEqual([]);
  });

  it('messages.stream: the streamed text arrives whole after failing over', async () => {
    const pool = interopPool('anthropic');
    const anthropic = client(pool);
    const stream = anthropic.messages.stream(request('stream please'));
    expect(await stream.finalText()).toBe('pooled by anthropic');
    expect(pool.ofType('request-success')).toEqual([expect.objectContaining({ credentialId: 'key-good', streaming: true, model: 'claude-sonnet-4-5' })]);
    expect(pool.ofType('failover').map((event) => event.reason)).toEqual(['authentication', 'rate_limit']);
  });

  it('20 concurrent calls (half streaming) all succeed; no secret in any event', async () => {
    const pool = interopPool('anthropic');
    const anthropic = client(pool);
    const texts = await Promise.all(
      Array.from({ length: 20 }, async (_, index) => {
        if (index % 2 === 0) return anthropic.messages.stream(request(`s${index}`)).finalText();
        const message = await anthropic.messages.create(request(`c${index}`));
        return message.content[0]?.type === 'text' ? message.content[0].text : '';
      }),
    );
    expect(texts).toEqual(Array(20).fill('pooled by anthropic'));
    expect(pool.metrics.snapshot().byCredential['anthropic:key-good']).toMatchObject({ successes: 20, errors: 0 });
    expectNoSecrets([...pool.events, pool.metrics.snapshot(), pool.keys.getKeyHealth()], Object.values(interopKeys));
  });

  it('a pool with nothing left before any request: the SDK gets a 429 in Anthropic’s shape with retry-after', async () => {
    const pool = interopPool('anthropic');
    pool.keys.removeKey('key-good');
    const anthropic = client(pool);
    // The first call spends both bad keys (the revoked one is out for good, the limited one cools for 1 s).
    await expect(anthropic.messages.create(request('first'))).rejects.toBeInstanceOf(Anthropic.RateLimitError);
    const sent = upstream.requests.length;
    const error = await anthropic.messages.create(request('second')).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(upstream.requests).toHaveLength(sent);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(error).toMatchObject({ status: 429, error: { type: 'error', error: { type: 'rate_limit_error' } } });
    expect(Number((error as InstanceType<typeof Anthropic.RateLimitError>).headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});
