// One worker process: a KeyManager whose state is shared through Redis, calling the upstream the parent gives it.
import { KeyManager } from '@kit/keymanager';
import { createOpenAI } from '@kit/openai';
import { createRedisStateStore } from '@kit/store-redis';

const name = process.env.WORKER_NAME ?? 'worker';
const keys = (process.env.POOL_KEYS ?? '').split(',');
const stateStore = createRedisStateStore({
  url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  prefix: process.env.STATE_PREFIX ?? 'shared-pool-example',
  retentionMs: 60_000, // an example's records expire a minute after their last deadline
});
const pool = new KeyManager('openai', keys, {
  stateStore,
  policies: { 401: { action: 'disable' } },
  onEvent: (event) => {
    if (event.type === 'credential-failure') console.log(`[${name}] ${event.credentialId} failed (${event.error.code}): shared with the other workers`);
    if (event.type === 'store-unavailable') console.log(`[${name}] ${event.message}`);
  },
});
const openai = createOpenAI({ credentials: pool, baseURL: process.env.UPSTREAM_URL, headers: { 'x-worker': name } });

process.on('message', async (message: { calls: number }) => {
  let ok = 0;
  for (let call = 0; call < message.calls; call++) {
    await openai.complete({ model: 'gpt-6-luna', prompt: 'Say hi', stream: false }).then(
      () => ok++,
      () => {},
    );
  }
  const disabled = pool
    .getKeyHealth()
    .filter((key) => key.disabled)
    .map((key) => key.id);
  process.send?.({ name, ok, disabled });
  await stateStore.close();
  process.disconnect?.();
});
process.send?.({ ready: name });
