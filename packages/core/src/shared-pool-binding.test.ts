// The shared-state binding against an in-memory backend that can hang, fail or answer late, with an injected clock
// and fake timers (the operation timeout and the lock poll are timers): how it loses the store, comes back by itself,
// orders OAuth tokens and treats a lock call that got no answer.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStateStore, type StateStoreOptions } from './create-state-store';
import { CredentialHealthRecord } from './credential-health';
import type { KitEvent } from './kit-event';
import { FIRST_PROBE_MS } from './shared-pool-binding';
import {
  mergeSharedHealth,
  type SharedHealthRecord,
  type SharedStateBinding,
  type SharedStatePool,
  type SharedToken,
  type StateStoreBackend,
  type StoredToken,
} from './state-store';

const never = <T>() => new Promise<T>(() => {});

/** One store many processes would share, in memory: `down` makes every operation fail, `hang` the next ones named. */
class FakeBackend implements StateStoreBackend {
  down = false;
  readonly hang = new Set<string>();
  readonly calls: string[] = [];
  readonly health = new Map<string, SharedHealthRecord>();
  readonly tokens = new Map<string, StoredToken>();
  readonly commits: (number | undefined)[] = [];
  lockHolder: number | undefined;
  #fence = 0;

  #enter(name: string): Promise<never> | undefined {
    this.calls.push(name);
    if (this.down) return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    if (this.hang.delete(name)) return never();
    return undefined;
  }

  async readHealth(key: string) {
    await this.#enter('readHealth');
    return this.health.get(key);
  }
  async mergeHealth(key: string, update: Parameters<StateStoreBackend['mergeHealth']>[1]) {
    await this.#enter('mergeHealth');
    const current = this.health.get(key);
    const none = { penaltyUntil: 0, rateLimitedUntil: 0, consecutiveFailures: 0, unhealthy: 0, disabled: 0 };
    const record = { version: (current?.version ?? 0) + 1, health: mergeSharedHealth(current?.health ?? none, update) };
    this.health.set(key, record);
    return record;
  }
  async readToken(key: string) {
    await this.#enter('readToken');
    return this.tokens.get(key);
  }
  async lockRefresh(_key: string, _ttlMs: number) {
    this.calls.push('lockRefresh');
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
    if (this.lockHolder !== undefined) return undefined;
    this.lockHolder = ++this.#fence;
    // Granted, but the answer may never arrive (a slow network, a stalled connection).
    if (this.hang.delete('lockRefresh')) return never<number>();
    return this.lockHolder;
  }
  async extendRefreshLock(_key: string, fence: number) {
    await this.#enter('extendRefreshLock');
    return this.lockHolder === fence;
  }
  async unlockRefresh(_key: string, fence: number) {
    await this.#enter('unlockRefresh');
    if (this.lockHolder === fence) this.lockHolder = undefined;
  }
  async commitToken(key: string, token: SharedToken, fence?: number) {
    await this.#enter('commitToken');
    this.commits.push(fence);
    const current = this.tokens.get(key);
    if (fence !== undefined ? this.lockHolder !== fence : (token.lastRefreshAt ?? -1) <= (current?.lastRefreshAt ?? -1)) return undefined;
    const version = (current?.version ?? 0) + 1;
    this.tokens.set(key, { ...token, version });
    return version;
  }
  // Reports nothing: the connection behind it never dropped, so only the binding can tell the store is back.
  subscribe() {
    return () => {};
  }
}

/** Lets promise chains and due timers run (fake timers: no real time passes). */
async function settle(ms = 0): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
  for (let turn = 0; turn < 20; turn++) await Promise.resolve();
}

let now = 1_000_000;
const clock = { wall: () => 1_700_000_000_000 + now, monotonic: () => now };
const options: StateStoreOptions = { plaintextSecrets: true, operationTimeoutMs: 100, lockPollMs: 50, lockTtlMs: 1_000 };

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
});
afterEach(() => {
  vi.useRealTimers();
});

