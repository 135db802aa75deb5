// Helpers of the Redis tests (not part of the package: tsup builds only src/index.ts). Tests in tests/ import this
// file by path, so that `redis` resolves from this package.
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';

const newClient = (url: string) => createClient({ url, socket: { reconnectStrategy: false } });

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Redis URL the tests use, or `''` when no Redis answered (set by tests/shared-state/redis-global-setup.ts). */
    redisUrl: string;
  }
}

/** A plain node-redis client, for tests. */
export type TestRedisClient = ReturnType<typeof newClient>;

/** A key prefix no other test file or run uses: `kit-test:<name>:<random>`. */
export function uniquePrefix(name: string): string {
  return `kit-test:${name}:${randomBytes(4).toString('hex')}`;
}

/** Connects a client to `url` (errors while it reconnects are swallowed: tests look at what they observe). */
export async function connectTestRedis(url: string): Promise<TestRedisClient> {
  const client = newClient(url);
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** Every key under `prefix`. */
export async function keysUnder(client: TestRedisClient, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const batch of client.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 })) keys.push(...batch);
  return keys;
}

/** Deletes every key under `prefix` (run after each test file). */
export async function deleteKeysUnder(client: TestRedisClient, prefix: string): Promise<void> {
  const keys = await keysUnder(client, prefix);
  if (keys.length > 0) await client.del(keys);
}

/** Every string value stored under `prefix` (hash values and plain strings), for scanning for secrets. */
export async function valuesUnder(client: TestRedisClient, prefix: string): Promise<string[]> {
  const values: string[] = [];
  for (const key of await keysUnder(client, prefix)) {
    const type = await client.type(key);
    if (type === 'hash') values.push(...Object.values(await client.hGetAll(key)));
    else if (type === 'string') values.push((await client.get(key)) ?? '');
  }
  return values;
}

// A client from `createClient()` is a `RedisClient` as `createRedisStateStore({ client })` takes it (checked by tsc).
export const asStoreClient = (client: TestRedisClient): import('./redis-state-store').RedisClient => client;
