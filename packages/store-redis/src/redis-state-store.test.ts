// @kit/store-redis against the real Redis at REDIS_URL (see tests/shared-state/redis-global-setup.ts): two managers
// with their own store (their own connections) stand for two processes here; tests/shared-state runs real processes.
import { createServer, connect as connectTcp, type Server, type Socket } from 'node:net';
import { KitError, type KitEvent } from '@kit/core';
import { createPassphraseCipher } from '@kit/core/provider-utils';
import { KeyManager } from '@kit/keymanager';
import { OAuthManager, type RefreshFunction } from '@kit/oauthmanager';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRedisStateStore, type RedisStateStore } from './redis-state-store';
import { asStoreClient, connectTestRedis, deleteKeysUnder, keysUnder, type TestRedisClient, uniquePrefix, valuesUnder } from './redis-test-helpers';

const redisUrl = inject('redisUrl');
const prefix = uniquePrefix('store-redis');
// Few PBKDF2 rounds: these tests are about the store, the cipher's strength is tested in core.
const cipher = createPassphraseCipher('test-passphrase-store-redis', { iterations: 1_000 });

/** Polls `condition` every 10 ms until it holds, at most `limitMs` (the staleness bound is 1 s). */
async function until(condition: () => boolean, limitMs = 1_000): Promise<boolean> {
  for (const start = Date.now(); Date.now() - start < limitMs; ) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return condition();
}

const stores: RedisStateStore[] = [];
function store(name: string, options: Partial<Parameters<typeof createRedisStateStore>[0]> = {}): RedisStateStore {
  const created = createRedisStateStore({ url: redisUrl, prefix: `${prefix}:${name}`, cipher, ...options });
  stores.push(created);
  return created;
}

