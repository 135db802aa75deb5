import { inspect } from 'node:util';
import { KitError } from '@kit/core';
import { describe, expect, it, vi } from 'vitest';
import { MemoryCredentialStore } from './credential-store';
import { OAuthManager } from './oauth-manager';
import type { OAuthCredential } from './oauth-credential';
import {
  accessTokenOf,
  credential,
  expectNoSecrets,
  HOUR,
  kitError,
  MINUTE,
  refreshTokenOf,
  rejectionOf,
  scriptedRefresh,
  secretsIn,
  setup,
  START,
  thrownBy,
} from './test-helpers';

const three = () => [credential('a'), credential('b'), credential('c')];

describe('construction', () => {
  it.each<[string, unknown, string]>([
    ['an empty list without a store', [], 'credentials'],
    ['a list that is not an array', 'nope', 'credentials'],
    ['a credential without accessToken', [{ id: 'a' }], 'credentials[0].accessToken'],
    ['an empty accessToken', [{ id: 'a', accessToken: '' }], 'credentials[0].accessToken'],
    ['a credential without id', [{ accessToken: 'test-access-token-1' }], 'credentials[0].id'],
    ['a duplicate id', [credential('a'), credential('a')], 'credentials[1].id'],
    ['an unknown field (typo)', [{ id: 'a', accessToken: 'test-access-token-1', refresh_token: 'test-refresh-token-1' }], 'credentials[0].refresh_token'],
    ['a non-number expiresAt', [{ id: 'a', accessToken: 'test-access-token-1', expiresAt: 'soon' }], 'credentials[0].expiresAt'],
    ['an id containing the token', [{ id: 'x-test-access-token-1', accessToken: 'test-access-token-1' }], 'credentials[0].id'],
  ])('rejects %s with invalid_config naming %s', (_label, credentials, field) => {
    const error = thrownBy(() => new OAuthManager('gemini', credentials as OAuthCredential[], scriptedRefresh().refresh));
    expect(error.code).toBe('invalid_config');
    expect(error.message).toContain(field);
    expect(error.message).not.toContain('test-access-token-1');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown option', { strategy: 'weighted' }, 'options.strategy'],
    ['a typo', { refreshStratgy: 'adaptive' }, 'options.refreshStratgy'],
    ['a maxBackoffMs below initialBackoffMs', { initialBackoffMs: 5000, maxBackoffMs: 1000 }, 'options.maxBackoffMs'],
    ['a bad refresh strategy', { refreshStrategy: 'eager' }, 'options.refreshStrategy'],
    ['a store without save', { store: { load: async () => [] } }, 'options.store'],
    ['a rotation without enabled', { rotation: {} }, 'options.rotation.enabled'],
    ['a webhook that is not a URL', { monitoring: { webhookUrl: 'ftp://x' } }, 'options.monitoring.webhookUrl'],
    ['a threshold above 1', { monitoring: { failureRateThreshold: 2 } }, 'options.monitoring.failureRateThreshold'],
    ['an unknown alert kind', { monitoring: { events: ['boom'] } }, 'options.monitoring.events[0]'],
  ])('rejects %s naming %s', (_label, options, field) => {
    const error = thrownBy(() => new OAuthManager('gemini', [credential('a')], scriptedRefresh().refresh, options as never));
    expect(error.code).toBe('invalid_config');
    expect(error.message).toContain(field);
  });

  it('rejects a missing provider name or refresh function', () => {
    expect(thrownBy(() => new OAuthManager('', [credential('a')], scriptedRefresh().refresh)).message).toContain('providerName');
    expect(thrownBy(() => new OAuthManager('gemini', [credential('a')], undefined as never)).message).toContain('refresh');
  });

  it('copies the credentials given (changing the input later changes nothing)', async () => {
    const input = credential('a');
    const { manager } = setup([input], scriptedRefresh().refresh);
    input.accessToken = 'test-access-token-changed';
    expect((await manager.acquire()).secret).toBe(accessTokenOf('a'));
  });
});

