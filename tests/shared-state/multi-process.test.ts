// Shared credential state across real processes: four worker processes (worker.mjs, on the built packages) share one
// pool through @kit/store-redis and the real Redis at REDIS_URL. Each test uses its own key prefix; every key is
// deleted afterwards. The outage test runs its own redis-server (the machine's Redis is never stopped).
import { type MockOAuthServer, oauthFaults, oauthReplies } from '@kit/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  connectTestRedis,
  deleteKeysUnder,
  keysUnder,
  type TestRedisClient,
  uniquePrefix,
  valuesUnder,
} from '../../packages/store-redis/src/redis-test-helpers';
import {
  callsWhileKillingTheRefresher,
  type CredentialVerdict,
  eventually,
  expiredAccountTokenServer,
  freePort,
  kill,
  type OAuthScript,
  requireBuiltPackages,
  startRedisServer,
  startUpstream,
  startWorker,
  type Worker,
  type WorkerConfig,
} from './harness';

const redisUrl = inject('redisUrl');
const prefix = uniquePrefix('multi-process');
const passphrase = 'test-passphrase-multi-process';
const names = ['A', 'B', 'C', 'D'];
/** The bound on how stale a process's view of the shared state may be (pub/sub invalidation). */
const STALENESS_MS = 1_000;

type Outcomes = Record<string, number>;

