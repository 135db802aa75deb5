import { KitError, type KitEvent } from '@kit/core';
import { describe, expect, it } from 'vitest';
import { MetricsCollector } from './metrics-collector';
import { events } from './test-events';

const pricing = { openai: { 'gpt-4.1-mini': { inputPerMTok: 0.4, outputPerMTok: 1.6, cachedInputPerMTok: 0.1 } } };

describe('MetricsCollector: counts and rates from scripted event sequences', () => {
  it('counts attempts: a call that fails over from a revoked key to a good one is 2 requests, 1 success, 1 error', () => {
    const metrics = new MetricsCollector({ pricing });
    const revoked = events({ model: 'gpt-4.1-mini', credentialId: 'key-revoked' });
    const good = events({ model: 'gpt-4.1-mini', credentialId: 'key-good' });
    metrics.record(revoked.start());
    metrics.record(revoked.error(12, { code: 'authentication', status: 401, message: 'invalid key' }, true));
    metrics.record(good.failover('key-revoked', 'key-good', 'authentication'));
    metrics.record(good.start());
    metrics.record(good.firstToken(40));
    metrics.record(good.success(200, { inputTokens: 1000, outputTokens: 80, totalTokens: 1080 }, { ttftMs: 40 }));

    const { totals, byProvider, byModel, byCredential } = metrics.snapshot();
    expect(totals).toMatchObject({ requests: 2, successes: 1, errors: 1, retries: 1, failedCalls: 0, successRate: 0.5, failovers: 1 });
    expect(totals.errorsByCode).toEqual({ authentication: 1 });
    expect(totals.errorsByStatus).toEqual({ '401': 1 });
    expect(byProvider.openai?.requests).toBe(2);
    expect(byModel['gpt-4.1-mini']?.requests).toBe(2);
    expect(byCredential['openai:key-revoked']).toMatchObject({ requests: 1, successes: 0, errors: 1, failovers: 1, successRate: 0 });
    expect(byCredential['openai:key-good']).toMatchObject({ requests: 1, successes: 1, errors: 0, successRate: 1 });
    expect(byCredential['openai:key-good']?.tokens).toEqual({ input: 1000, output: 80, cached: 0, cacheWrite: 0, reasoning: 0, total: 1080 });
    // Latency is over successful attempts only; TTFT from the stream-first-token event.
    expect(totals.latency).toMatchObject({ count: 1, avg: 200, min: 200, max: 200, p50: 200, p99: 200 });
    expect(totals.timeToFirstToken).toMatchObject({ count: 1, p50: 40 });
    // 80 output tokens in 200 - 40 ms of generation.
    expect(totals.tokensPerSecond).toBeCloseTo(500, 6);
  });

  it("uses the server's own generation time for tokens per second when the upstream reports it (Ollama's eval_duration)", () => {
    const metrics = new MetricsCollector();
    const e = events({ provider: 'ollama', model: 'llama3.2' });
    metrics.record(e.start());
    // 300 tokens, 2 s of client latency (model load and queueing included) but 1.5 s of generation on the server.
    const success = e.success(2_000, { inputTokens: 26, outputTokens: 300, totalTokens: 326 }, { streaming: false }) as Extract<
      KitEvent,
      { type: 'request-success' }
    >;
    metrics.record({ ...success, serverTimings: { totalMs: 1_900, loadMs: 300, generationMs: 1_500 } });
    expect(metrics.snapshot().totals.tokensPerSecond).toBeCloseTo(200, 6);
  });

  it('a stream that fails after its first content: a TTFT, a final error (no retry), no success and no tokens', () => {
    const metrics = new MetricsCollector();
    const stream = events({ model: 'gpt-4.1-mini', credentialId: 'key-1' });
    metrics.record(stream.start());
    metrics.record(stream.firstToken(30));
    metrics.record(stream.error(90, { code: 'network', message: 'socket reset' }, false));

    const { totals, byCredential } = metrics.snapshot();
    // (Failed calls come from `call-error` events only; this sequence has none.)
    expect(totals).toMatchObject({ requests: 1, successes: 0, errors: 1, retries: 0, successRate: 0 });
    expect(totals.timeToFirstToken).toMatchObject({ count: 1, p50: 30 });
    expect(totals.latency.count).toBe(0);
    expect(totals.tokens.total).toBe(0);
    expect(totals.errorsByCode).toEqual({ network: 1 });
    expect(totals.errorsByStatus).toEqual({});
    expect(totals.lastError).toEqual({ code: 'network', message: 'socket reset' });
    expect(byCredential['openai:key-1']?.healthy).toBe(true);
  });

  it('counts retries, failed calls (from call-error) and errors by code and status across a mixed run', () => {
    const metrics = new MetricsCollector();
    const a = events({ model: 'm', credentialId: 'a' });
    // Call 1: 500 retried, then 503 final: the engine then reports the call.
    metrics.record(a.start());
    metrics.record(a.error(5, { code: 'server_error', status: 500, message: 'boom' }, true));
    metrics.record(a.start(true, 2));
    metrics.record(a.error(6, { code: 'server_error', status: 503, message: 'overloaded' }, false));
    metrics.record(a.callError({ code: 'server_error', status: 503, message: 'overloaded' }, 2));
    // Call 2: success, non-streaming.
    metrics.record(a.start(false));
    metrics.record(a.success(50, { inputTokens: 10, outputTokens: 5, totalTokens: 15 }, { streaming: false }));

    const { totals, byModel, byCredential } = metrics.snapshot();
    expect(totals).toMatchObject({ requests: 3, successes: 1, errors: 2, retries: 1, failedCalls: 1, abortedCalls: 0 });
    expect(totals.successRate).toBeCloseTo(1 / 3, 10);
    expect(totals.errorsByCode).toEqual({ server_error: 2 });
    expect(totals.errorsByStatus).toEqual({ '500': 1, '503': 1 });
    expect(totals.callErrorsByCode).toEqual({ server_error: 1 });
    expect(byModel.m).toMatchObject({ failedCalls: 1, callErrorsByCode: { server_error: 1 } });
    // The call-error names no credential: the credential's own series counts attempts only.
    expect(byCredential['openai:a']).toMatchObject({ errors: 2, failedCalls: 0, callErrorsByCode: {} });
    // Non-streaming: tokens per second over the whole attempt.
    expect(totals.tokensPerSecond).toBeCloseTo(100, 6);
    expect(totals.timeToFirstToken.count).toBe(0);
  });

  it('a call that fails before any attempt (every credential down) is a failed call and nothing else', () => {
    const metrics = new MetricsCollector();
    const pool = events({ model: 'gpt-4.1-mini', at: 4_000 });
    metrics.record(pool.callError({ code: 'credentials_exhausted', message: 'openai: every credential is cooling down' }, 0, 0));
    const { totals, byProvider, byModel, byCredential } = metrics.snapshot();
    expect(totals).toMatchObject({ requests: 0, successes: 0, errors: 0, retries: 0, failedCalls: 1, successRate: 0, errorsByCode: {} });
    expect(totals.callErrorsByCode).toEqual({ credentials_exhausted: 1 });
    expect(byProvider.openai).toMatchObject({
      failedCalls: 1,
      lastErrorAt: 4_000,
      lastError: { code: 'credentials_exhausted', message: 'openai: every credential is cooling down' },
    });
    expect(byModel['gpt-4.1-mini']?.failedCalls).toBe(1);
    expect(byCredential).toEqual({});
  });

  it("the caller's abort is not an error: counted as aborted, left out of errors, successRate, codes and lastError", () => {
    const metrics = new MetricsCollector();
    const a = events({ model: 'm', credentialId: 'a' });
    // Call 1 succeeds; call 2 is aborted mid-attempt (the engine then reports the call as aborted); call 3 is
    // aborted while it waited for a cooling pool, before any attempt.
    metrics.record(a.start());
    metrics.record(a.success(50));
    metrics.record(a.start());
    metrics.record(a.error(7, { code: 'aborted', message: 'openai: the request was aborted' }, false));
    metrics.record(a.callError({ code: 'aborted', message: 'openai: the request was aborted' }, 1));
    metrics.record(a.callError({ code: 'aborted', message: 'openai: the request was aborted' }, 0));

    const { totals, byCredential } = metrics.snapshot();
    expect(totals).toMatchObject({ requests: 2, successes: 1, errors: 0, aborted: 1, successRate: 1, failedCalls: 0, abortedCalls: 2 });
    expect(totals.errorsByCode).toEqual({});
    expect(totals.callErrorsByCode).toEqual({});
    expect(totals.lastError).toBeUndefined();
    expect(totals.lastErrorAt).toBeUndefined();
    expect(byCredential['openai:a']).toMatchObject({ errors: 0, aborted: 1, successRate: 1 });
  });

  it('an invalid error code from a third-party source counts as "unknown" (a bounded set of keys and labels)', () => {
    const metrics = new MetricsCollector();
    const a = events({ model: 'm', credentialId: 'a' });
    metrics.record(a.start());
    metrics.record(a.error(5, { code: 'made-up code' as never, message: 'odd' }, false));
    metrics.record(a.callError({ code: 42 as never, message: 'odd' }, 1));
    const { totals } = metrics.snapshot();
    expect(totals.errorsByCode).toEqual({ unknown: 1 });
    expect(totals.callErrorsByCode).toEqual({ unknown: 1 });
    expect(totals.lastError).toEqual({ code: 'unknown', message: 'odd' });
  });

  it('token refreshes count per credential and provider, not per model', () => {
    const metrics = new MetricsCollector();
    const account = events({ provider: 'gemini', credentialId: 'account-1' });
    metrics.record(account.refresh(true));
    metrics.record(account.refresh(false));
    metrics.record(account.refresh(true));
    const snapshot = metrics.snapshot();
    expect(snapshot.totals.tokenRefreshes).toEqual({ total: 3, successes: 2, failures: 1 });
    expect(snapshot.byProvider.gemini?.tokenRefreshes).toEqual({ total: 3, successes: 2, failures: 1 });
    expect(snapshot.byCredential['gemini:account-1']?.tokenRefreshes).toEqual({ total: 3, successes: 2, failures: 1 });
    expect(snapshot.byModel).toEqual({});
  });

  it('follows credential health: failure → unhealthy → recovered, and a success recovers too', () => {
    let now = 5_000;
    const metrics = new MetricsCollector({ now: () => now });
    const key = events({ credentialId: 'key-2', at: 2_000 });
    metrics.record(key.credentialFailure(1, 1000));
    expect(metrics.getCredentialHealth()).toEqual([
      { provider: 'openai', credentialId: 'key-2', healthy: true, consecutiveFailures: 1, lastFailureAt: 2_000, backoffUntil: 3_000 },
    ]);
    metrics.record(key.credentialFailure(3, 4000));
    metrics.record(key.unhealthy(3));
    expect(metrics.snapshot().byCredential['openai:key-2']).toMatchObject({ healthy: false, consecutiveFailures: 3, backoffUntil: 6_000 });
    metrics.record(key.recovered());
    expect(metrics.getCredentialHealth()[0]).toEqual({
      provider: 'openai',
      credentialId: 'key-2',
      healthy: true,
      consecutiveFailures: 0,
      lastFailureAt: 2_000,
    });
    metrics.record(key.unhealthy(4));
    metrics.record(key.start());
    metrics.record(key.success(10));
    expect(metrics.getCredentialHealth()[0]).toMatchObject({ healthy: true, consecutiveFailures: 0 });
    now = 9_000;
    expect(metrics.snapshot()).toMatchObject({ takenAt: 9_000, since: 5_000 });
  });

  it('a credential the provider refused (authentication, permission) is unhealthy at once, in the snapshot and the gauge, until a success', () => {
    const metrics = new MetricsCollector();
    const revoked = events({ credentialId: 'key-revoked' });
    const forbidden = events({ credentialId: 'key-forbidden' });
    const limited = events({ credentialId: 'key-limited' });
    // One failure each: below the managers' unhealthyAfter (3), so no credential-unhealthy event comes.
    metrics.record(revoked.credentialFailure(1, 1000, 'authentication'));
    metrics.record(forbidden.credentialFailure(1, 1000, 'permission'));
    metrics.record(limited.credentialFailure(1, 30_000, 'rate_limit'));
    const health = Object.fromEntries(metrics.getCredentialHealth().map((entry) => [entry.credentialId, entry.healthy]));
    expect(health).toEqual({ 'key-revoked': false, 'key-forbidden': false, 'key-limited': true });
    const prometheus = metrics.toPrometheus();
    expect(prometheus).toContain('kit_credential_healthy{provider="openai",credential="key-revoked"} 0');
    expect(prometheus).toContain('kit_credential_healthy{provider="openai",credential="key-forbidden"} 0');
    expect(prometheus).toContain('kit_credential_healthy{provider="openai",credential="key-limited"} 1');
    metrics.record(revoked.start());
    metrics.record(revoked.success(10));
    expect(metrics.snapshot().byCredential['openai:key-revoked']).toMatchObject({ healthy: true, consecutiveFailures: 0 });
  });

  it('keeps the last rate-limit headers of a credential and counts alerts', () => {
    const metrics = new MetricsCollector();
    const key = events({ credentialId: 'key-1', model: 'm' });
    metrics.record(key.rateLimit(10));
    metrics.record(key.rateLimit(9));
    metrics.record(key.alert());
    const credential = metrics.snapshot().byCredential['openai:key-1'];
    expect(credential?.rateLimit).toEqual({ requestsRemaining: 9, requestsLimit: 100 });
    expect(credential?.alerts).toBe(1);
    expect(metrics.snapshot().totals.alerts).toBe(1);
  });

  it('separates providers, models and credentials, and keys credentials by provider:credentialId', () => {
    const metrics = new MetricsCollector();
    for (const [provider, model, credentialId] of [
      ['openai', 'gpt-4.1-mini', 'key-1'],
      ['openai', 'gpt-4.1', 'key-1'],
      ['anthropic', 'claude-sonnet-4-5', 'key-1'],
      ['openai', 'gpt-4.1', 'key-2'],
    ] as const) {
      const e = events({ provider, model, credentialId });
      metrics.record(e.start());
      metrics.record(e.success(10));
    }
    const snapshot = metrics.snapshot();
    expect(Object.keys(snapshot.byProvider).sort()).toEqual(['anthropic', 'openai']);
    expect(snapshot.byProvider.openai?.requests).toBe(3);
    expect(snapshot.byModel['gpt-4.1']?.requests).toBe(2);
    expect(Object.keys(snapshot.byCredential).sort()).toEqual(['anthropic:key-1', 'openai:key-1', 'openai:key-2']);
    expect(snapshot.byCredential['openai:key-1']?.requests).toBe(2);
    expect(snapshot.totals.requests).toBe(4);
  });

  it('reset() forgets everything but keeps subscriptions', async () => {
    let now = 1;
    const metrics = new MetricsCollector({ now: () => now });
    const seen: string[] = [];
    metrics.subscribe((event) => void seen.push(event.type));
    const e = events({ model: 'm', credentialId: 'k' });
    metrics.record(e.start());
    now = 50;
    metrics.reset();
    expect(metrics.snapshot()).toMatchObject({ since: 50, totals: { requests: 0 }, byProvider: {}, byModel: {}, byCredential: {} });
    expect(metrics.toPrometheus()).not.toContain('kit_requests_total{');
    metrics.record(e.start());
    expect(metrics.snapshot().byCredential['openai:k']?.requests).toBe(1);
    await Promise.resolve();
    expect(seen).toEqual(['request-start', 'request-start']);
  });

  it('ignores malformed and unknown events without throwing', () => {
    const metrics = new MetricsCollector();
    const bad = [
      null,
      undefined,
      42,
      'x',
      {},
      { type: 'no-such-event', provider: 'openai', at: 1 },
      { type: 'request-success', provider: 'openai', at: 1 },
    ] as unknown as KitEvent[];
    for (const event of bad) expect(() => metrics.record(event)).not.toThrow();
    metrics.record({ type: 'request-error', provider: 'openai', at: 1 } as unknown as KitEvent);
    const { totals } = metrics.snapshot();
    // The success without usage or latency counts as a success with nothing else; the bare error as code "unknown".
    expect(totals).toMatchObject({ successes: 1, errors: 1, errorsByCode: { unknown: 1 } });
    expect(totals.latency.count).toBe(0);
  });

  it('record is bound: it can be handed over as a listener', () => {
    const metrics = new MetricsCollector();
    const onEvent: (event: KitEvent) => void = metrics.record;
    onEvent(events().start());
    expect(metrics.snapshot().totals.requests).toBe(1);
  });

  it('toJSON() is the snapshot and the snapshot is plain JSON', () => {
    const metrics = new MetricsCollector({ pricing, now: () => 7 });
    const e = events({ model: 'gpt-4.1-mini', credentialId: 'key-1' });
    metrics.record(e.start());
    metrics.record(e.error(3, { code: 'rate_limit', status: 429, message: 'slow down' }, true));
    metrics.record(e.start());
    metrics.record(e.success(20, { inputTokens: 1, outputTokens: 1, totalTokens: 2 }));
    const snapshot = metrics.snapshot();
    expect(JSON.parse(JSON.stringify(metrics))).toEqual(snapshot);
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
  });
});

