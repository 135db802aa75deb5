// createOpenRouter over a KeyManager pool, on a testkit loopback upstream speaking the OpenAI dialect (OpenRouter's).
import type { KitEvent } from '@kit/core';
import { KeyManager } from '@kit/keymanager';
import { createOpenRouter } from '@kit/openrouter';
import { faults, replies } from '@kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { expectNoSecrets, fakeKeys, upstreams } from '../engine/helpers';

const servers = upstreams();
afterEach(() => servers.closeAll());

describe('createOpenRouter with a KeyManager pool', () => {
  it('20 concurrent calls over a pool with a revoked, an out-of-credit and a rate-limited key all succeed on the good key', async () => {
    const [revoked, broke, limited, good] = fakeKeys as [string, string, string, string];
    const upstream = await servers.start({
      dialect: 'openai',
      credentials: [
        { id: 'revoked', secret: revoked, script: faults.unauthorized() },
        { id: 'broke', secret: broke, script: faults.paymentRequired('Insufficient credits') },
        { id: 'limited', secret: limited, script: faults.rateLimited({ retryAfterSeconds: 30 }) },
        { id: 'good', secret: good, script: replies.text('pooled answer') },
      ],
    });
    const events: KitEvent[] = [];
    const keys = new KeyManager('openrouter', [
      { id: 'revoked', key: revoked },
      { id: 'broke', key: broke },
      { id: 'limited', key: limited },
      { id: 'good', key: good },
    ]);
    const openrouter = createOpenRouter({ credentials: keys, baseURL: upstream.url, appName: 'Pool Test', onEvent: (event) => events.push(event) });
    const completions = await Promise.all(Array.from({ length: 20 }, (_, index) => openrouter.complete({ prompt: `call ${index}`, stream: index % 2 === 0 })));
    expect(completions.every((completion) => completion.text === 'pooled answer' && completion.credentialId === 'good')).toBe(true);
    const health = Object.fromEntries(keys.getKeyHealth().map((key) => [key.id, key]));
    expect(health.good?.successes).toBe(20);
    for (const id of ['revoked', 'broke', 'limited']) expect(health[id]?.backoffUntil).toBeGreaterThan(Date.now());
    // Every request carried the attribution header; nothing observable holds a key.
    expect(upstream.requests.every((request) => request.headers['x-title'] === 'Pool Test')).toBe(true);
    expectNoSecrets([events, keys.getKeyHealth(), completions], fakeKeys);
  });
});
