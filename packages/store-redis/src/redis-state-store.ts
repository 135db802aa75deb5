import { type CredentialStateStore, KitError } from '@kit/core';
import { createStateStore, type StateStoreOptions } from '@kit/core/provider-utils';
import { createClient } from 'redis';
import { parseChange, RedisBackend } from './redis-backend';

/** The part of a node-redis client (`createClient()` from `redis`, any modules or RESP version) the store uses. */
export interface RedisClient {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  sendCommand(args: readonly string[]): Promise<unknown>;
  duplicate(overrides?: { disableOfflineQueue?: boolean }): RedisClient;
  connect(): Promise<unknown>;
  close(): Promise<unknown>;
  subscribe(channel: string, listener: (message: string) => unknown): Promise<unknown>;
  on(event: 'error' | 'end' | 'ready', listener: (error?: unknown) => void): unknown;
  off(event: 'error' | 'end' | 'ready', listener: (error?: unknown) => void): unknown;
}

/** Options of `createRedisStateStore`: where Redis is (`url` or your `client`), the key prefix, and the store's options. */
export interface RedisStateStoreOptions extends StateStoreOptions {
  /** `redis://[[user]:password@]host[:port][/db]` (or `rediss://` for TLS). The store opens and closes its connections. */
  url?: string;
  /**
   * Your node-redis client instead of `url` (its `disableOfflineQueue: true` is advised: commands then fail at once
   * while Redis is away instead of waiting). The store duplicates it for its subscription, connects it if it is not
   * open, and leaves it open on `close()`.
   */
  client?: RedisClient;
  /** First part of every key and of the change channel: give each application (or test) its own. Default `'kit'`. */
  prefix?: string;
  /** How long a record stays after its last deadline or write, in ms. Default 7 days. */
  retentionMs?: number;
}

/** The state store `createRedisStateStore` returns: pass it as `stateStore` to `KeyManager` and `OAuthManager`. */
export interface RedisStateStore extends CredentialStateStore {
  /** The key prefix in use. */
  readonly prefix: string;
  /** Detaches every manager and closes the store's connections (a `client` you passed stays open). */
  close(): Promise<void>;
}

const DAY = 86_400_000;

const invalid = (field: string, problem: string) => new KitError('invalid_config', `createRedisStateStore: options.${field}: ${problem}`);

/**
 * Shared credential state on Redis, for `KeyManager` and `OAuthManager` in many processes (serverless instances, a
 * cluster of workers, CLI processes): per-credential health, failure counters, cooldowns and rate-limit windows in
 * hashes with expiries; OAuth tokens (sealed by `cipher`) with a cross-process refresh lock (`SET NX PX` with a
 * fencing token; the rotated refresh token is written with the access token in one Lua script); a pub/sub channel that
 * brings every change to every process (reads stay in memory: no Redis round trip per call when nothing changed).
 * When Redis is away, the managers go on with their own state (a `store-unavailable` event) and re-sync when it is back.
 *
 * Built on node-redis (`redis`), the client Redis maintains itself.
 * @throws KitError `invalid_config` naming a bad option.
 * @example
 * ```ts
 * const stateStore = createRedisStateStore({ url: process.env.REDIS_URL, cipher: createPassphraseCipher(process.env.KIT_STATE_PASSPHRASE) });
 * const keys = new KeyManager('openai', [process.env.OPENAI_KEY_1, process.env.OPENAI_KEY_2], { stateStore });
 * ```
 */
