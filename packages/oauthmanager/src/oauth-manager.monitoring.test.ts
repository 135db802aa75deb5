import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryCredentialStore } from './credential-store';
import { credential, expectNoSecrets, HOUR, kitError, MINUTE, scriptedRefresh, secretsIn, setup, START, thrownBy } from './test-helpers';

const DAY = 24 * HOUR;

afterEach(() => {
  vi.useRealTimers();
});

describe('checkAlerts', () => {
  it('raises failure-rate above 25 % over at least 10 requests, not below either bound', () => {
    const { manager } = setup([credential('a'), credential('b')], scriptedRefresh().refresh);
    // a: 3 failures in 9 requests (33 %, too few requests); b: 2 in 10 (20 %).
    for (let n = 0; n < 6; n++) manager.reportSuccess('a');
    for (let n = 0; n < 3; n++) manager.reportFailure('a', kitError('server_error'));
    for (let n = 0; n < 8; n++) manager.reportSuccess('b');
    for (let n = 0; n < 2; n++) manager.reportFailure('b', kitError('server_error'));
    expect(manager.checkAlerts().filter((alert) => alert.kind === 'failure-rate')).toEqual([]);
    manager.reportSuccess('a'); // 3 of 10 = 30 %
    expect(manager.checkAlerts().filter((alert) => alert.kind === 'failure-rate')).toEqual([
      expect.objectContaining({ kind: 'failure-rate', credentialId: 'a', provider: 'gemini', severity: 'warning', at: START }),
    ]);
  });

  it('each kind at most once per hour per credential (simulated hour on a fake clock)', () => {
    const onAlert = vi.fn();
    const { manager, clock, ofType } = setup([credential('a'), credential('b')], scriptedRefresh().refresh, { monitoring: { onAlert } });
    for (let n = 0; n < 10; n++) manager.reportFailure('a', kitError('invalid_response'));
    for (let n = 0; n < 10; n++) manager.reportFailure('b', kitError('invalid_response'));
    const first = manager.checkAlerts();
    expect(first.map((alert) => `${alert.credentialId} ${alert.kind}`).sort()).toEqual([
      'a credential-unhealthy',
      'a failure-rate',
      'b credential-unhealthy',
      'b failure-rate',
    ]);
    clock.time += 59 * MINUTE;
    expect(manager.checkAlerts()).toEqual([]);
    clock.time += MINUTE - 1;
    expect(manager.checkAlerts()).toEqual([]);
    clock.time += 1;
    expect(manager.checkAlerts()).toHaveLength(4);
    expect(onAlert).toHaveBeenCalledTimes(8);
    expect(ofType('alert')).toHaveLength(8);
  });

  it('a more severe alert of a kind gets through within the hour (default interval); a repeat or a milder one does not', async () => {
    const { refresh } = scriptedRefresh({ fail: () => kitError('network') });
    const { manager, clock, ofType } = setup([credential('a')], refresh);
    clock.time = START + 2 * HOUR;
    const failRefresh = async () => {
      await manager.acquire().catch(() => {});
      const health = manager.getCredentialHealth('a')!;
      clock.time = Math.max(health.backoffUntil ?? 0, health.refreshBackoffUntil ?? 0) + 1;
    };
    for (let n = 1; n <= 6; n++) await failRefresh();
    expect(clock.time - (START + 2 * HOUR)).toBeLessThan(HOUR);
    // Warning at the 1st failure; critical at the 5th (unhealthy), within the hour of the warning; nothing else.
    expect(ofType('alert').map((alert) => `${alert.kind} ${alert.severity}`)).toEqual(['refresh-failure warning', 'refresh-failure critical']);
    expect(manager.checkAlerts().filter((alert) => alert.kind === 'refresh-failure')).toEqual([]);

    // token-expiring: warning while the token lives, critical once it expired half an hour later.
    const stuck = setup([credential('stuck', { refreshToken: undefined, expiresAt: START + 30 * MINUTE })], refresh);
    expect(stuck.manager.checkAlerts()).toEqual([expect.objectContaining({ kind: 'token-expiring', severity: 'warning' })]);
    stuck.clock.time = START + 10 * MINUTE;
    expect(stuck.manager.checkAlerts()).toEqual([]);
    stuck.clock.time = START + 31 * MINUTE;
    expect(stuck.manager.checkAlerts()).toEqual([expect.objectContaining({ kind: 'token-expiring', severity: 'critical' })]);
    stuck.clock.time = START + 50 * MINUTE;
    expect(stuck.manager.checkAlerts()).toEqual([]);
  });

  it('token-expiring only for a token that cannot be refreshed, within expiryWarningMs', () => {
    const { manager, clock } = setup(
      [
        credential('refreshable', { expiresAt: START + HOUR }),
        credential('stuck', { refreshToken: undefined, expiresAt: START + 23 * HOUR }),
        credential('later', { refreshToken: undefined, expiresAt: START + 25 * HOUR }),
      ],
      scriptedRefresh().refresh,
    );
    expect(manager.checkAlerts()).toEqual([expect.objectContaining({ kind: 'token-expiring', credentialId: 'stuck', severity: 'warning' })]);
    clock.time = START + 26 * HOUR;
    expect(manager.checkAlerts()).toEqual([
      expect.objectContaining({ kind: 'token-expiring', credentialId: 'stuck', severity: 'critical', message: expect.stringContaining('has expired') }),
      expect.objectContaining({ kind: 'token-expiring', credentialId: 'later', severity: 'critical' }),
    ]);
  });

  it('a refresh failure raises refresh-failure at once (warning), critical once unhealthy; alertOnRefreshFailure: false silences it', async () => {
    const { refresh } = scriptedRefresh({ fail: () => kitError('network') });
    const { manager, clock, ofType } = setup([credential('a')], refresh, { monitoring: { alertIntervalMs: 0 } });
    clock.time = START + 2 * HOUR;
    for (let n = 1; n <= 5; n++) {
      await manager.acquire().catch(() => {});
      clock.time = Math.max(clock.time + 60_000, manager.getCredentialHealth('a')!.refreshBackoffUntil ?? 0);
    }
    expect(ofType('alert').map((alert) => `${alert.kind} ${alert.severity}`)).toEqual([
      'refresh-failure warning',
      'refresh-failure warning',
      'refresh-failure warning',
      'refresh-failure warning',
      'refresh-failure critical',
    ]);
    const quiet = setup([credential('a')], refresh, { monitoring: { alertOnRefreshFailure: false } });
    quiet.clock.time = START + 2 * HOUR;
    await quiet.manager.acquire().catch(() => {});
    expect(quiet.ofType('alert')).toEqual([]);
    expect(quiet.manager.checkAlerts().map((alert) => alert.kind)).not.toContain('refresh-failure');
  });

  it('POSTs alerts to the webhook as JSON with a timeout, fire-and-forget, filtered by events', async () => {
    const posts: { url: string; body: unknown; signal: AbortSignal | undefined }[] = [];
    const fetch = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
      posts.push({ url: String(url), body: JSON.parse(String(init?.body)), signal: init?.signal ?? undefined });
      return new Response('ok');
    });
    const input = [credential('a')];
    const { manager } = setup(input, scriptedRefresh().refresh, {
      fetch,
      monitoring: { webhookUrl: 'https://hooks.example.test/alerts', events: ['failure-rate'] },
    });
    for (let n = 0; n < 10; n++) manager.reportFailure('a', kitError('server_error'));
    const alerts = manager.checkAlerts();
    expect(alerts.map((alert) => alert.kind).sort()).toEqual(['credential-unhealthy', 'failure-rate']);
    // Fire-and-forget: the POST leaves after checkAlerts() returned.
    await vi.waitFor(() => expect(posts).toHaveLength(1));
    expect(posts).toEqual([
      {
        url: 'https://hooks.example.test/alerts',
        body: expect.objectContaining({ type: 'alert', kind: 'failure-rate', credentialId: 'a', provider: 'gemini' }),
        signal: expect.any(AbortSignal),
      },
    ]);
    expectNoSecrets([posts], secretsIn(input));
  });

  it('a webhook that hangs or fails never blocks or breaks anything; it is aborted after webhookTimeoutMs', async () => {
    vi.useFakeTimers();
    let signal: AbortSignal | undefined;
    const fetch = vi.fn((_url: string | URL | Request, init?: RequestInit) => {
      signal = init?.signal ?? undefined;
      return new Promise<Response>(() => {});
    });
    const { manager } = setup([credential('a')], scriptedRefresh().refresh, {
      fetch,
      monitoring: { webhookUrl: 'https://hooks.example.test/x', webhookTimeoutMs: 2_000 },
    });
    for (let n = 0; n < 3; n++) manager.reportFailure('a', kitError('server_error'));
    expect(manager.checkAlerts()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(signal?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(signal?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(signal?.aborted).toBe(true);
    const throwing = setup([credential('a')], scriptedRefresh().refresh, {
      fetch: () => {
        throw new Error('no network');
      },
      monitoring: {
        webhookUrl: 'https://hooks.example.test/x',
        onAlert: () => {
          throw new Error('listener bug');
        },
      },
    });
    for (let n = 0; n < 3; n++) throwing.manager.reportFailure('a', kitError('server_error'));
    expect(throwing.manager.checkAlerts()).toHaveLength(1);
  });

  it('a webhook that fails in transit or answers 5xx is retried (twice at most) with the same payload', async () => {
    vi.useFakeTimers();
    const bodies: string[] = [];
    const answers = [
      () => Promise.reject(new TypeError('fetch failed')),
      () => Promise.resolve(new Response('busy', { status: 503 })),
      () => Promise.resolve(new Response('ok')),
    ];
    const fetch = vi.fn((_url: string | URL | Request, init?: RequestInit) => {
      bodies.push(String(init?.body));
      return (answers[bodies.length - 1] as () => Promise<Response>)();
    });
    const { manager } = setup([credential('a')], scriptedRefresh().refresh, {
      fetch,
      monitoring: { webhookUrl: 'https://hooks.example.test/x', events: ['credential-unhealthy'] },
    });
    for (let n = 0; n < 3; n++) manager.reportFailure('a', kitError('server_error'));
    expect(manager.checkAlerts()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(new Set(bodies).size).toBe(1);
    expect(JSON.parse(bodies[0] as string)).toMatchObject({ type: 'alert', kind: 'credential-unhealthy', credentialId: 'a' });

    const down = vi.fn(() => Promise.resolve(new Response('down', { status: 500 })));
    const failing = setup([credential('a')], scriptedRefresh().refresh, { fetch: down, monitoring: { webhookUrl: 'https://hooks.example.test/x' } });
    for (let n = 0; n < 3; n++) failing.manager.reportFailure('a', kitError('server_error'));
    expect(failing.manager.checkAlerts()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(down).toHaveBeenCalledTimes(3);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('startMonitoring', () => {
  it('runs nothing until started; runs checkAlerts every interval; the stop function ends it', async () => {
    vi.useFakeTimers();
    const onAlert = vi.fn();
    const { manager, clock } = setup([credential('a')], scriptedRefresh().refresh, { monitoring: { onAlert } });
    for (let n = 0; n < 3; n++) manager.reportFailure('a', kitError('server_error'));
    await vi.advanceTimersByTimeAsync(10 * HOUR);
    expect(onAlert).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
    const stop = manager.startMonitoring(MINUTE);
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(onAlert).toHaveBeenCalledTimes(1);
    clock.time += HOUR;
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(onAlert).toHaveBeenCalledTimes(2);
    stop();
    expect(vi.getTimerCount()).toBe(0);
    clock.time += HOUR;
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(onAlert).toHaveBeenCalledTimes(2);
  });

  it('unrefs its timer on Node and rejects a bad interval', () => {
    const { manager } = setup([credential('a')], scriptedRefresh().refresh);
    const unref = vi.spyOn(globalThis, 'setInterval');
    const stop = manager.startMonitoring(1_000);
    const timer = unref.mock.results[0]!.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    stop();
    unref.mockRestore();
    expect(thrownBy(() => manager.startMonitoring(0)).message).toContain('intervalMs');
  });

  it('with rotation enabled it also checks rotation and decommissions expired credentials', async () => {
    vi.useFakeTimers();
    const onRotationNeeded = vi.fn();
    const onDecommission = vi.fn();
    const { manager, clock } = setup([credential('old')], scriptedRefresh().refresh, {
      rotation: { enabled: true, rotationIntervalMs: DAY, gracePeriodMs: HOUR, onRotationNeeded, onDecommission },
    });
    const stop = manager.startMonitoring(MINUTE);
    clock.time += DAY;
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(onRotationNeeded).toHaveBeenCalledWith({ credentialId: 'old', createdAt: START, ageMs: DAY });
    await manager.markForRotation('old', credential('new', { expiresAt: START + 10 * DAY }));
    clock.time += HOUR;
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(onDecommission).toHaveBeenCalledWith('old');
    expect(manager.ids).toEqual(['new']);
    stop();
  });
});

describe('rotation', () => {
  const rotationSetup = (extra = {}) => {
    const store = new MemoryCredentialStore();
    const onRotationNeeded = vi.fn();
    const onDecommission = vi.fn();
    const result = setup(
      [credential('a', { expiresAt: START + 100 * DAY }), credential('b', { expiresAt: START + 100 * DAY, createdAt: START - 40 * DAY })],
      scriptedRefresh().refresh,
      {
        store,
        rotation: { enabled: true, onRotationNeeded, onDecommission, ...extra },
      },
    );
    return { ...result, store, onRotationNeeded, onDecommission };
  };

  it('checkRotationNeeded reports credentials older than 30 days and calls onRotationNeeded once an hour', () => {
    const { manager, clock, onRotationNeeded } = rotationSetup();
    expect(manager.checkRotationNeeded()).toEqual([{ credentialId: 'b', createdAt: START - 40 * DAY, ageMs: 40 * DAY }]);
    expect(manager.checkRotationNeeded()).toHaveLength(1);
    expect(onRotationNeeded).toHaveBeenCalledTimes(1);
    clock.time += 30 * DAY;
    expect(manager.checkRotationNeeded().map((notice) => notice.credentialId)).toEqual(['a', 'b']);
    expect(onRotationNeeded).toHaveBeenCalledTimes(3);
  });

  it('does nothing when rotation is not enabled', () => {
    const { manager } = setup([credential('a', { createdAt: START - 400 * DAY })], scriptedRefresh().refresh);
    expect(manager.checkRotationNeeded()).toEqual([]);
  });

  it('markForRotation adds and saves the new credential; the old one serves only as a last resort', async () => {
    const { manager, store } = rotationSetup();
    await manager.markForRotation('b', credential('b2', { expiresAt: START + 100 * DAY }));
    expect(manager.ids).toEqual(['a', 'b', 'b2']);
    expect((await store.load()).map((c) => c.id)).toContain('b2');
    expect(manager.getCredentialHealth('b')).toMatchObject({ retiring: true, replacementId: 'b2', decommissionAt: START + 7 * DAY });
    const ids = [];
    for (let n = 0; n < 4; n++) ids.push((await manager.acquire()).id);
    expect(ids).toEqual(['a', 'b2', 'a', 'b2']);
    manager.reportFailure('a', kitError('server_error'));
    manager.reportFailure('b2', kitError('server_error'));
    expect((await manager.acquire()).id).toBe('b');
    expect(manager.checkRotationNeeded()).toEqual([]);
    expect(manager.getHealthSummary().retiring).toBe(1);
  });

  it('completeRotation (by the old or the new id) decommissions the old credential at once', async () => {
    const { manager, store, onDecommission } = rotationSetup();
    await manager.markForRotation('b', credential('b2'));
    await manager.completeRotation('b2');
    expect(manager.ids).toEqual(['a', 'b2']);
    expect(onDecommission).toHaveBeenCalledWith('b');
    expect((await store.load()).map((c) => c.id).sort()).toEqual(['a', 'b2']);
    const error = await manager.completeRotation('a').catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'invalid_config', message: expect.stringContaining('id') });
  });

  it('autoDecommissionExpired removes credentials whose grace period ended', async () => {
    const { manager, clock, onDecommission } = rotationSetup({ gracePeriodMs: DAY });
    await manager.markForRotation('b', credential('b2'));
    clock.time += DAY - 1;
    expect(await manager.autoDecommissionExpired()).toEqual([]);
    clock.time += 1;
    expect(await manager.autoDecommissionExpired()).toEqual(['b']);
    expect(onDecommission).toHaveBeenCalledTimes(1);
    expect(manager.ids).toEqual(['a', 'b2']);
  });

  it('markForRotation rejects an unknown or already-marked id and a duplicate new id', async () => {
    const { manager } = rotationSetup();
    await expect(manager.markForRotation('nope', credential('x'))).rejects.toMatchObject({ code: 'invalid_config', message: expect.stringContaining('oldId') });
    await expect(manager.markForRotation('a', credential('b'))).rejects.toMatchObject({ message: expect.stringContaining('newCredential.id') });
    await manager.markForRotation('a', credential('a2'));
    await expect(manager.markForRotation('a', credential('a3'))).rejects.toMatchObject({ message: expect.stringContaining('already marked') });
  });
});