function keyPool(backend: FakeBackend, events: KitEvent[]) {
  const record = new CredentialHealthRecord();
  const pool: SharedStatePool = {
    kind: 'api-key',
    provider: 'openai',
    credentials: () => [{ id: 'key-1', health: record }],
    sequence: () => 0,
    clock,
    emit: (event) => events.push(event),
  };
  const binding = createStateStore(backend, options).attach(pool);
  const fail = (count: number) => {
    record.consecutiveFailures = count;
    binding.healthChanged({ id: 'key-1', health: record });
  };
  return { binding, fail };
}

describe('SharedPoolBinding: a store that was lost comes back by itself', () => {
  it('one operation past the timeout does not keep it on local state: a probe brings it back and re-syncs', async () => {
    const backend = new FakeBackend();
    const events: KitEvent[] = [];
    const { binding, fail } = keyPool(backend, events);
    await binding.ready;
    backend.hang.add('mergeHealth');
    fail(1);
    await settle(options.operationTimeoutMs);
    expect(events.map((event) => event.type)).toEqual(['store-unavailable']);
    // Within the first probe interval the binding does not ask the store.
    fail(2);
    await settle();
    expect(backend.calls.filter((call) => call === 'readHealth')).toHaveLength(1);
    now += FIRST_PROBE_MS;
    fail(3);
    await settle();
    // The probe answered: what changed meanwhile is written, and writes go on as usual.
    expect(backend.health.get('api-key:openai:key-1')?.health.consecutiveFailures).toBe(3);
    fail(4);
    await settle();
    expect(backend.health.get('api-key:openai:key-1')?.health.consecutiveFailures).toBe(4);
    expect(events).toHaveLength(1);
  });

  it('while the store stays away, at most one probe runs per interval, and the interval doubles', async () => {
    const backend = new FakeBackend();
    backend.down = true;
    const { binding, fail } = keyPool(backend, []);
    await binding.ready;
    const probes = () => backend.calls.filter((call) => call === 'readHealth').length - 1; // the first is the load
    const reportsAfter = async (ms: number) => {
      now += ms;
      for (let report = 1; report <= 5; report++) fail(report);
      await settle();
    };
    await reportsAfter(FIRST_PROBE_MS - 1);
    expect(probes()).toBe(0);
    await reportsAfter(1);
    expect(probes()).toBe(1);
    await reportsAfter(2 * FIRST_PROBE_MS - 1);
    expect(probes()).toBe(1);
    await reportsAfter(1);
    expect(probes()).toBe(2);
    await reportsAfter(4 * FIRST_PROBE_MS);
    expect(probes()).toBe(3);
    expect(backend.calls.filter((call) => call === 'mergeHealth')).toEqual([]);
    backend.down = false;
    await reportsAfter(8 * FIRST_PROBE_MS);
    expect(backend.health.get('api-key:openai:key-1')?.health.consecutiveFailures).toBe(5);
  });
});

/** An OAuth pool whose `refresh` spends the refresh token it holds (the token server rotates single-use ones). */
function oauthPool(backend: FakeBackend, local: SharedToken) {
  const state = { local, expired: false, spent: [] as string[] };
  const pool: SharedStatePool = {
    kind: 'oauth',
    provider: 'gemini',
    credentials: () => [{ id: 'account', health: new CredentialHealthRecord() }],
    sequence: () => 0,
    clock,
    emit: () => {},
    token: () => state.local,
    adoptToken: async (_id, token) => {
      state.local = token;
      state.expired = false;
    },
    needsRefresh: () => state.expired,
    refreshTimeoutMs: 5_000,
  };
  const binding: SharedStateBinding = createStateStore(backend, options).attach(pool);
  const refresh = async () => {
    state.spent.push(state.local.refreshToken ?? '');
    state.local = {
      accessToken: `test-access-token-${state.spent.length}-local`,
      refreshToken: `test-refresh-token-${state.spent.length}-local`,
      lastRefreshAt: clock.wall(),
    };
    state.expired = false;
    return undefined;
  };
  return { binding, state, refresh };
}