export function createRedisStateStore(options: RedisStateStoreOptions): RedisStateStore {
  if (!options || typeof options !== 'object') throw new KitError('invalid_config', 'createRedisStateStore: options: must be an object');
  const { url, client: given, prefix = 'kit', retentionMs = 7 * DAY, ...storeOptions } = options;
  if ((url === undefined) === (given === undefined)) throw invalid('url', 'give exactly one of "url" and "client"');
  if (url !== undefined && (typeof url !== 'string' || !/^rediss?:\/\//.test(url))) throw invalid('url', 'must be a redis:// or rediss:// URL');
  if (given !== undefined && (typeof given !== 'object' || typeof given?.sendCommand !== 'function' || typeof given.duplicate !== 'function')) {
    throw invalid('client', 'must be a node-redis client (createClient())');
  }
  if (typeof prefix !== 'string' || !/^[\w.:-]+$/.test(prefix)) throw invalid('prefix', 'must be a non-empty string of letters, digits, "_", "-", "." or ":"');
  if (!Number.isInteger(retentionMs) || retentionMs < 60_000) throw invalid('retentionMs', 'must be an integer of at least 60000');

  const client: RedisClient =
    given ??
    (createClient({
      url,
      // Commands fail at once while Redis is away (instead of queueing): the managers fall back to their own state.
      disableOfflineQueue: true,
      socket: { connectTimeout: 2_000, reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1_000) },
    }) as RedisClient);
  const subscriber = client.duplicate({ disableOfflineQueue: true });
  const backend = new RedisBackend(client, { prefix, retentionMs, now: Date.now });
  const ownsClient = given === undefined;
  type ConnectionEvent = 'error' | 'end' | 'ready';
  const listeners: [RedisClient, ConnectionEvent, (error?: unknown) => void][] = [];
  const on = (target: RedisClient, event: ConnectionEvent, listener: (error?: unknown) => void) => {
    target.on(event, listener);
    listeners.push([target, event, listener]);
  };

  // Settles with the first connection of both clients (rejects at the first error before it). Until then operations
  // wait for it; after a failed first attempt they fail at once (while node-redis goes on reconnecting).
  let firstConnection: Promise<void> = Promise.reject(new Error('not connected'));
  firstConnection.catch(() => {});
  let subscribed = false;
  const connected = async <T>(operation: () => Promise<T>): Promise<T> => {
    if (!(client.isReady && subscribed)) await firstConnection;
    // Without the subscription, other processes' changes would be missed: the store counts as unavailable until the
    // subscriber is back (then 'ready' reports it, and the managers re-sync).
    if (!subscriber.isReady) throw new Error('the Redis subscription is not connected');
    return operation();
  };

  const store = createStateStore(
    {
      readHealth: (key) => connected(() => backend.readHealth(key)),
      mergeHealth: (key, update) => connected(() => backend.mergeHealth(key, update)),
      readToken: (key) => connected(() => backend.readToken(key)),
      lockRefresh: (key, ttlMs) => connected(() => backend.lockRefresh(key, ttlMs)),
      extendRefreshLock: (key, fence, ttlMs) => connected(() => backend.extendRefreshLock(key, fence, ttlMs)),
      unlockRefresh: (key, fence) => connected(() => backend.unlockRefresh(key, fence)),
      commitToken: (key, token, fence) => connected(() => backend.commitToken(key, token, fence)),
      subscribe(onChange, onAvailability) {
        // Both connections must be up and the channel subscribed for the store to count as available: changes missed
        // while the subscription was down are read again by the re-sync that follows. (node-redis emits 'ready' before
        // `connect()` resolves, so after a failed start the subscription comes after both 'ready' events.)
        let lost = false;
        const down = (error: unknown) => {
          lost = true;
          onAvailability(false, error instanceof Error ? error.message : 'the Redis connection closed');
        };
        const up = () => {
          if (lost && subscribed && client.isReady && subscriber.isReady) {
            lost = false;
            onAvailability(true);
          }
        };
        for (const connection of [client, subscriber]) {
          on(connection, 'error', down);
          on(connection, 'end', () => down(undefined));
          on(connection, 'ready', up);
        }
        const listener = (message: string) => {
          const change = parseChange(message);
          if (change) onChange(change);
        };
        let failFirst: (error?: unknown) => void = () => {};
        firstConnection = new Promise<void>((resolve, reject) => {
          failFirst = (error) => reject(error instanceof Error ? error : new Error('the Redis connection closed'));
          client.on('error', failFirst);
          subscriber.on('error', failFirst);
          const subscribing = subscriber
            .connect()
            .then(() => subscriber.subscribe(backend.channel, listener))
            .then(() => {
              subscribed = true;
              up();
            });
          const connecting = client.isOpen ? Promise.resolve() : client.connect();
          Promise.all([subscribing, connecting]).then(() => resolve(), failFirst);
        }).finally(() => {
          // Only the first attempt's listeners: `down` and `up` follow the connections from here on.
          client.off('error', failFirst);
          subscriber.off('error', failFirst);
        });
        firstConnection.catch(down);
        return () => {};
      },
    },
    storeOptions,
  );

  return {
    prefix,
    attach: (pool) => store.attach(pool),
    async close() {
      store.close();
      for (const [target, event, listener] of listeners.splice(0)) target.off(event, listener);
      // Errors of a connection being closed are of no interest any more, but must not go unhandled.
      const ignore = () => {};
      subscriber.on('error', ignore);
      await subscriber.close().catch(() => {});
      if (ownsClient) {
        client.on('error', ignore);
        await client.close().catch(() => {});
      }
    },
  };
}