describe.runIf(redisUrl)('shared credential state across 4 processes (real Redis)', { timeout: 120_000 }, () => {
  let redis: TestRedisClient;
  const workers: Worker[] = [];
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    requireBuiltPackages();
    redis = await connectTestRedis(redisUrl);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    for (const close of closers) await close();
    if (!redis) return;
    await deleteKeysUnder(redis, prefix);
    expect(await keysUnder(redis, prefix)).toEqual([]);
    await redis.close();
  }, 60_000);

  async function startWorkers(config: Omit<WorkerConfig, 'name' | 'passphrase'>): Promise<Worker[]> {
    const started = await Promise.all(names.map((name) => startWorker({ ...config, name, passphrase })));
    workers.push(...started);
    return started;
  }

  async function oauthServer(script: OAuthScript): Promise<MockOAuthServer> {
    const server = await expiredAccountTokenServer(script);
    closers.push(() => server.close());
    return server;
  }

  const expiredAccount = { id: 'account', accessToken: 'test-access-token-0', refreshToken: 'test-refresh-token-0', expiresAt: Date.now() - 60_000 };

  it('4 processes × 250 concurrent calls on an expired OAuth account with rotating refresh tokens: exactly 1 refresh', async () => {
    const oauth = await oauthServer(oauthReplies.tokens());
    const upstream = await startUpstream((token) => (oauth.introspect(token).active ? 'ok' : 'revoked'));
    closers.push(() => upstream.close());
    const testPrefix = `${prefix}:herd`;
    const herd = await startWorkers({
      mode: 'oauth',
      redisUrl,
      prefix: testPrefix,
      upstreamUrl: upstream.url,
      tokenUrl: oauth.tokenUrl,
      account: expiredAccount,
    });

    const outcomes = await Promise.all(herd.map((worker) => worker.command<Outcomes>('calls', { count: 250 })));

    expect(outcomes).toEqual(names.map(() => ({ ok: 250 })));
    expect(oauth.refreshCount('account')).toBe(1);
    expect(oauth.requests.filter((request) => request.error === 'invalid_grant')).toEqual([]);
    // Every request carried the one refreshed token: none with the stale (expired) one.
    const refreshed = oauth.issuedAccessTokens('account').at(-1);
    expect(upstream.requests).toHaveLength(1_000);
    expect(upstream.requests.filter((request) => request.credential !== refreshed)).toEqual([]);
    expect(oauth.rejectedCount()).toBe(0);
    // Redis holds the tokens sealed, never in clear.
    const values = await valuesUnder(redis, testPrefix);
    expect(values.length).toBeGreaterThan(0);
    for (const value of values) expect(value).not.toMatch(/test-(access|refresh)-token/);
    await Promise.all(herd.map((worker) => worker.stop()));
  });

  it('a key revoked as seen by A is not sent by B–D, and a 429 cooldown set by A is honoured by B–D', async () => {
    const verdicts = new Map<string, CredentialVerdict>();
    const upstream = await startUpstream((key) => verdicts.get(key) ?? 'ok');
    closers.push(() => upstream.close());
    const keys = [1, 2, 3, 4].map((n) => ({ id: `key-${n}`, key: `test-key-shared-${n}` }));
    const [a, ...others] = await startWorkers({ mode: 'keys', redisUrl, prefix: `${prefix}:keys`, upstreamUrl: upstream.url, keys });
    expect(await Promise.all([a, ...others].map((worker) => worker!.command<Outcomes>('calls', { count: 20 })))).toEqual(names.map(() => ({ ok: 20 })));

    // key-1 is revoked and key-3 rate-limited at the upstream; only A makes calls until it has seen both.
    verdicts.set('test-key-shared-1', 'revoked');
    verdicts.set('test-key-shared-3', 'rate-limited');
    expect(await a!.command<Outcomes>('calls', { count: 8 })).toEqual({ ok: 8 });
    const failures = (await a!.command<{ type: string; credentialId: string; at: number; code: string }[]>('events')).filter(
      (event) => event.type === 'credential-failure',
    );
    expect(failures.map((event) => [event.credentialId, event.code]).sort()).toEqual([
      ['key-1', 'authentication'],
      ['key-3', 'rate_limit'],
    ]);
    const seenByA = Math.max(...failures.map((event) => event.at));

    const outcomes = await Promise.all(others.map((worker) => worker.command<Outcomes>('calls', { count: 250 })));
    expect(outcomes).toEqual(others.map(() => ({ ok: 250 })));
    const late = upstream.requests.filter(
      (request) => request.worker !== 'A' && ['test-key-shared-1', 'test-key-shared-3'].includes(request.credential) && request.at > seenByA + STALENESS_MS,
    );
    expect(late).toEqual([]);
    // B–D learnt it from the store: key-1 disabled, key-3 cooling down for 30 s (the upstream's Retry-After).
    for (const worker of others) {
      const health = await worker.command<{ id: string; disabled: boolean; backoffUntil?: number }[]>('health');
      expect(health.find((key) => key.id === 'key-1')).toMatchObject({ disabled: true });
      expect(health.find((key) => key.id === 'key-3')?.backoffUntil).toBeGreaterThan(seenByA + 25_000);
    }
    await Promise.all([a, ...others].map((worker) => worker!.stop()));
  });

  it('the lock holder is killed mid-refresh: another process refreshes after the lock expires, and every call succeeds', async () => {
    // The first refresh request hangs (its single-use refresh token is not spent); the next ones get tokens.
    const oauth = await oauthServer([oauthFaults.hang(), oauthReplies.tokens()]);
    const upstream = await startUpstream((token) => (oauth.introspect(token).active ? 'ok' : 'revoked'));
    closers.push(() => upstream.close());
    const group = await startWorkers({
      mode: 'oauth',
      redisUrl,
      prefix: `${prefix}:crash`,
      upstreamUrl: upstream.url,
      tokenUrl: oauth.tokenUrl,
      account: expiredAccount,
      lockTtlMs: 1_000,
    });
    const { survivors, survivorOutcomes } = await callsWhileKillingTheRefresher(group, 50);
    expect(survivorOutcomes).toEqual(survivors.map(() => ({ ok: 50 })));
    // The hung request and the one made after the lock expired; no refresh token was presented twice.
    expect(oauth.refreshCount('account')).toBe(2);
    expect(oauth.requests.filter((request) => request.error === 'invalid_grant')).toEqual([]);
    expect(upstream.requests.filter((request) => request.status !== 200)).toEqual([]);
    await Promise.all(survivors.map((worker) => worker.stop()));
  });

  it('Redis stops mid-run: calls keep succeeding on local state; when it returns, the state re-syncs', async () => {
    const port = await freePort();
    let server = await startRedisServer(port);
    closers.push(() => kill(server));
    const privateUrl = `redis://127.0.0.1:${port}`;
    const verdicts = new Map<string, CredentialVerdict>();
    const upstream = await startUpstream((key) => verdicts.get(key) ?? 'ok');
    closers.push(() => upstream.close());
    const keys = [1, 2, 3].map((n) => ({ id: `key-${n}`, key: `test-key-outage-${n}` }));
    const [a, ...others] = await startWorkers({ mode: 'keys', redisUrl: privateUrl, prefix: `${prefix}:outage`, upstreamUrl: upstream.url, keys });
    const everyone = [a!, ...others];
    expect(await Promise.all(everyone.map((worker) => worker.command<Outcomes>('calls', { count: 20 })))).toEqual(names.map(() => ({ ok: 20 })));

    await kill(server);
    expect(await Promise.all(everyone.map((worker) => worker.command<Outcomes>('calls', { count: 250 })))).toEqual(names.map(() => ({ ok: 250 })));
    for (const worker of everyone) {
      const events = await worker.command<{ type: string }[]>('events');
      expect(events.filter((event) => event.type === 'store-unavailable')).toHaveLength(1);
    }
    // During the outage A alone learns that key-2 was revoked.
    verdicts.set('test-key-outage-2', 'revoked');
    expect(await a!.command<Outcomes>('calls', { count: 6 })).toEqual({ ok: 6 });

    server = await startRedisServer(port);
    // Back: A writes what it learnt, B–D get it (they never sent a request with key-2 since it was revoked).
    const synced = await eventually(async () => {
      const views = await Promise.all(others.map((worker) => worker.command<{ id: string; disabled: boolean }[]>('health')));
      return views.every((health) => health.find((key) => key.id === 'key-2')?.disabled === true);
    }, 10_000);
    expect(synced).toBe(true);
    const sentBefore = upstream.requests.length;
    expect(await Promise.all(others.map((worker) => worker.command<Outcomes>('calls', { count: 100 })))).toEqual(others.map(() => ({ ok: 100 })));
    expect(upstream.requests.slice(sentBefore).filter((request) => request.credential === 'test-key-outage-2')).toEqual([]);
    await Promise.all(everyone.map((worker) => worker.stop()));
    await kill(server);
  });
});