describe('selection, health and backoff (as KeyManager)', () => {
  it('goes round-robin from the first credential and leases { id, secret, kind: oauth }', async () => {
    const { manager } = setup(three(), scriptedRefresh().refresh);
    const leases = [];
    for (let i = 0; i < 4; i++) leases.push(await manager.acquire());
    expect(leases.map((lease) => lease.id)).toEqual(['a', 'b', 'c', 'a']);
    expect(leases[0]).toEqual({ id: 'a', secret: accessTokenOf('a'), kind: 'oauth', sequence: 1 });
    expect(leases.map((lease) => lease.sequence)).toEqual([1, 2, 3, 4]);
  });

  it('puts baseURL (from resourceUrl) and projectId on the lease when the credential has them', async () => {
    const { manager } = setup([credential('a', { resourceUrl: 'portal.qwen.ai', projectId: 'proj-1' })], scriptedRefresh().refresh);
    expect(await manager.acquire()).toEqual({
      id: 'a',
      secret: accessTokenOf('a'),
      kind: 'oauth',
      baseURL: 'portal.qwen.ai',
      projectId: 'proj-1',
      sequence: 1,
    });
  });

  // Was run with server_error: transient faults now cool for at most maxTransientBackoffMs and never make the pool
  // refuse calls (oauth-manager.health.test.ts); the full schedule is the one of the credential's own faults.
  it('backs off 1 s → 2 s → 4 s → … → 60 s, unhealthy after 3, one success resets', async () => {
    const { manager, clock, ofType } = setup([credential('a')], scriptedRefresh().refresh);
    const backoffs: number[] = [];
    for (let n = 1; n <= 8; n++) {
      manager.reportFailure('a', kitError('permission', { status: 403 }));
      backoffs.push(manager.getCredentialHealth('a')!.backoffUntil! - clock.time);
      expect(manager.getCredentialHealth('a')!.healthy).toBe(n < 3);
    }
    expect(backoffs).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000]);
    expect(ofType('credential-unhealthy')).toHaveLength(1);
    const error = await rejectionOf(manager.acquire());
    expect(error.code).toBe('credentials_exhausted');
    expect(error.retryAfterMs).toBe(60_000);
    clock.time += 60_000;
    expect((await manager.acquire()).id).toBe('a');
    manager.reportSuccess('a');
    expect(manager.getCredentialHealth('a')).toMatchObject({ healthy: true, consecutiveFailures: 0, available: true });
    expect(manager.getCredentialHealth('a')!.backoffUntil).toBeUndefined();
    expect(ofType('credential-recovered')).toHaveLength(1);
  });

  it('skips a credential in backoff and prefers healthy ones over an unhealthy one whose backoff ran out', async () => {
    const { manager, clock } = setup(three(), scriptedRefresh().refresh);
    for (let n = 0; n < 3; n++) manager.reportFailure('a', kitError('server_error'));
    expect((await manager.acquire()).id).toBe('b');
    clock.time += 5_000;
    // a's backoff is over: it gets one probe, then healthy credentials go first until it is reported.
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push((await manager.acquire()).id);
    expect(ids).toEqual(['c', 'a', 'b', 'c']);
  });

  it('penalises only codes whose policy says so', () => {
    const { manager } = setup([credential('a')], scriptedRefresh().refresh);
    for (const code of ['invalid_request', 'not_found', 'context_length', 'content_filter', 'aborted'] as const) manager.reportFailure('a', kitError(code));
    expect(manager.getCredentialHealth('a')).toMatchObject({ consecutiveFailures: 0, healthy: true });
    manager.reportFailure('a', kitError('permission'));
    expect(manager.getCredentialHealth('a')!.consecutiveFailures).toBe(1);
  });

  it('sleeps at least the Retry-After of a rate limit and the quota cooldown of quota_exceeded', () => {
    const { manager, clock } = setup([credential('a'), credential('b')], scriptedRefresh().refresh);
    manager.reportFailure('a', kitError('rate_limit', { retryAfterMs: 30_000 }));
    expect(manager.getCredentialHealth('a')!.backoffUntil! - clock.time).toBe(30_000);
    manager.reportFailure('b', kitError('quota_exceeded'));
    expect(manager.getCredentialHealth('b')!.backoffUntil! - clock.time).toBe(HOUR);
  });

  it('skips a credential whose rate limit is used up until the reset', async () => {
    const { manager, clock } = setup([credential('a'), credential('b')], scriptedRefresh().refresh);
    manager.reportSuccess('a', { rateLimit: { requestsRemaining: 0, requestsResetAt: clock.time + 10_000 } });
    expect((await manager.acquire()).id).toBe('b');
    expect((await manager.acquire()).id).toBe('b');
    clock.time += 10_000;
    expect((await manager.acquire()).id).toBe('a');
  });

  it('acquire({ id }) hands out that credential when it is available, else selects normally', async () => {
    const { manager } = setup(three(), scriptedRefresh().refresh);
    expect((await manager.acquire({ id: 'c' })).id).toBe('c');
    manager.reportFailure('b', kitError('server_error'));
    expect((await manager.acquire({ id: 'b' })).id).toBe('a');
  });

  // c failed with a server_error before: a transient cooldown is cut short when nothing else is left (panic mode).
  it('never hands out a credential in exclude; retryAfterMs counts only the others', async () => {
    const { manager, clock } = setup(three(), scriptedRefresh().refresh);
    manager.reportFailure('c', kitError('permission'));
    clock.time += 0;
    expect((await manager.acquire({ exclude: new Set(['a']) })).id).toBe('b');
    expect((await manager.acquire({ id: 'a', exclude: new Set(['a']) })).id).toBe('b');
    const error = await rejectionOf(manager.acquire({ exclude: new Set(['a', 'b']) }));
    expect(error).toMatchObject({ code: 'credentials_exhausted', retryAfterMs: 1000 });
  });

  it('ignores reports about unknown ids', () => {
    const { manager } = setup([credential('a')], scriptedRefresh().refresh);
    expect(() => manager.reportFailure('nope', kitError('server_error'))).not.toThrow();
    expect(() => manager.reportSuccess('nope')).not.toThrow();
  });

  it('is aborted by an aborted signal', async () => {
    const { manager } = setup([credential('a')], scriptedRefresh().refresh);
    expect((await rejectionOf(manager.acquire({ signal: AbortSignal.abort() }))).code).toBe('aborted');
  });
});

