import type { SharedHealth, SharedHealthRecord, SharedStateChange, SharedToken, StateStoreBackend, StoredToken } from '@kit/core/provider-utils';
import { SHARED_HEALTH_FIELDS } from '@kit/core/provider-utils';
import { commitTokenScript, extendLockScript, lockScript, mergeHealthScript, type RedisScript, unlockScript } from './redis-scripts';

/** The part of a node-redis client the backend uses (a `createClient()` client has it). */
export interface RedisCommandClient {
  sendCommand(args: readonly string[]): Promise<unknown>;
}

/** The part of a node-redis client the change feed uses. */
export interface RedisSubscriberClient {
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
}

/** Where the backend keeps its keys, and for how long. */
export interface RedisBackendOptions {
  /** First part of every key and of the channel. */
  prefix: string;
  /** How long a record is kept after its last deadline or write (ms). */
  retentionMs: number;
  /** Wall clock (epoch ms). */
  now: () => number;
}

const TOKEN_FIELDS = ['accessToken', 'refreshToken', 'expiresAt', 'lastRefreshAt', 'refreshCount', 'resourceUrl'] as const;
const NUMERIC_TOKEN_FIELDS = new Set(['expiresAt', 'lastRefreshAt', 'refreshCount']);

const finite = (value: unknown): number | undefined => {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(number) ? number : undefined;
};

/** A hash reply as a plain object: RESP2 gives a flat array, RESP3 a map (or an object, by type mapping). */
function hashOf(reply: unknown): Record<string, string> {
  const hash: Record<string, string> = {};
  const entries: Iterable<[unknown, unknown]> | undefined = Array.isArray(reply)
    ? reply.flatMap((value, index) => (index % 2 === 0 ? [[value, reply[index + 1]] as [unknown, unknown]] : []))
    : reply instanceof Map
      ? reply.entries()
      : reply && typeof reply === 'object'
        ? Object.entries(reply)
        : undefined;
  for (const [name, value] of entries ?? []) hash[String(name)] = String(value);
  return hash;
}

/** A health record from stored or published fields; `undefined` when it is not one (garbage never crashes the feed). */
function healthRecordOf(version: unknown, fields: Record<string, unknown>): SharedHealthRecord | undefined {
  const number = finite(version);
  if (number === undefined) return undefined;
  const health = {} as SharedHealth;
  for (const field of SHARED_HEALTH_FIELDS) health[field] = finite(fields[field]) ?? 0;
  return { version: number, health };
}

/** Stored tokens from stored or published fields; `undefined` without a version and an access token. */
function storedTokenOf(fields: Record<string, unknown>): StoredToken | undefined {
  const version = finite(fields.version);
  const accessToken = fields.accessToken;
  if (version === undefined || typeof accessToken !== 'string' || accessToken === '') return undefined;
  const token: StoredToken = { version, accessToken };
  for (const field of TOKEN_FIELDS) {
    const value = fields[field];
    if (field === 'accessToken' || value === undefined || value === null || value === '') continue;
    if (NUMERIC_TOKEN_FIELDS.has(field)) {
      const number = finite(value);
      if (number !== undefined) (token as unknown as Record<string, number>)[field] = number;
    } else if (typeof value === 'string') (token as unknown as Record<string, string>)[field] = value;
  }
  return token;
}

/** A published change, or `undefined` for anything else on the channel. */
export function parseChange(message: string): SharedStateChange | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object') return undefined;
  const { type, key, record, token } = parsed as Record<string, unknown>;
  if (typeof key !== 'string') return undefined;
  if (type === 'unlock') return { type, key };
  if (type === 'health' && record && typeof record === 'object') {
    const { version, health } = record as Record<string, unknown>;
    const parsedRecord = health && typeof health === 'object' ? healthRecordOf(version, health as Record<string, unknown>) : undefined;
    return parsedRecord && { type, key, record: parsedRecord };
  }
  if (type === 'token' && token && typeof token === 'object') {
    const parsedToken = storedTokenOf(token as Record<string, unknown>);
    return parsedToken && { type, key, token: parsedToken };
  }
  return undefined;
}

