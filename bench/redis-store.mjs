// Cost per call of a KeyManager / OAuthManager sharing its state through @kit/store-redis, against the same manager
// with local state only, measured in one run: µs per call (await acquire() + reportSuccess(), what the request engine
// does) at p50 / p99, and Redis round trips per call (every command the server processed during the row, from its own
// counter, INFO stats). Target: 0 round trips on the hot path when nothing changed. A last row reports a 429 on one key every 1 000 calls, to show
// what changes cost (a 429 on a key already cooling for longer changes nothing shared, so not every report writes).
//
// Needs a Redis server at REDIS_URL (default redis://127.0.0.1:6379); without one it says so and exits 0.
//   npx -y pnpm@12.4.2 exec node redis-store.mjs [--calls 20000]
import { environmentLine, fixed, printTable, summarize } from './bench-stats.mjs';

const built = (path) => new URL(`../packages/${path}`, import.meta.url).href;
const { KitError } = await import(built('core/dist/index.js'));
const { KeyManager } = await import(built('keymanager/dist/index.js'));
const { OAuthManager } = await import(built('oauthmanager/dist/index.js'));
const { createRedisStateStore } = await import(built('store-redis/dist/index.js'));
// node-redis, from the package that depends on it.
const { createClient } = await import(new URL('../packages/store-redis/node_modules/redis/dist/index.js', import.meta.url).href);

const index = process.argv.indexOf('--calls');
const CALLS = index === -1 ? 20_000 : Number(process.argv[index + 1]);
const url = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const prefix = `kit-bench:${process.pid}`;

const client = createClient({ url, disableOfflineQueue: true, socket: { reconnectStrategy: false } });
client.on('error', () => {});
try {
  await client.connect();
} catch (error) {
  console.log(`redis-store bench NOT RUN: no Redis at ${url} (${error.message}).`);
  process.exit(0);
}
// Commands are counted by the server (INFO stats: total_commands_processed), read over a second connection: the store
// may send through any of the client's command paths, so wrapping one client method would miss some.
const counter = createClient({ url, socket: { reconnectStrategy: false } });
counter.on('error', () => {});
await counter.connect();
const serverCommands = async () => Number(/total_commands_processed:(\d+)/.exec(await counter.info('stats'))?.[1]);
const stateStore = createRedisStateStore({ client, prefix, plaintextSecrets: true, retentionMs: 60_000 });

/** Times `CALLS` calls of `call(n)` (after a warm-up) and counts the store's commands meanwhile. */
async function measure(name, call) {
  for (let n = 0; n < 2_000; n++) await call(n);
  await new Promise((resolve) => setTimeout(resolve, 100));
  const before = await serverCommands();
  const durations = new Float64Array(CALLS);
  for (let n = 0; n < CALLS; n++) {
    const start = performance.now();
    await call(n);
    durations[n] = (performance.now() - start) * 1_000;
  }
  // Writes are asynchronous: let the last ones land before counting.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const stats = summarize(durations);
  // Minus the INFO command that read `before` (the one reading `after` is counted after it runs).
  const sent = (await serverCommands()) - before - 1;
  return [name, fixed(stats.p50, 2), fixed(stats.p99, 2), fixed(sent / CALLS, 4)];
}

const keys = ['test-key-1', 'test-key-2', 'test-key-3'];
const keyCall = (manager) => async () => {
  const lease = await manager.acquire();
  manager.reportSuccess(lease.id, { sequence: lease.sequence });
};
const account = { id: 'account', accessToken: 'test-access-token-0', refreshToken: 'test-refresh-token-0', expiresAt: Date.now() + 3_600_000 };
const refresh = async () => ({ accessToken: 'test-access-token-1', expiresInMs: 3_600_000 });
const rateLimit = new KitError('rate_limit', 'Rate limit reached', { status: 429, retryAfterMs: 1 });

const rows = [];
rows.push(await measure('KeyManager, local state', keyCall(new KeyManager('openai', keys))));
rows.push(await measure('KeyManager + Redis store', keyCall(new KeyManager('openai', keys, { stateStore }))));
rows.push(await measure('OAuthManager, local state', keyCall(new OAuthManager('gemini', [account], refresh))));
rows.push(await measure('OAuthManager + Redis store', keyCall(new OAuthManager('gemini', [account], refresh, { stateStore }))));
const changing = new KeyManager('openai-changes', keys, { stateStore, initialBackoffMs: 0 });
const plain = keyCall(changing);
rows.push(
  await measure('KeyManager + Redis store, 1 change / 1 000 calls', async (n) => {
    if (n % 1_000 === 999) changing.reportFailure('key-1', rateLimit);
    await plain();
  }),
);

console.log(environmentLine());
console.log(`${CALLS} calls per row (await acquire() + reportSuccess()), 3 credentials, Redis at ${url}`);
printTable([['setup', 'p50 µs/call', 'p99 µs/call', 'Redis round trips/call'], ...rows], ['l', 'r', 'r', 'r']);

await stateStore.close();
await new Promise((resolve) => setTimeout(resolve, 200)); // writes still in flight land before the clean-up
for await (const batch of client.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 })) if (batch.length) await client.del(batch);
await client.close();
await counter.close();
