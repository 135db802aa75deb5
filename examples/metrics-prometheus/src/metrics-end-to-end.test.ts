import type { KitEvent } from '@kit/core';
import { KeyManager } from '@kit/keymanager';
import { formatMetricsTable, MetricsCollector } from '@kit/metrics';
import { createOpenAI } from '@kit/openai';
import { createMockUpstream, faults, replies, type MockUpstream } from '@kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { driveTraffic } from './drive-traffic';
import { poolKeys, startPoolUpstream } from './pool-upstream';

let upstream: MockUpstream | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

const chatRequests = (server: MockUpstream, credentialId?: string) =>
  server.requests.filter((request) => request.path.endsWith('/chat/completions') && (credentialId === undefined || request.credentialId === credentialId));

describe('metrics end to end: provider + 3-key pool on a testkit upstream, one collector', () => {
  it('after a fault run the credential breakdown matches what the server recorded, and nothing leaks a key', async () => {
    upstream = await startPoolUpstream();
    const collector = new MetricsCollector({ pricing: { openai: { 'gpt-6-luna': { inputPerMTok: 0.4, outputPerMTok: 1.6, cachedInputPerMTok: 0.1 } } } });
    let poolTime = 1_000_000;
    const keys = new KeyManager('openai', [...poolKeys], { now: () => poolTime, onEvent: collector.record });
    const openai = createOpenAI({ name: 'openai', credentials: keys, baseURL: upstream.url, metrics: collector });

    const calls = 10;
    const result = await driveTraffic(openai, {
      calls,
      between: () => {
        poolTime += 10_000;
      },
    });
    expect(result.succeeded).toBe(calls);

    const snapshot = collector.snapshot();
    const server = upstream;
    // Per credential: what the server saw is what the collector counted.
    for (const { id } of poolKeys) {
      const seen = chatRequests(server, id).length;
      expect(snapshot.byCredential[`openai:${id}`]?.requests, id).toBe(seen);
    }
    const revokedSeen = chatRequests(server, 'key-revoked').length;
    const limitedSeen = chatRequests(server, 'key-limited').length;
    const goodSeen = chatRequests(server, 'key-good').length;
    expect(revokedSeen).toBeGreaterThanOrEqual(3);
    expect(limitedSeen).toBeGreaterThanOrEqual(2);
    expect(goodSeen).toBe(calls);

    expect(snapshot.byCredential['openai:key-revoked']).toMatchObject({
      successes: 0,
      errors: revokedSeen,
      errorsByCode: { authentication: revokedSeen },
      errorsByStatus: { '401': revokedSeen },
      failovers: revokedSeen,
    });
    expect(snapshot.byCredential['openai:key-limited']).toMatchObject({
      successes: 0,
      errors: limitedSeen,
      errorsByCode: { rate_limit: limitedSeen },
      errorsByStatus: { '429': limitedSeen },
    });
    expect(snapshot.byCredential['openai:key-good']).toMatchObject({ successes: calls, errors: 0, successRate: 1, healthy: true });
    expect(snapshot.byCredential['openai:key-good']?.tokens).toEqual({
      input: 1200 * calls,
      output: 11 * calls,
      cached: 1024 * calls,
      cacheWrite: 0,
      reasoning: 0,
      total: 1211 * calls,
    });
    expect(snapshot.byCredential['openai:key-good']?.cost.total).toBeCloseTo((calls * (176 * 0.4 + 1024 * 0.1 + 11 * 1.6)) / 1e6, 12);

    // Totals: attempts as the server saw them; every failed attempt failed over; every call succeeded in the end.
    expect(snapshot.totals).toMatchObject({
      requests: chatRequests(server).length,
      successes: calls,
      errors: revokedSeen + limitedSeen,
      retries: revokedSeen + limitedSeen,
      failovers: revokedSeen + limitedSeen,
      failedCalls: 0,
    });
    expect(snapshot.byProvider.openai?.requests).toBe(chatRequests(server).length);
    expect(snapshot.byModel['gpt-6-luna']?.requests).toBe(chatRequests(server).length);
    expect(snapshot.totals.timeToFirstToken.count).toBe(calls);

    // Health as the key pool itself reports it.
    for (const key of keys.getKeyHealth()) {
      const health = collector.getCredentialHealth().find((entry) => entry.credentialId === key.id);
      expect(health, key.id).toMatchObject({ provider: 'openai', healthy: key.healthy, consecutiveFailures: key.consecutiveFailures });
    }
    expect(snapshot.byCredential['openai:key-revoked']?.healthy).toBe(false);

    // The Prometheus text agrees.
    const text = collector.toPrometheus();
    expect(text).toContain(`kit_requests_total{provider="openai",model="gpt-6-luna",credential="key-revoked"} ${revokedSeen}\n`);
    expect(text).toContain(
      `kit_request_errors_total{provider="openai",model="gpt-6-luna",credential="key-limited",code="rate_limit",status="429"} ${limitedSeen}\n`,
    );
    expect(text).toContain(`kit_request_successes_total{provider="openai",model="gpt-6-luna",credential="key-good"} ${calls}\n`);
    expect(text).toContain('kit_credential_healthy{provider="openai",credential="key-revoked"} 0\n');

    // No secret anywhere observable from the collector.
    for (const output of [text, JSON.stringify(snapshot), JSON.stringify(collector), JSON.stringify(collector.getCredentialHealth())]) {
      for (const { key } of poolKeys) expect(output).not.toContain(key);
    }
  });

  it('a stream that fails after its first content: one attempt, a TTFT, a final error, no failover', async () => {
    upstream = await createMockUpstream({
      dialect: 'openai',
      credentials: [
        { id: 'key-1', secret: 'test-key-1', script: faults.errorMidStream(2) },
        { id: 'key-2', secret: 'test-key-2', script: replies.text('never reached') },
      ],
    });
    const collector = new MetricsCollector();
    const keys = new KeyManager(
      'openai',
      [
        { id: 'key-1', key: 'test-key-1' },
        { id: 'key-2', key: 'test-key-2' },
      ],
      { onEvent: collector.record },
    );
    const callErrors: KitEvent[] = [];
    const onEvent = (event: KitEvent) => void (event.type === 'call-error' && callErrors.push(event));
    const openai = createOpenAI({ name: 'openai', credentials: keys, baseURL: upstream.url, metrics: collector, onEvent });

    const stream = await openai.generateChatCompletion({ model: 'gpt-6-luna', prompt: 'Hi' });
    const texts: string[] = [];
    await expect(
      (async () => {
        for await (const event of stream) if (event.type === 'text-delta') texts.push(event.text);
      })(),
    ).rejects.toMatchObject({ code: 'server_error' });
    expect(texts.length).toBeGreaterThan(0);

    const { totals, byCredential } = collector.snapshot();
    expect(chatRequests(upstream)).toHaveLength(1);
    expect(totals).toMatchObject({ requests: 1, successes: 0, errors: 1, retries: 0, failovers: 0, errorsByCode: { server_error: 1 } });
    // Failed calls are what the engine reports as `call-error`, no more, no less.
    expect(totals.failedCalls).toBe(callErrors.length);
    expect(totals.timeToFirstToken.count).toBe(1);
    expect(totals.latency.count).toBe(0);
    expect(byCredential['openai:key-1']).toMatchObject({ requests: 1, errors: 1 });
    expect(byCredential['openai:key-2']).toBeUndefined();
  });

  it('all keys down: two revoked keys end the call in credentials_exhausted, and the failed call is visible', async () => {
    upstream = await createMockUpstream({ dialect: 'openai', defaultScript: faults.unauthorized() });
    const collector = new MetricsCollector();
    const ids = [
      { id: 'key-a', key: 'test-key-a' },
      { id: 'key-b', key: 'test-key-b' },
    ];
    const keys = new KeyManager('openai', ids, { onEvent: collector.record });
    const openai = createOpenAI({ name: 'openai', credentials: keys, baseURL: upstream.url, metrics: collector });

    await expect(openai.complete({ model: 'gpt-6-luna', prompt: 'Hi' })).rejects.toMatchObject({ code: 'credentials_exhausted' });

    const snapshot = collector.snapshot();
    expect(chatRequests(upstream)).toHaveLength(2);
    expect(snapshot.totals).toMatchObject({
      requests: 2,
      successes: 0,
      errors: 2,
      errorsByCode: { authentication: 2 },
      failedCalls: 1,
      callErrorsByCode: { credentials_exhausted: 1 },
      lastError: { code: 'credentials_exhausted' },
    });
    expect(snapshot.byProvider.openai).toMatchObject({ failedCalls: 1, callErrorsByCode: { credentials_exhausted: 1 } });
    expect(snapshot.byModel['gpt-6-luna']).toMatchObject({ failedCalls: 1, callErrorsByCode: { credentials_exhausted: 1 } });

    const text = collector.toPrometheus();
    expect(text).toContain('# TYPE kit_call_errors_total counter\n');
    expect(text).toContain('kit_call_errors_total{provider="openai",model="gpt-6-luna",code="credentials_exhausted"} 1\n');
    expect(formatMetricsTable(snapshot, 'provider')).toMatch(/\nopenai\s+2\s+0\s+2\s+1\s+0\.0%/);
    for (const output of [text, JSON.stringify(snapshot)]) for (const { key } of ids) expect(output).not.toContain(key);
  });

  it('a call that fails before any attempt (every key rate limited for longer than the deadline) is counted', async () => {
    // Both keys answer 429 with Retry-After: 120 s, far beyond the call's deadline (timeoutMs 5 000 × 3): no wait fits.
    upstream = await createMockUpstream({ dialect: 'openai', defaultScript: faults.rateLimited({ retryAfterSeconds: 120 }) });
    const collector = new MetricsCollector();
    const keys = new KeyManager(
      'openai',
      [
        { id: 'key-a', key: 'test-key-a' },
        { id: 'key-b', key: 'test-key-b' },
      ],
      { onEvent: collector.record },
    );
    const openai = createOpenAI({ name: 'openai', credentials: keys, baseURL: upstream.url, metrics: collector, timeoutMs: 5_000 });

    // Call 1 tries both keys; call 2 finds both still cooling down and makes no attempt at all.
    await expect(openai.complete({ model: 'gpt-6-luna', prompt: 'one' })).rejects.toMatchObject({ code: 'credentials_exhausted' });
    const afterFirst = collector.snapshot().totals;
    await expect(openai.complete({ model: 'gpt-6-luna', prompt: 'two' })).rejects.toMatchObject({ code: 'credentials_exhausted' });

    const { totals } = collector.snapshot();
    expect(chatRequests(upstream)).toHaveLength(2);
    expect(afterFirst).toMatchObject({ requests: 2, failedCalls: 1 });
    // The second call added no attempt, no attempt error: only the failed call.
    expect(totals).toMatchObject({ requests: 2, errors: 2, errorsByCode: { rate_limit: 2 }, failedCalls: 2, callErrorsByCode: { credentials_exhausted: 2 } });
    expect(collector.toPrometheus()).toContain('kit_call_errors_total{provider="openai",model="gpt-6-luna",code="credentials_exhausted"} 2\n');
  });
});
