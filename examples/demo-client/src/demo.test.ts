import { createOpenAI } from '@kit/openai';
import { KeyManager } from '@kit/keymanager';
import type { MockUpstream } from '@kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { runDemo } from './demo';
import { demoKeys, startLocalUpstream } from './local-upstream';

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
    const { MetricsCollector } = await import('@kit/metrics');
    const { runMetricsStep } = await import('./metrics-step');
    const server = await startLocalUpstream();
    try {
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
      let output = '';
      await runDemo({ single, pooled, keys, write: () => {}, poolCalls: 4 });
      runMetricsStep(metrics, (text) => (output += text));
      expect(output).toMatch(/openai:key-revoked .* authentication×1/);
      expect(output).toMatch(/openai:key-limited .* rate_limit×1/);
      expect(output).toMatch(/openai:key-good +healthy +4 +4 +0/);
      expect(output).toContain('kit_requests_total{provider="openai",model=');
      for (const secret of Object.values(demoKeys)) expect(output).not.toContain(secret);
    } finally {
      await server.close();
    }
  });
});

describe('demo client: the OAuth step', () => {
  it('every call succeeds while one token expires mid-run and another account cannot refresh; no token is shown', async () => {
    const { runOAuthStep } = await import('./oauth-step');
    let output = '';
    const result = await runOAuthStep((text) => (output += text), { calls: 6 });
    expect(result).toEqual({ succeeded: 6, calls: 6, rejected: 0 });
    expect(output).toMatch(/token refresh of alice: failed \(authentication\)/);
    expect(output).toMatch(/token refresh of bob: ok/);
    expect(output).toMatch(/call 6: ok via bob/);
    expect(output).not.toMatch(/test-(access|refresh)-token/);
  });
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
