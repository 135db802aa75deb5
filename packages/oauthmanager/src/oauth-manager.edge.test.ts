// The main entry on an edge runtime (no Node built-ins): refresh, single-flight, store, alerts, webhook, monitoring.
import { describe, expect, it } from 'vitest';
import { MemoryCredentialStore, OAuthManager } from './index';
import { accessTokenOf, credential, HOUR, kitError, scriptedRefresh, START } from './test-helpers';

describe('OAuthManager on an edge runtime', () => {
  it('refreshes once for many callers, persists, alerts through a webhook, and monitors', async () => {
    const time = START + 2 * HOUR;
    const posted: string[] = [];
    const store = new MemoryCredentialStore();
    const { refresh, calls } = scriptedRefresh();
    const manager = new OAuthManager('gemini', [credential('a')], refresh, {
      now: () => time,
      store,
      fetch: async (_url, init) => {
        posted.push(String(init?.body));
        return new Response('ok');
      },
      monitoring: { webhookUrl: 'https://hooks.example.test/kit' },
    });
    const leases = await Promise.all(Array.from({ length: 100 }, () => manager.acquire()));
    expect(calls).toHaveLength(1);
    expect(leases.every((lease) => lease.secret === accessTokenOf('a', 1))).toBe(true);
    expect((await store.load())[0]!.accessToken).toBe(accessTokenOf('a', 1));
    for (let n = 0; n < 10; n++) manager.reportFailure('a', kitError('server_error'));
    expect(
      manager
        .checkAlerts()
        .map((alert) => alert.kind)
        .sort(),
    ).toEqual(['credential-unhealthy', 'failure-rate']);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(posted).toHaveLength(2);
    const stop = manager.startMonitoring(1_000);
    stop();
  });
});