describe('MetricsCollector: options', () => {
  it.each([
    [{ percentileWindow: 0 }, 'percentileWindow'],
    [{ percentileWindow: 1.5 }, 'percentileWindow'],
    [{ latencyBucketsMs: [] }, 'latencyBucketsMs'],
    [{ latencyBucketsMs: [10, 5] }, 'latencyBucketsMs[1]'],
    [{ latencyBucketsMs: [10, Number.NaN] }, 'latencyBucketsMs[1]'],
    [{ now: 5 }, 'now'],
    [{ pricing: 'cheap' }, 'pricing'],
    [{ pricing: { openai: { 'gpt-x': { inputPerMTok: -1, outputPerMTok: 1 } } } }, 'pricing.openai.gpt-x'],
    [{ pricing: { openai: { 'gpt-x': { inputPerMTok: 1 } } } }, 'pricing.openai.gpt-x'],
    [{ colour: 'blue' }, 'colour'],
    [{ pricing: { openai: { 'gpt-x': { inputPerMTok: 1, outputPerMTok: 1, cacheWriteInputPerMTok: -1 } } } }, 'pricing.openai.gpt-x.cacheWriteInputPerMTok'],
    // A misspelt price field is an error, not a silent default.
    [{ pricing: { openai: { 'gpt-x': { inputPerMTok: 1, outputPerMTok: 1, cachedInputPerMtok: 0.1 } } } }, 'pricing.openai.gpt-x.cachedInputPerMtok'],
    [{ pricing: { openai: [] } }, 'pricing.openai'],
  ])('rejects %j naming %s', (options, field) => {
    let caught: unknown;
    try {
      new MetricsCollector(options as never);
    } catch (error) {
      caught = error;
    }
    expect(KitError.is(caught)).toBe(true);
    expect((caught as KitError).code).toBe('invalid_config');
    expect((caught as KitError).message).toContain(field);
  });

  it('validates with core\'s strict schema: the same "what: field: problem" messages as every package', () => {
    const messageOf = (options: unknown) => {
      try {
        new MetricsCollector(options as never);
      } catch (error) {
        return (error as KitError).message;
      }
      return undefined;
    };
    expect(messageOf({ colour: 'blue' })).toBe('MetricsCollector: options.colour: is not a known option');
    expect(messageOf({ percentileWindow: 1.5, now: 5 })).toBe(
      'MetricsCollector: options.percentileWindow: must be an integer; options.now: must be a function returning epoch milliseconds',
    );
    expect(messageOf({ latencyBucketsMs: [10, 5] })).toBe('MetricsCollector: options.latencyBucketsMs[1]: must be greater than the bound before it');
    expect(messageOf({ pricing: { openai: { 'gpt-x': { inputPerMTok: 1 } } } })).toBe(
      'MetricsCollector: options.pricing.openai.gpt-x.outputPerMTok: is required',
    );
    expect(messageOf(null)).toBe('MetricsCollector: options: must be an object');
    expect(
      messageOf({ pricing: (provider: string) => (provider ? undefined : undefined), percentileWindow: 8, latencyBucketsMs: [1, 2], now: () => 0 }),
    ).toBeUndefined();
  });

  it('uses a custom percentile window: percentiles over the last N values only', () => {
    const metrics = new MetricsCollector({ percentileWindow: 3 });
    const e = events();
    for (const latency of [1000, 1000, 1000, 10, 20, 30]) metrics.record(e.success(latency));
    const { latency } = metrics.snapshot().totals;
    expect(latency).toMatchObject({ count: 6, min: 10, max: 1000, p50: 20, p99: 30 });
    expect(latency.avg).toBeCloseTo(3060 / 6, 10);
  });
});