/**
 * `StateStoreBackend` on Redis: per credential, a health hash (expiring `retentionMs` after its last deadline), a
 * token hash, a refresh lock (`SET NX PX`) and a fencing counter, all under `<prefix>:{<credential>}:` (one hash tag:
 * one Cluster slot); changes are published on `<prefix>:changes`. Every write is one Lua script, so it is atomic.
 */
export class RedisBackend implements Omit<StateStoreBackend, 'subscribe'> {
  readonly channel: string;
  readonly #client: RedisCommandClient;
  readonly #options: RedisBackendOptions;
  readonly #known = new Set<string>();

  constructor(client: RedisCommandClient, options: RedisBackendOptions) {
    this.#client = client;
    this.#options = options;
    this.channel = `${options.prefix}:changes`;
  }

  /** The Redis key of one record of a credential. */
  key(credential: string, record: 'health' | 'token' | 'lock' | 'fence'): string {
    return `${this.#options.prefix}:{${credential}}:${record}`;
  }

  async readHealth(key: string): Promise<SharedHealthRecord | undefined> {
    const hash = hashOf(await this.#client.sendCommand(['HGETALL', this.key(key, 'health')]));
    return healthRecordOf(hash.version, hash);
  }

  async mergeHealth(key: string, update: { next: SharedHealth; known: SharedHealth }): Promise<SharedHealthRecord> {
    const values = (health: SharedHealth) => SHARED_HEALTH_FIELDS.map((field) => String(Math.round(health[field])));
    const { retentionMs, now } = this.#options;
    const message = await this.#run(
      mergeHealthScript,
      [this.key(key, 'health')],
      [this.channel, key, String(retentionMs), String(now()), ...values(update.next), ...values(update.known)],
    );
    const change = typeof message === 'string' ? parseChange(message) : undefined;
    if (change?.type !== 'health') throw new Error('Redis answered the health merge with something else than a record');
    return change.record;
  }

  async readToken(key: string): Promise<StoredToken | undefined> {
    return storedTokenOf(hashOf(await this.#client.sendCommand(['HGETALL', this.key(key, 'token')])));
  }

  async lockRefresh(key: string, ttlMs: number): Promise<number | undefined> {
    return finite(await this.#run(lockScript, [this.key(key, 'lock'), this.key(key, 'fence')], [String(ttlMs)]));
  }

  async extendRefreshLock(key: string, fence: number, ttlMs: number): Promise<boolean> {
    return finite(await this.#run(extendLockScript, [this.key(key, 'lock')], [String(fence), String(ttlMs)])) === 1;
  }

  async unlockRefresh(key: string, fence: number): Promise<void> {
    await this.#run(unlockScript, [this.key(key, 'lock')], [String(fence), this.channel, JSON.stringify({ type: 'unlock', key })]);
  }

  async commitToken(key: string, token: SharedToken, fence?: number): Promise<number | undefined> {
    const fields: string[] = [];
    for (const field of TOKEN_FIELDS) {
      const value = token[field];
      if (value !== undefined) fields.push(field, String(value));
    }
    const keys = [this.key(key, 'token'), this.key(key, 'lock')];
    return finite(
      await this.#run(commitTokenScript, keys, [this.channel, key, fence === undefined ? '' : String(fence), String(this.#options.retentionMs), ...fields]),
    );
  }

  /** EVALSHA, and EVAL when the server does not have the script yet (a restart, a failover, a first call). */
  async #run(script: RedisScript, keys: string[], args: string[]): Promise<unknown> {
    const tail = [String(keys.length), ...keys, ...args];
    if (this.#known.has(script.sha)) {
      try {
        return await this.#client.sendCommand(['EVALSHA', script.sha, ...tail]);
      } catch (error) {
        if (!/NOSCRIPT/.test(error instanceof Error ? error.message : String(error))) throw error;
      }
    }
    const reply = await this.#client.sendCommand(['EVAL', script.source, ...tail]);
    this.#known.add(script.sha);
    return reply;
  }
}
