import { createOpenAI } from '@kit/openai';
import { KeyManager } from '@kit/keymanager';
import type { MockUpstream } from '@kit/testkit';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { runDemo } from './demo';
import { demoKeys, startLocalUpstream } from './local-upstream';

/**
 * Runs the demo's first steps on the local upstream with one collector fed by both providers and the pool (as main.ts
 * wires them); the server closes when the test ends.
 */
async function runPoolWithMetrics(poolCalls: number, write: (text: string) => void) {
  const { MetricsCollector } = await import('@kit/metrics');
  const server = await startLocalUpstream();
  onTestFinished(() => server.close());
  const metrics = new MetricsCollector();
  const keys = new KeyManager(
    'openai',
    [
      { id: 'key-good', key: demoKeys.good },
      { id: 'key-revoked', key: demoKeys.revoked },
      { id: 'key-limited', key: demoKeys.rateLimited },
    ],
    { onEvent: metrics.record },
  );
  const single = createOpenAI({ apiKey: demoKeys.good, baseURL: server.url, metrics });
  const pooled = createOpenAI({ credentials: keys, baseURL: server.url, metrics });
  await runDemo({ single, pooled, keys, write, poolCalls });
  return metrics;
}

describe('demo client (local upstream)', () => {
  let upstream: MockUpstream | undefined;
  afterEach(async () => upstream?.close());

  it('streams, round-trips a tool call, and every pool call succeeds despite a revoked and a rate-limited key', async () => {
    upstream = await startLocalUpstream();
    const keys = new KeyManager('openai', [
      { id: 'key-good', key: demoKeys.good },
      { id: 'key-revoked', key: demoKeys.revoked },
      { id: 'key-limited', key: demoKeys.rateLimited },
    ]);
    const single = createOpenAI({ apiKey: demoKeys.good, baseURL: upstream.url, name: 'openai' });
    const pooled = createOpenAI({ credentials: keys, baseURL: upstream.url, name: 'openai-pool' });
    let output = '';
    const result = await runDemo({ single, pooled, keys, write: (text) => (output += text), poolCalls: 6 });

    expect(result).toEqual({ poolSucceeded: 6, poolCalls: 6 });
    expect(output).toContain('Three keys walk into a data centre.');
    expect(output).toContain('model calls get_weather({"city":"Paris","unit":"celsius"})');
    expect(output).toContain('model answers: It is 18 °C and sunny in Paris.');
    const health = Object.fromEntries(keys.getKeyHealth().map((key) => [key.id, key]));
    expect(health['key-good']?.healthy).toBe(true);
    expect(health['key-revoked']?.lastErrorCode).toBe('authentication');
    expect(health['key-limited']?.lastErrorCode).toBe('rate_limit');
    for (const secret of Object.values(demoKeys)) expect(output).not.toContain(secret);
  });
});

describe('demo client: the Anthropic step', () => {
  it('streams Claude thinking and text through a pool whose first key is revoked', async () => {
    const { createAnthropic } = await import('@kit/anthropic');
    const { anthropicDemoKeys, runAnthropicStep, startLocalAnthropic } = await import('./anthropic-step');
    const server = await startLocalAnthropic();
    try {
      const keys = new KeyManager('anthropic', [
        { id: 'claude-revoked', key: anthropicDemoKeys.revoked },
        { id: 'claude-good', key: anthropicDemoKeys.good },
      ]);
      let output = '';
      const ok = await runAnthropicStep(createAnthropic({ credentials: keys, baseURL: server.url }), keys, (text) => (output += text));
      expect(ok).toBe(true);
      expect(output).toContain('(thinking) The caller wants to know which key answered.');
      expect(output).toContain('this answer came from the second');
      expect(output).toMatch(/via claude-good/);
      expect(output).toMatch(/claude-revoked +last error authentication/);
      for (const secret of Object.values(anthropicDemoKeys)) expect(output).not.toContain(secret);
    } finally {
      await server.close();
    }
  });
});

describe('demo client: the metrics step', () => {
  it('tables per provider and per credential, and Prometheus text, from one collector; no key in them', async () => {
    const { runMetricsStep } = await import('./metrics-step');
    const metrics = await runPoolWithMetrics(4, () => {});
    let output = '';
    runMetricsStep(metrics, (text) => (output += text), { prometheus: true });
    expect(output).toMatch(/openai:key-revoked .* authentication×1/);
    expect(output).toMatch(/openai:key-limited .* rate_limit×1/);
    expect(output).toMatch(/openai:key-good +healthy +4 +4 +0/);
    expect(output).toContain('kit_requests_total{provider="openai",model=');
    for (const secret of Object.values(demoKeys)) expect(output).not.toContain(secret);
  });
});