const KEY = 'oauth:gemini:account';

describe('SharedPoolBinding: OAuth tokens', () => {
  it("the store's newer token is adopted even when this process's clock says its own refresh was later", async () => {
    const backend = new FakeBackend();
    // Another process refreshed (version 5) and spent test-refresh-token-1; this process's wall clock runs ahead.
    backend.tokens.set(KEY, { version: 5, accessToken: 'test-access-token-2', refreshToken: 'test-refresh-token-2', lastRefreshAt: 1_990 });
    const { binding, state, refresh } = oauthPool(backend, { accessToken: 'test-access-token-1', refreshToken: 'test-refresh-token-1', lastRefreshAt: 2_000 });
    await binding.ready;
    expect(state.local.refreshToken).toBe('test-refresh-token-2');
    state.expired = true;
    const refreshing = binding.refresh('account', refresh);
    await settle();
    expect(await refreshing).toBeUndefined();
    expect(state.spent).toEqual(['test-refresh-token-2']);
    expect(backend.commits).toEqual([1]);
  });

  it('a token refreshed during an outage stays and is written back when the store returns', async () => {
    const backend = new FakeBackend();
    backend.down = true;
    const { binding, state, refresh } = oauthPool(backend, { accessToken: 'test-access-token-0', refreshToken: 'test-refresh-token-0', lastRefreshAt: 1 });
    await binding.ready;
    state.expired = true;
    expect(await binding.refresh('account', refresh)).toBeUndefined();
    expect(state.spent).toEqual(['test-refresh-token-0']);
    // Meanwhile the store got a token from before the outage (an older refresh).
    backend.down = false;
    backend.tokens.set(KEY, { version: 3, accessToken: 'test-access-token-old', refreshToken: 'test-refresh-token-old', lastRefreshAt: 2 });
    now += FIRST_PROBE_MS;
    binding.healthChanged({ id: 'account', health: new CredentialHealthRecord() });
    await settle();
    expect(state.local.accessToken).toBe('test-access-token-1-local');
    expect(backend.tokens.get(KEY)).toMatchObject({ version: 4, accessToken: 'test-access-token-1-local' });
  });

  it('a lock call that got no answer may have been granted: no local refresh while the store answers', async () => {
    const backend = new FakeBackend();
    const { binding, state, refresh } = oauthPool(backend, { accessToken: 'test-access-token-0', refreshToken: 'test-refresh-token-0' });
    await binding.ready;
    backend.hang.add('lockRefresh');
    state.expired = true;
    const refreshing = binding.refresh('account', refresh);
    await settle(options.operationTimeoutMs);
    // The lost grant (fence 1) holds the lock: the binding waits instead of refreshing on its own.
    await settle(5 * (options.lockPollMs ?? 0));
    expect(backend.lockHolder).toBe(1);
    expect(state.spent).toEqual([]);
    // The orphaned lock expires (nobody renews it); the next lock call gets it and refreshes under it.
    backend.lockHolder = undefined;
    await settle(options.lockPollMs);
    expect(await refreshing).toBeUndefined();
    expect(state.spent).toEqual(['test-refresh-token-0']);
    expect(backend.commits).toEqual([2]);
    expect(backend.tokens.get(KEY)?.accessToken).toBe('test-access-token-1-local');
  });

  it('when the lock call fails and the store does not answer a probe either, the refresh runs locally', async () => {
    const backend = new FakeBackend();
    const { binding, state, refresh } = oauthPool(backend, { accessToken: 'test-access-token-0', refreshToken: 'test-refresh-token-0' });
    await binding.ready;
    backend.down = true;
    state.expired = true;
    expect(await binding.refresh('account', refresh)).toBeUndefined();
    expect(state.spent).toEqual(['test-refresh-token-0']);
    expect(backend.calls.filter((call) => call === 'lockRefresh' || call === 'readHealth').slice(-2)).toEqual(['lockRefresh', 'readHealth']);
  });
});