describe('refresh before expiry', () => {
  it('refreshes when now > expiresAt − 5 min, keeps a refresh token the server did not rotate', async () => {
    const { refresh, calls } = scriptedRefresh({ rotate: false });
    const { manager, clock, ofType } = setup([credential('a')], refresh);
    clock.time = START + HOUR - 5 * MINUTE; // exactly at the buffer: not yet
    expect((await manager.acquire()).secret).toBe(accessTokenOf('a'));
    expect(calls).toHaveLength(0);
    clock.time += 1;
    expect((await manager.acquire()).secret).toBe(accessTokenOf('a', 1));
    expect(calls).toEqual([expect.objectContaining({ id: 'a', refreshToken: refreshTokenOf('a') })]);
    const exported = manager.export({ includeSecrets: true }).credentials[0]!;
    expect(exported).toMatchObject({ refreshToken: refreshTokenOf('a'), expiresAt: clock.time + HOUR, lastRefreshAt: clock.time, refreshCount: 1 });
    expect(ofType('token-refresh')).toEqual([expect.objectContaining({ success: true, credentialId: 'a', provider: 'gemini' })]);
  });

  it('never refreshes a token without expiresAt before it is rejected', async () => {
    const { refresh, calls } = scriptedRefresh();
    const { manager, clock } = setup([credential('a', { expiresAt: undefined })], refresh);
    clock.time += 100 * HOUR;
    await manager.acquire();
    expect(calls).toHaveLength(0);
  });

  it.each([
    ['conservative', 15 * MINUTE],
    ['default', 5 * MINUTE],
  ] as const)('the %s strategy refreshes %i ms before expiry', async (strategy, buffer) => {
    const { refresh, calls } = scriptedRefresh();
    const { manager, clock } = setup([credential('a')], refresh, { refreshStrategy: strategy });
    clock.time = START + HOUR - buffer;
    await manager.acquire();
    expect(calls).toHaveLength(0);
    clock.time += 1;
    await manager.acquire();
    expect(calls).toHaveLength(1);
  });

  it('accepts a RefreshStrategy object and gives it the credential stats', async () => {
    const bufferMs = vi.fn(() => 30 * MINUTE);
    const { refresh, calls } = scriptedRefresh();
    const { manager, clock } = setup([credential('a')], refresh, { refreshStrategy: { bufferMs } });
    clock.time = START + 31 * MINUTE;
    await manager.acquire();
    expect(calls).toHaveLength(1);
    expect(bufferMs).toHaveBeenCalledWith(expect.objectContaining({ credentialId: 'a', refreshCount: 0, refreshFailureRate: 0 }));
  });

  it('adaptive: busy credentials and slow refreshes are refreshed earlier than quiet, fast ones', async () => {
    let latency = 0;
    const clock = { time: START };
    const refresh = async (c: OAuthCredential) => {
      clock.time += latency;
      return { accessToken: `test-access-token-${c.id}-refreshed`, expiresAt: clock.time + HOUR };
    };
    const manager = new OAuthManager('gemini', [credential('busy'), credential('quiet'), credential('slow')], refresh, {
      refreshStrategy: 'adaptive',
      now: () => clock.time,
    });
    // 30 requests in a minute: the busy credential's buffer grows to 3.5 min (1 min + 30 × 5 s).
    clock.time = START + HOUR - 4 * MINUTE;
    for (let n = 0; n < 30; n++) await manager.acquire({ id: 'busy' });
    expect(manager.getCredentialMetrics('busy')!.refreshCount).toBe(0);
    clock.time = START + HOUR - 3 * MINUTE - 20_000;
    expect((await manager.acquire({ id: 'busy' })).secret).toBe('test-access-token-busy-refreshed');
    expect((await manager.acquire({ id: 'quiet' })).secret).toBe(accessTokenOf('quiet'));
    // A 4 s refresh adds 2 min (30 × 4 s) to the buffer of the next one.
    latency = 4_000;
    clock.time = START + HOUR;
    await manager.acquire({ id: 'slow' });
    latency = 0;
    clock.time = START + 2 * HOUR + 4_000 - 2 * MINUTE - 30_000;
    expect((await manager.acquire({ id: 'slow' })).secret).toBe('test-access-token-slow-refreshed');
    expect(manager.getCredentialMetrics('slow')!.refreshCount).toBe(2);
  });

  it('single-flight: 1 000 concurrent acquires of an expired credential make exactly one refresh call', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { refresh, calls } = scriptedRefresh({ gate });
    const { manager, clock } = setup([credential('a')], refresh);
    clock.time = START + 2 * HOUR;
    const leases = Array.from({ length: 1000 }, () => manager.acquire());
    await Promise.resolve();
    expect(manager.getCredentialHealth('a')!.refreshing).toBe(true);
    release();
    const settled = await Promise.all(leases);
    expect(calls).toHaveLength(1);
    expect(new Set(settled.map((lease) => lease.secret))).toEqual(new Set([accessTokenOf('a', 1)]));
    expect(manager.getCredentialMetrics('a')).toMatchObject({ requests: 1000, refreshCount: 1 });
  });

  it('a caller that aborts stops waiting, the refresh goes on for the others', async () => {
    let release!: () => void;
    const { refresh, calls } = scriptedRefresh({ gate: new Promise<void>((resolve) => (release = resolve)) });
    const { manager, clock } = setup([credential('a')], refresh);
    clock.time = START + 2 * HOUR;
    const controller = new AbortController();
    const impatient = manager.acquire({ signal: controller.signal });
    const patient = manager.acquire();
    controller.abort();
    expect((await rejectionOf(impatient)).code).toBe('aborted');
    release();
    expect((await patient).secret).toBe(accessTokenOf('a', 1));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.signal.aborted).toBe(false);
  });

  it('a refresh that hangs is aborted after refreshTimeoutMs and counts as a failure', async () => {
    vi.useFakeTimers();
    try {
      const refresh = vi.fn(
        (_credential: OAuthCredential, { signal }: { signal: AbortSignal }) =>
          new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      );
      const { manager, clock } = setup([credential('a')], refresh, { refreshTimeoutMs: 5_000 });
      clock.time = START + 2 * HOUR;
      const pending = rejectionOf(manager.acquire());
      await vi.advanceTimersByTimeAsync(5_000);
      const error = await pending;
      expect(error.code).toBe('credentials_exhausted');
      expect((error.cause as KitError).code).toBe('timeout');
      expect(manager.getCredentialHealth('a')!.consecutiveRefreshFailures).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('refresh failures', () => {
  it('a refresh failure counts against the credential and the next one is handed out', async () => {
    const { refresh } = scriptedRefresh({ fail: (c) => c.id === 'a' && kitError('authentication', { status: 400, message: 'invalid_grant' }) });
    const { manager, clock, ofType } = setup([credential('a'), credential('b', { expiresAt: START + 10 * HOUR })], refresh);
    clock.time = START + 2 * HOUR;
    const lease = await manager.acquire();
    expect(lease.id).toBe('b');
    expect(manager.getCredentialHealth('a')).toMatchObject({ consecutiveFailures: 1, consecutiveRefreshFailures: 1, available: false });
    expect(ofType('token-refresh')).toEqual([
      expect.objectContaining({ success: false, credentialId: 'a', error: expect.objectContaining({ code: 'authentication' }) }),
    ]);
    expect(ofType('credential-failure')).toHaveLength(1);
  });

  it('never hands out a token it could not refresh: with none usable, credentials_exhausted with retryAfterMs and the cause', async () => {
    const { refresh } = scriptedRefresh({ fail: () => kitError('server_error', { status: 503 }) });
    const { manager, clock } = setup([credential('a'), credential('b')], refresh);
    clock.time = START + 2 * HOUR;
    const error = await rejectionOf(manager.acquire());
    expect(error.code).toBe('credentials_exhausted');
    expect(error.retryAfterMs).toBe(1000);
    expect((error.cause as KitError).code).toBe('server_error');
    expect(error.message).toContain('token refresh of b failed');
  });

  it('after 5 refresh failures: unhealthy, 60 s → 120 s → 240 s → 480 s → 480 s, not lifted by ordinary reports', async () => {
    const { refresh } = scriptedRefresh({ fail: () => kitError('network') });
    const { manager, clock, ofType } = setup([credential('a')], refresh);
    clock.time = START + 2 * HOUR;
    const refreshBackoffs: number[] = [];
    for (let n = 1; n <= 9; n++) {
      await rejectionOf(manager.acquire());
      const health = manager.getCredentialHealth('a')!;
      refreshBackoffs.push(health.refreshBackoffUntil ? health.refreshBackoffUntil - clock.time : 0);
      // Ordinary reports neither shorten the refresh backoff nor make the credential healthy.
      manager.reportSuccess('a');
      manager.reportFailure('a', kitError('server_error'));
      manager.reportSuccess('a');
      expect(manager.getCredentialHealth('a')!.healthy).toBe(n < 5);
      expect(manager.getCredentialHealth('a')!.available).toBe(n < 5);
      clock.time = Math.max(clock.time, ...[manager.getCredentialHealth('a')!.refreshBackoffUntil ?? 0]) + 0;
      clock.time += 1;
    }
    expect(refreshBackoffs).toEqual([0, 0, 0, 0, 60_000, 120_000, 240_000, 480_000, 480_000]);
    expect(ofType('credential-unhealthy')).toHaveLength(1);
  });

  it('refresh failures do not count towards unhealthyAfter: healthy until the 5th, which makes it unhealthy', async () => {
    const { refresh } = scriptedRefresh({ fail: () => kitError('network') });
    const { manager, clock, ofType } = setup([credential('a')], refresh);
    clock.time = START + 2 * HOUR;
    const seen: [number, boolean, number][] = [];
    for (let n = 1; n <= 5; n++) {
      await rejectionOf(manager.acquire());
      const health = manager.getCredentialHealth('a')!;
      seen.push([n, health.healthy, health.consecutiveFailures]);
      // They still drive the ordinary short backoff (1 s, 2 s, 4 s, 8 s) until the refresh backoff takes over.
      clock.time = Math.max(health.backoffUntil ?? 0, health.refreshBackoffUntil ?? 0) + 1;
    }
    expect(seen).toEqual([
      [1, true, 1],
      [2, true, 2],
      [3, true, 3],
      [4, true, 4],
      [5, false, 5],
    ]);
    expect(ofType('credential-unhealthy')).toEqual([expect.objectContaining({ credentialId: 'a' })]);
  });

  it('ordinary failures turn a credential unhealthy after unhealthyAfter, refresh failures in between not counted', async () => {
    const { refresh } = scriptedRefresh({ fail: () => kitError('server_error', { status: 503 }) });
    const { manager, clock } = setup([credential('a')], refresh);
    manager.reportFailure('a', kitError('server_error'));
    manager.reportFailure('a', kitError('server_error'));
    clock.time = START + 2 * HOUR;
    await rejectionOf(manager.acquire());
    expect(manager.getCredentialHealth('a')).toMatchObject({ healthy: true, consecutiveFailures: 3, consecutiveRefreshFailures: 1 });
    manager.reportFailure('a', kitError('server_error'));
    expect(manager.getCredentialHealth('a')!.healthy).toBe(false);
  });

  it('one successful refresh lifts the refresh backoff and restores health', async () => {
    let failing = true;
    const { refresh } = scriptedRefresh({ fail: () => failing && kitError('network') });
    const { manager, clock, ofType } = setup([credential('a')], refresh);
    clock.time = START + 2 * HOUR;
    for (let n = 0; n < 5; n++) {
      await rejectionOf(manager.acquire());
      clock.time = (manager.getCredentialHealth('a')!.refreshBackoffUntil ?? clock.time) + 60_000;
    }
    expect(manager.getCredentialHealth('a')!.healthy).toBe(false);
    failing = false;
    const lease = await manager.acquire();
    expect(lease.secret).toBe(accessTokenOf('a', 6));
    expect(manager.getCredentialHealth('a')).toMatchObject({ consecutiveRefreshFailures: 0, healthy: true });
    expect(manager.getCredentialHealth('a')!.refreshBackoffUntil).toBeUndefined();
    expect(ofType('credential-recovered')).toHaveLength(1);
  });

  it('a refresh result without accessToken is a failure (invalid_response)', async () => {
    const { manager, clock } = setup([credential('a')], async () => ({ accessToken: '' }));
    clock.time = START + 2 * HOUR;
    const error = await rejectionOf(manager.acquire());
    expect((error.cause as KitError).code).toBe('invalid_response');
  });

  it('masks tokens a refresh function put into its error', async () => {
    const leaky = async (c: OAuthCredential) => {
      throw new Error(`invalid_grant for ${c.refreshToken} (client secret ${c.clientSecret})`);
    };
    const input = credential('a', { clientSecret: 'test-client-secret-abcdefgh' });
    const { manager, clock, events } = setup([input], leaky);
    clock.time = START + 2 * HOUR;
    const error = await rejectionOf(manager.acquire());
    expect(error.message).toContain('invalid_grant');
    expectNoSecrets([error, error.cause, inspect(error), events, manager.checkAlerts()], secretsIn([input]));
  });
});

describe('onUnauthorized (401)', () => {
  it('refreshes once and answers true; acquire({ id }) then hands out the new token', async () => {
    const { refresh, calls } = scriptedRefresh();
    const { manager } = setup([credential('a'), credential('b')], refresh);
    const first = await manager.acquire();
    expect(await manager.onUnauthorized(first.id)).toBe(true);
    expect(calls).toHaveLength(1);
    expect(await manager.acquire({ id: 'a' })).toMatchObject({ id: 'a', secret: accessTokenOf('a', 1) });
  });

  it('a second 401 on the refreshed token answers false (the engine moves on)', async () => {
    const { refresh, calls } = scriptedRefresh();
    const { manager } = setup([credential('a')], refresh);
    await manager.acquire();
    expect(await manager.onUnauthorized('a')).toBe(true);
    await manager.acquire({ id: 'a' });
    expect(await manager.onUnauthorized('a')).toBe(false);
    expect(calls).toHaveLength(1);
  });

  it('concurrent 401s with the old token share one refresh; late ones answer true without another', async () => {
    const { refresh, calls } = scriptedRefresh();
    const { manager } = setup([credential('a')], refresh);
    const answers = await Promise.all(Array.from({ length: 50 }, () => manager.onUnauthorized('a')));
    expect(answers.every(Boolean)).toBe(true);
    // A request that still used the old token, rejected after the refresh: the new token has not been handed out yet.
    expect(await manager.onUnauthorized('a')).toBe(true);
    expect(calls).toHaveLength(1);
  });

  it('after a success the next 401 refreshes again', async () => {
    const { refresh, calls } = scriptedRefresh();
    const { manager } = setup([credential('a')], refresh);
    expect(await manager.onUnauthorized('a')).toBe(true);
    await manager.acquire({ id: 'a' });
    manager.reportSuccess('a');
    expect(await manager.onUnauthorized('a')).toBe(true);
    expect(calls).toHaveLength(2);
  });

  it('answers false when the refresh fails or the id is unknown', async () => {
    const { refresh } = scriptedRefresh({ fail: () => kitError('authentication') });
    const { manager } = setup([credential('a')], refresh);
    expect(await manager.onUnauthorized('a')).toBe(false);
    expect(await manager.onUnauthorized('nope')).toBe(false);
    expect(manager.getCredentialHealth('a')!.consecutiveRefreshFailures).toBe(1);
  });

  it('an authentication failure that counted makes the next acquire refresh first', async () => {
    const { refresh, calls } = scriptedRefresh();
    const { manager, clock } = setup([credential('a')], refresh);
    manager.reportFailure('a', kitError('authentication'));
    clock.time += 1000;
    expect((await manager.acquire()).secret).toBe(accessTokenOf('a', 1));
    expect(calls).toHaveLength(1);
  });

  it('a 401 for a token already replaced answers true with no refresh and no failure, even after the new token was handed out', async () => {
    const { refresh, calls } = scriptedRefresh();
    const { manager, ofType } = setup([credential('a')], refresh);
    const old = (await manager.acquire()).secret;
    expect(await manager.onUnauthorized('a', { secret: old })).toBe(true);
    // The retry got the new token and has not succeeded yet; a late 401 of another request with the old token:
    const fresh = await manager.acquire({ id: 'a' });
    expect(await manager.onUnauthorized('a', { secret: old })).toBe(true);
    expect(await manager.onUnauthorized('a', { secret: old })).toBe(true);
    expect(calls).toHaveLength(1);
    expect(ofType('credential-failure')).toEqual([]);
    expect(manager.getCredentialHealth('a')).toMatchObject({ healthy: true, consecutiveFailures: 0 });
    // A 401 for the current token, which came from a refresh after a 401 and has not succeeded: the second 401.
    expect(await manager.onUnauthorized('a', { secret: fresh.secret })).toBe(false);
    expect(calls).toHaveLength(1);
  });

  it('a 401 for the current token refreshes (shared with concurrent ones), also when it was handed out many times', async () => {
    const { refresh, calls } = scriptedRefresh();
    const { manager } = setup([credential('a')], refresh);
    const leases = await Promise.all([manager.acquire(), manager.acquire(), manager.acquire()]);
    const answers = await Promise.all(leases.map((lease) => manager.onUnauthorized('a', { secret: lease.secret })));
    expect(answers).toEqual([true, true, true]);
    expect(calls).toHaveLength(1);
    expect((await manager.acquire({ id: 'a' })).secret).toBe(accessTokenOf('a', 1));
  });

  it("a refresh after a 401 that fails counts once: the engine's report of that 401 does not count again", async () => {
    const { refresh, calls } = scriptedRefresh({ fail: () => kitError('authentication', { status: 400, message: 'invalid_grant' }) });
    const { manager, ofType } = setup([credential('a')], refresh);
    const leases = await Promise.all([manager.acquire(), manager.acquire(), manager.acquire()]);
    // Three requests with the same token got a 401 together; their one refresh fails.
    const answers = await Promise.all(leases.map((lease) => manager.onUnauthorized('a', { secret: lease.secret })));
    expect(answers).toEqual([false, false, false]);
    expect(calls).toHaveLength(1);
    for (let n = 0; n < 3; n++) manager.reportFailure('a', kitError('authentication', { status: 401 }));
    expect(manager.getCredentialHealth('a')).toMatchObject({ consecutiveFailures: 1, consecutiveRefreshFailures: 1 });
    expect(manager.getCredentialMetrics('a')!.errors).toBe(1);
    expect(ofType('credential-failure')).toHaveLength(1);
    // A later, separate authentication failure counts as usual.
    manager.reportFailure('a', kitError('authentication', { status: 401 }));
    expect(manager.getCredentialHealth('a')!.consecutiveFailures).toBe(2);
  });
});

describe('persistence', () => {
  it('awaits onTokenRefresh and the store before the new token is handed out, once per refresh', async () => {
    const order: string[] = [];
    let releaseHook!: () => void;
    const hookGate = new Promise<void>((resolve) => {
      releaseHook = resolve;
    });
    let hookCalled!: () => void;
    const hookReached = new Promise<void>((resolve) => {
      hookCalled = resolve;
    });
    const store = new MemoryCredentialStore();
    const save = vi.spyOn(store, 'save');
    const onTokenRefresh = vi.fn(async (c: OAuthCredential) => {
      order.push(`hook ${c.refreshToken}`);
      hookCalled();
      await hookGate;
    });
    const { refresh } = scriptedRefresh();
    const { manager, clock } = setup([credential('a')], refresh, { onTokenRefresh, store });
    await manager.load();
    save.mockClear();
    clock.time = START + 2 * HOUR;
    let handedOut = false;
    const lease = manager.acquire().then((value) => {
      handedOut = true;
      return value;
    });
    // No sleep: wait until the hook runs, then let every pending continuation settle.
    await hookReached;
    for (let turn = 0; turn < 20; turn++) await Promise.resolve();
    expect(order).toEqual([`hook ${refreshTokenOf('a', 1)}`]);
    expect(handedOut).toBe(false);
    releaseHook();
    expect((await lease).secret).toBe(accessTokenOf('a', 1));
    expect(onTokenRefresh).toHaveBeenCalledTimes(1);
    expect(save).toHaveBeenCalledTimes(1);
    expect((await store.load())[0]).toMatchObject({ refreshToken: refreshTokenOf('a', 1), accessToken: accessTokenOf('a', 1) });
  });

  it('a failing hook or store raises an alert (event and onAlert) and the new token stays usable', async () => {
    const onAlert = vi.fn();
    const store = new MemoryCredentialStore();
    const { manager, clock, ofType } = setup([credential('a')], scriptedRefresh().refresh, {
      onTokenRefresh: () => {
        throw new Error(`disk full while writing ${refreshTokenOf('a', 1)}`);
      },
      store: { load: () => store.load(), save: async () => Promise.reject(new Error('read-only')) },
      monitoring: { onAlert },
    });
    clock.time = START + 2 * HOUR;
    expect((await manager.acquire()).secret).toBe(accessTokenOf('a', 1));
    expect(ofType('alert')).toEqual([expect.objectContaining({ kind: 'persistence-failure', severity: 'critical', credentialId: 'a' })]);
    expect(onAlert).toHaveBeenCalledWith(expect.objectContaining({ kind: 'persistence-failure' }));
    expectNoSecrets([ofType('alert'), onAlert.mock.calls], [refreshTokenOf('a', 1)]);
  });

  it('a store.save or onTokenRefresh that never settles holds requests up for refreshTimeoutMs at most; the token is used from memory', async () => {
    vi.useFakeTimers();
    try {
      const never = () => new Promise<void>(() => {});
      const { manager, clock, ofType } = setup([credential('a')], scriptedRefresh().refresh, {
        store: { load: async () => [], save: never },
        onTokenRefresh: never,
        refreshTimeoutMs: 5_000,
        monitoring: { alertIntervalMs: 0 },
      });
      let loaded = false;
      const loading = manager.load().then(() => (loaded = true));
      await vi.advanceTimersByTimeAsync(4_999);
      expect(loaded).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await loading;
      clock.time = START + 2 * HOUR;
      const leases: string[] = [];
      const pending = Promise.all([manager.acquire(), manager.acquire()]).then((all) => leases.push(...all.map((lease) => lease.secret)));
      // The hook, then the store: each given refreshTimeoutMs.
      await vi.advanceTimersByTimeAsync(10_000);
      await pending;
      expect(leases).toEqual([accessTokenOf('a', 1), accessTokenOf('a', 1)]);
      const alerts = ofType('alert');
      expect(alerts.map((alert) => `${alert.kind} ${alert.severity}`)).toEqual(Array(3).fill('persistence-failure critical'));
      expect(alerts[1]!.message).toMatch(/onTokenRefresh did not finish within 5000 ms/);
      expect(alerts[2]!.message).toMatch(/the credential store did not finish within 5000 ms/);
      expectNoSecrets([alerts], secretsIn([credential('a')]));
    } finally {
      vi.useRealTimers();
    }
  });

  it('load() merges the store: stored tokens win, stored-only credentials join, missing ones are saved', async () => {
    const store = new MemoryCredentialStore([
      credential('a', { accessToken: 'test-access-token-stored-a', refreshToken: 'test-refresh-token-stored-a', lastRefreshAt: START - 1 }),
      credential('z'),
    ]);
    const { manager } = setup([credential('a'), credential('b')], scriptedRefresh().refresh, { store });
    expect((await manager.acquire()).secret).toBe('test-access-token-stored-a');
    expect(manager.ids).toEqual(['a', 'b', 'z']);
    expect((await store.load()).map((c) => c.id).sort()).toEqual(['a', 'b', 'z']);
  });

  it('an empty list is allowed with a store; a store that cannot be read fails acquire with its error', async () => {
    const broken = { load: async () => Promise.reject(new KitError('invalid_config', 'FileCredentialStore: wrong passphrase')), save: async () => {} };
    const { manager } = setup([], scriptedRefresh().refresh, { store: broken });
    const error = await rejectionOf(manager.acquire());
    expect(error).toMatchObject({ code: 'invalid_config', message: 'FileCredentialStore: wrong passphrase' });
    const empty = setup([], scriptedRefresh().refresh, { store: new MemoryCredentialStore() }).manager;
    expect((await rejectionOf(empty.acquire())).code).toBe('credentials_exhausted');
  });
});

describe('metrics and reports', () => {
  it('counts requests, successes, errors, tokens, latency, refreshes and use times', async () => {
    const { manager, clock } = setup([credential('a')], scriptedRefresh().refresh);
    await manager.acquire();
    manager.reportSuccess('a', { latencyMs: 100, inputTokens: 10, outputTokens: 5 });
    clock.time += 1000;
    await manager.acquire();
    manager.reportSuccess('a', { latencyMs: 300, inputTokens: 1, outputTokens: 2 });
    await manager.acquire();
    manager.reportFailure('a', kitError('server_error'));
    clock.time = START + 2 * HOUR;
    await manager.acquire();
    expect(manager.getCredentialMetrics('a')).toEqual({
      id: 'a',
      requests: 4,
      successes: 2,
      errors: 1,
      tokens: { inputTokens: 11, outputTokens: 7, totalTokens: 18 },
      averageLatencyMs: 200,
      refreshCount: 1,
      refreshFailures: 0,
      lastRefreshAt: START + 2 * HOUR,
      firstUsedAt: START,
      lastUsedAt: START + 2 * HOUR,
    });
    expect(manager.getCredentialMetrics('nope')).toBeUndefined();
  });

  it('getHealthSummary counts the pool; JSON and inspect show it without tokens', async () => {
    const input = three();
    const { manager } = setup(input, scriptedRefresh().refresh);
    for (let n = 0; n < 3; n++) manager.reportFailure('b', kitError('server_error'));
    const summary = manager.getHealthSummary();
    expect(summary).toMatchObject({ provider: 'gemini', total: 3, healthy: 2, unhealthy: 1, available: 2, inBackoff: 1, retiring: 0 });
    expect(summary.credentials.map((health) => health.id)).toEqual(['a', 'b', 'c']);
    expectNoSecrets([summary, JSON.stringify(manager), inspect(manager)], secretsIn(input));
  });
});

describe('pool changes', () => {
  it('addCredential, removeCredential and updateCredential change the pool and the store', async () => {
    const store = new MemoryCredentialStore();
    const { manager } = setup([credential('a')], scriptedRefresh().refresh, { store });
    await manager.addCredential(credential('b'));
    await expect(manager.addCredential(credential('b'))).rejects.toMatchObject({ code: 'invalid_config', message: expect.stringContaining('credential.id') });
    await manager.updateCredential('b', { projectId: 'project-7', resourceUrl: 'portal.qwen.ai' });
    expect(await manager.acquire({ id: 'b' })).toMatchObject({ projectId: 'project-7', baseURL: 'portal.qwen.ai' });
    await expect(manager.updateCredential('b', { accessToken: 'x' } as never)).rejects.toMatchObject({
      message: expect.stringContaining('update.accessToken'),
    });
    await manager.removeCredential('a');
    expect(manager.ids).toEqual(['b']);
    expect(await store.load()).toEqual([expect.objectContaining({ id: 'b', projectId: 'project-7' })]);
    await expect(manager.removeCredential('a')).rejects.toMatchObject({ code: 'invalid_config' });
  });
});

describe('export and import', () => {
  it('exports without secrets unless asked', () => {
    const input = [credential('a', { clientId: 'client-1', clientSecret: 'test-client-secret-abcdefgh', scopes: ['x'] })];
    const { manager } = setup(input, scriptedRefresh().refresh);
    const safe = manager.export();
    expect(safe).toMatchObject({ version: 1, provider: 'gemini', includesSecrets: false });
    expect(safe.credentials[0]).toEqual({ id: 'a', clientId: 'client-1', scopes: ['x'], expiresAt: START + HOUR, createdAt: START, hasRefreshToken: true });
    expectNoSecrets([safe], secretsIn(input));
    const full = manager.export({ includeSecrets: true });
    expect(full.credentials[0]).toMatchObject({
      accessToken: accessTokenOf('a'),
      refreshToken: refreshTokenOf('a'),
      clientSecret: 'test-client-secret-abcdefgh',
    });
  });

  it('imports a full export into another manager (adding and replacing by id) and saves it', async () => {
    const source = setup([credential('a'), credential('b')], scriptedRefresh().refresh).manager;
    const store = new MemoryCredentialStore();
    const { manager } = setup([credential('a', { accessToken: 'test-access-token-old' })], scriptedRefresh().refresh, { store });
    expect(await manager.import(source.export({ includeSecrets: true }))).toEqual(['a', 'b']);
    expect(manager.ids).toEqual(['a', 'b']);
    expect((await manager.acquire()).secret).toBe(accessTokenOf('a'));
    expect((await store.load()).map((c) => c.accessToken).sort()).toEqual([accessTokenOf('a'), accessTokenOf('b')]);
  });

  it('refuses a secret-free export, naming the missing field, and changes nothing', async () => {
    const source = setup([credential('x'), credential('y')], scriptedRefresh().refresh).manager;
    const { manager } = setup([credential('a')], scriptedRefresh().refresh);
    const error = await rejectionOf(manager.import(source.export()));
    expect(error.code).toBe('invalid_config');
    expect(error.message).toContain('data.credentials[0].accessToken');
    expect(manager.ids).toEqual(['a']);
  });
});

describe('events never carry a token', () => {
  it('across refreshes, failures, 401s, alerts and exhaustion', async () => {
    let fail = false;
    const { refresh } = scriptedRefresh({ fail: (c) => fail && new Error(`bad token ${c.accessToken} / ${c.refreshToken}`) });
    const input = three();
    const { manager, clock, events } = setup(input, refresh, { monitoring: { onAlert: () => {} } });
    clock.time = START + 2 * HOUR;
    await manager.acquire();
    manager.reportFailure('a', new KitError('authentication', `rejected ${accessTokenOf('a', 1)}`));
    await manager.onUnauthorized('b');
    fail = true;
    clock.time += 2 * HOUR;
    const errors: unknown[] = [];
    for (let n = 0; n < 4; n++) await manager.acquire().catch((error: unknown) => errors.push(error));
    expect(errors.length).toBeGreaterThan(0);
    errors.push(...manager.checkAlerts());
    expect(events.length).toBeGreaterThan(5);
    expectNoSecrets([events, errors, errors.map((error) => inspect(error)), manager.getHealthSummary(), manager.export()], secretsIn(input));
  });
});