describe('demo client: one state per key in every table', () => {
  it('a key that just failed authentication is unhealthy in the key table, the metrics table and kit_credential_healthy; Prometheus text is summarised', async () => {
    const { runMetricsStep } = await import('./metrics-step');
    let output = '';
    const write = (text: string) => (output += text);
    const metrics = await runPoolWithMetrics(3, write);
    // The revoked key's 1 s backoff may well be over by now: it must not read as healthy for that.
    runMetricsStep(metrics, write);

    expect(output).toMatch(/\nkey-revoked +unhealthy +1 +1 +refused by the provider \(authentication\)/);
    expect(output).toMatch(/\nkey-limited +backoff +1 +1 +last error rate_limit, sleeps \d+ s more/);
    expect(output).toMatch(/\nkey-good +healthy +0 +3 +answering/);
    expect(output).toMatch(/\nopenai:key-revoked +UNHEALTHY /);
    expect(output).toMatch(/\nopenai:key-limited +healthy /);
    expect(output).toMatch(/\nkit_credential_healthy == 0: openai:key-revoked\n/);
    expect(output).not.toMatch(/key-revoked +healthy/);
    expect(output).toMatch(/Prometheus text \(GET \/metrics\): \d+ families, \d+ samples/);
    expect(output).not.toContain('# TYPE');
    for (const secret of Object.values(demoKeys)) expect(output).not.toContain(secret);
  });

  it('describeKey: refused → unhealthy, another failure in cooldown → backoff, reported unhealthy → unhealthy', async () => {
    const { describeKey } = await import('./demo');
    const base = { id: 'k', available: true, disabled: false, requests: 1, successes: 0, failures: 1, weight: 1 };
    const now = 1_000_000;
    expect(describeKey({ ...base, healthy: true, consecutiveFailures: 0 }, now)).toEqual({ state: 'healthy', why: 'answering' });
    expect(describeKey({ ...base, healthy: true, consecutiveFailures: 1, lastErrorCode: 'permission' }, now).state).toBe('unhealthy');
    expect(describeKey({ ...base, healthy: true, consecutiveFailures: 1, lastErrorCode: 'server_error', backoffUntil: now + 2000 }, now)).toEqual({
      state: 'backoff',
      why: 'last error server_error, sleeps 2 s more',
    });
    expect(describeKey({ ...base, healthy: true, consecutiveFailures: 1, lastErrorCode: 'server_error' }, now).state).toBe('healthy');
    expect(describeKey({ ...base, healthy: false, consecutiveFailures: 3, lastErrorCode: 'server_error' }, now)).toEqual({
      state: 'unhealthy',
      why: '3 failures in a row, last server_error',
    });
  });
});

describe('demo client: the OAuth step', () => {
  it('three Vertex service accounts: every call succeeds while one token expires mid-run and one key is revoked; no secret is shown', async () => {
    const { runOAuthStep } = await import('./oauth-step');
    let output = '';
    const result = await runOAuthStep((text) => (output += text), { calls: 6 });
    // vertex-us: its first token, then one more when the 12-minute token ran out mid-run.
    expect(result).toEqual({ succeeded: 6, calls: 6, rejected: 0, tokenRequests: 2 });
    expect(output).toMatch(/token refresh of vertex-asia: failed \(authentication\)/);
    expect(output.match(/token refresh of vertex-us: ok/g)).toHaveLength(2);
    expect(output).toMatch(/call \d: ok via vertex-us — "Answer from us-central1\."/);
    expect(output).toMatch(/call \d: ok via vertex-eu — "Answer from europe-west4\."/);
    expect(output).not.toMatch(/via vertex-asia/);
    expect(output).not.toMatch(/test-google-token|PRIVATE KEY|eyJ/);
  }, 60_000);
});

describe('demo client: the router step', () => {
  it('a fallback chain survives a dead provider and a race is won by the fastest, its loser aborted', async () => {
    const { runRouterStep } = await import('./router-step');
    let output = '';
    const result = await runRouterStep((text) => (output += text));
    expect(result.fallbackAnswered).toBe(true);
    expect(result.raceWinner).toBe('fast-provider');
    expect(output).toMatch(/\[fallback\] dead-provider failed \(network\), moving to backup-provider/);
    expect(output).toContain('The fast provider won the race.');
    expect(output).not.toContain('demo-router-key');
  });
});