describe.runIf(redisUrl)('createRedisStateStore (real Redis)', () => {
  let redis: TestRedisClient;
  beforeAll(async () => {
    redis = await connectTestRedis(redisUrl);
  });
  afterAll(async () => {
    await Promise.all(stores.map((created) => created.close()));
    await deleteKeysUnder(redis, prefix);
    expect(await keysUnder(redis, prefix)).toEqual([]);
    await redis.close();
  });

  it('rejects bad options with invalid_config naming the field', () => {
    const attempts: [unknown, string][] = [
      [{}, 'options.url'],
      [{ url: redisUrl, client: {} }, 'options.url'],
      [{ url: 'http://127.0.0.1:6379' }, 'options.url'],
      [{ client: { sendCommand: 1 } }, 'options.client'],
      [{ url: redisUrl, prefix: 'has space' }, 'options.prefix'],
      [{ url: redisUrl, retentionMs: 10 }, 'options.retentionMs'],
      [{ url: redisUrl, lockTtl: 5 }, 'lockTtl'],
      [{ url: redisUrl, cipher: { seal: () => '' } }, 'options.cipher'],
      [{ url: redisUrl, lockTtlMs: 0 }, 'options.lockTtlMs'],
    ];
    for (const [options, field] of attempts) {
      let thrown: unknown;
      try {
        createRedisStateStore(options as Parameters<typeof createRedisStateStore>[0]);
      } catch (error) {
        thrown = error;
      }
      expect(KitError.is(thrown) && thrown.code, JSON.stringify(options)).toBe('invalid_config');
      expect((thrown as KitError).message).toContain(field);
    }
  });

  it('an OAuthManager refuses a store without a cipher unless plaintextSecrets is opted in', () => {
    const plain = store('no-cipher', { cipher: undefined });
    const credentials = [{ id: 'account', accessToken: 'test-access-token-0', refreshToken: 'test-refresh-token-0' }];
    const refresh: RefreshFunction = async () => ({ accessToken: 'test-access-token-1' });
    expect(() => new OAuthManager('oauth-plain', credentials, refresh, { stateStore: plain })).toThrow(
      /options\.stateStore: sharing OAuth tokens needs a cipher/,
    );
    expect(
      () => new OAuthManager('oauth-plain', credentials, refresh, { stateStore: store('opted-in', { cipher: undefined, plaintextSecrets: true }) }),
    ).not.toThrow();
    // API keys are never written, so a KeyManager needs no cipher.
    expect(() => new KeyManager('keys-plain', ['test-key-1'], { stateStore: plain })).not.toThrow();
  });

  it('a key disabled in one process is disabled in another without it sending a request with it', async () => {
    const options = { policies: { 401: { action: 'disable' as const } } };
    const a = new KeyManager('openai', ['test-key-1', 'test-key-2'], { ...options, stateStore: store('disable') });
    const b = new KeyManager('openai', ['test-key-1', 'test-key-2'], { ...options, stateStore: store('disable') });
    await Promise.all([a.acquire(), b.acquire()]); // both have read the shared state
    a.reportFailure('key-1', new KitError('authentication', 'Incorrect API key provided', { status: 401 }));
    expect(await until(() => b.getKeyHealth()[0]?.disabled === true)).toBe(true);
    expect(b.getKeyHealth()[0]).toMatchObject({ id: 'key-1', healthy: false, failures: 0 });
    for (let call = 0; call < 20; call++) expect((await b.acquire()).id).toBe('key-2');
  });

  it('a 429 cooldown set by one process is honoured by another, and a later shorter one does not shorten it', async () => {
    let now = Date.now();
    const clock = { now: () => now };
    const a = new KeyManager('openai', ['test-key-1', 'test-key-2'], { ...clock, stateStore: store('cooldown') });
    const b = new KeyManager('openai', ['test-key-1', 'test-key-2'], { ...clock, stateStore: store('cooldown') });
    await Promise.all([a.acquire(), b.acquire()]);
    a.reportFailure('key-1', new KitError('rate_limit', 'Rate limit reached', { status: 429, retryAfterMs: 30_000 }));
    expect(await until(() => b.getKeyHealth()[0]?.backoffUntil === now + 30_000)).toBe(true);
    // B learns of a shorter 429 on the same key (5 s): the 30 s cooldown stays, in B and in the store.
    b.reportFailure('key-1', new KitError('rate_limit', 'Rate limit reached', { status: 429, retryAfterMs: 5_000 }));
    await until(() => false, 100);
    expect(a.getKeyHealth()[0]?.backoffUntil).toBe(now + 30_000);
    expect(b.getKeyHealth()[0]?.backoffUntil).toBe(now + 30_000);
    const stored = await redis.hGetAll(`${prefix}:cooldown:{api-key:openai:key-1}:health`);
    expect(Number(stored.penaltyUntil)).toBe(now + 30_000);
    expect(await redis.pTTL(`${prefix}:cooldown:{api-key:openai:key-1}:health`)).toBeGreaterThan(30_000);
    now += 31_000;
    expect((await b.acquire()).id).toBe('key-2'); // round-robin goes on
    expect((await b.acquire()).id).toBe('key-1'); // free again once the cooldown ended
  });

  it('costs no Redis round trip per call when nothing changes', async () => {
    const client = await connectTestRedis(redisUrl);
    let commands = 0;
    const sendCommand = client.sendCommand.bind(client);
    (client as unknown as { sendCommand: typeof sendCommand }).sendCommand = ((...args: Parameters<typeof sendCommand>) => {
      commands++;
      return sendCommand(...args);
    }) as typeof sendCommand;
    const shared = store('hot-path', { url: undefined, client: asStoreClient(client) });
    const keys = new KeyManager('openai', ['test-key-1', 'test-key-2', 'test-key-3'], { stateStore: shared });
    await keys.acquire(); // the first call reads the shared state
    const before = commands;
    for (let call = 0; call < 1_000; call++) {
      const lease = await keys.acquire();
      keys.reportSuccess(lease.id, { sequence: lease.sequence });
    }
    expect(commands - before).toBe(0);
    // A change is one merge.
    keys.reportFailure('key-2', new KitError('rate_limit', 'slow down', { status: 429, retryAfterMs: 2_000 }));
    expect(await until(() => commands - before === 1)).toBe(true);
    // … and nothing more while its cooldown runs (the store's answer folds back without another write).
    await until(() => false, 300);
    expect(commands - before).toBe(1);
    await shared.close();
    await client.close();
  });

  it('writes no API key to Redis, only ids', async () => {
    const secrets = ['test-key-secret-alpha', 'test-key-secret-beta'];
    const keys = new KeyManager('openai', secrets, { stateStore: store('no-secrets') });
    await keys.acquire();
    keys.reportFailure('key-1', new KitError('rate_limit', 'slow down', { status: 429, retryAfterMs: 2_000 }));
    await until(() => false, 100);
    const values = await valuesUnder(redis, `${prefix}:no-secrets`);
    expect(values.length).toBeGreaterThan(0);
    for (const value of values) for (const secret of secrets) expect(value).not.toContain(secret);
    const names = await keysUnder(redis, `${prefix}:no-secrets`);
    for (const name of names) for (const secret of secrets) expect(name).not.toContain(secret);
  });

  it('two processes refreshing one expired OAuth account: one refresh, both use its token, which Redis holds sealed', async () => {
    let refreshes = 0;
    const refresh: RefreshFunction = async (credential) => {
      refreshes++;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return {
        accessToken: `test-access-token-${refreshes}`,
        refreshToken: `test-refresh-token-${refreshes}`,
        expiresInMs: 3_600_000,
        used: credential.refreshToken,
      } as never;
    };
    const account = { id: 'account', accessToken: 'test-access-token-0', refreshToken: 'test-refresh-token-0', expiresAt: Date.now() - 1_000 };
    const a = new OAuthManager('gemini', [account], refresh, { stateStore: store('oauth') });
    const b = new OAuthManager('gemini', [account], refresh, { stateStore: store('oauth') });
    const leases = await Promise.all(Array.from({ length: 100 }, (_, index) => (index % 2 ? a : b).acquire()));
    expect(refreshes).toBe(1);
    expect(new Set(leases.map((lease) => lease.secret))).toEqual(new Set(['test-access-token-1']));
    const values = await valuesUnder(redis, `${prefix}:oauth`);
    expect(values.some((value) => value.startsWith('kit1.'))).toBe(true);
    for (const value of values) expect(value).not.toMatch(/test-(access|refresh)-token/);
    // The rotated refresh token went with the access token: a third process starting now gets both.
    const c = new OAuthManager('gemini', [account], refresh, { stateStore: store('oauth') });
    expect((await c.acquire()).secret).toBe('test-access-token-1');
    expect(c.export({ includeSecrets: true }).credentials[0]).toMatchObject({ refreshToken: 'test-refresh-token-1' });
    expect(refreshes).toBe(1);
  });

  it('a process that cannot open the shared tokens (another passphrase) says so and goes on with its own', async () => {
    const events: KitEvent[] = [];
    const refresh: RefreshFunction = async () => ({ accessToken: 'test-access-token-other', expiresInMs: 3_600_000 });
    const account = { id: 'account', accessToken: 'test-access-token-0', refreshToken: 'test-refresh-token-0', expiresAt: Date.now() - 1_000 };
    const a = new OAuthManager('gemini', [account], refresh, { stateStore: store('oauth-cipher') });
    await a.acquire();
    const wrong = createPassphraseCipher('test-passphrase-other', { iterations: 1_000 });
    const b = new OAuthManager('gemini', [account], refresh, { stateStore: store('oauth-cipher', { cipher: wrong }), onEvent: (event) => events.push(event) });
    await b.acquire();
    const unavailable = events.filter((event) => event.type === 'store-unavailable');
    expect(unavailable).toHaveLength(1);
    expect(unavailable[0]).toMatchObject({ credentialId: 'account', message: expect.stringContaining('could not be opened') });
    expect(JSON.stringify(events)).not.toMatch(/test-(access|refresh)-token/);
  });

  it('with Redis out of reach: calls and refreshes work on local state, and store-unavailable is emitted once', async () => {
    const events: KitEvent[] = [];
    const unreachable = store('unreachable', { url: 'redis://127.0.0.1:1', operationTimeoutMs: 200 });
    const keys = new KeyManager('openai', ['test-key-1', 'test-key-2'], { stateStore: unreachable, onEvent: (event) => events.push(event) });
    for (let call = 0; call < 10; call++) {
      const lease = await keys.acquire();
      keys.reportSuccess(lease.id, { sequence: lease.sequence });
    }
    keys.reportFailure('key-1', new KitError('rate_limit', 'slow down', { status: 429, retryAfterMs: 60_000 }));
    expect((await keys.acquire()).id).toBe('key-2');
    let refreshes = 0;
    const accounts = new OAuthManager(
      'gemini',
      [{ id: 'account', accessToken: 'test-access-token-0', refreshToken: 'test-refresh-token-0', expiresAt: Date.now() - 1_000 }],
      async () => ({ accessToken: `test-access-token-${++refreshes}`, expiresInMs: 3_600_000 }),
      { stateStore: unreachable, onEvent: (event) => events.push(event) },
    );
    expect((await accounts.acquire()).secret).toBe('test-access-token-1');
    const unavailable = events.filter((event) => event.type === 'store-unavailable');
    expect(unavailable.map((event) => event.provider)).toEqual(['openai', 'gemini']);
  });

  it('Redis down at startup: once it is up, the store comes back by itself (after subscribing) and writes what changed', async () => {
    // A loopback relay to the real Redis that accepts nothing at first: "Redis is down" for this store only. Once up,
    // it holds SUBSCRIBE commands 500 ms, so both connections are 'ready' before the subscription is in place.
    const sockets = new Set<Socket>();
    const relay: Server = createServer((socket) => {
      const upstream = connectTcp(Number(new URL(redisUrl).port || 6379), new URL(redisUrl).hostname);
      for (const end of [socket, upstream]) {
        sockets.add(end);
        end.on('error', () => {});
        end.on('close', () => sockets.delete(end));
      }
      let forwarded = Promise.resolve();
      socket.on('data', (chunk: Buffer) => {
        const holdMs = /SUBSCRIBE/i.test(chunk.toString('latin1')) ? 500 : 0;
        forwarded = forwarded.then(() => new Promise<void>((resolve) => setTimeout(resolve, holdMs))).then(() => void upstream.write(chunk));
      });
      upstream.pipe(socket);
    });
    const port = await new Promise<number>((resolve) => relay.listen(0, '127.0.0.1', () => resolve((relay.address() as { port: number }).port)));
    await new Promise<void>((resolve) => relay.close(() => resolve()));
    const events: KitEvent[] = [];
    const url = new URL(redisUrl);
    url.host = `127.0.0.1:${port}`;
    const late = store('late-start', { url: url.toString(), operationTimeoutMs: 200 });
    const keys = new KeyManager('openai', ['test-key-1', 'test-key-2'], { stateStore: late, onEvent: (event) => events.push(event) });
    await keys.acquire();
    keys.reportFailure('key-1', new KitError('rate_limit', 'slow down', { status: 429, retryAfterMs: 60_000 }));
    expect(events.filter((event) => event.type === 'store-unavailable')).toHaveLength(1);
    try {
      await new Promise<void>((resolve) => relay.listen(port, '127.0.0.1', () => resolve()));
      // No call is made from here on: only the store's own reconnect can bring the cooldown to Redis.
      const health = `${prefix}:late-start:{api-key:openai:key-1}:health`;
      let stored: Record<string, string> = {};
      await until(() => {
        redis.hGetAll(health).then((hash) => {
          stored = hash;
        });
        return Number(stored.penaltyUntil) > Date.now();
      }, 10_000);
      expect(Number(stored.penaltyUntil)).toBeGreaterThan(Date.now());
    } finally {
      await late.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    }
  }, 20_000);

  it('ignores garbage on the change channel', async () => {
    const keys = new KeyManager('openai', ['test-key-1'], { stateStore: store('garbage') });
    await keys.acquire();
    for (const message of ['not json', '{"type":"health","key":"api-key:openai:key-1","record":{"version":"x"}}', '{"type":"token"}', '[]', 'null']) {
      await redis.publish(`${prefix}:garbage:changes`, message);
    }
    await until(() => false, 100);
    expect(keys.getKeyHealth()[0]).toMatchObject({ healthy: true, available: true, disabled: false });
  });
});
