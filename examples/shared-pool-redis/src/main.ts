// pnpm --filter shared-pool-redis start — three worker processes share one key pool through Redis (REDIS_URL,
// default redis://127.0.0.1:6379). The upstream is a local fake OpenAI server from @kit/testkit (no network) on which
// key-2 is revoked: the first worker to be refused shares it, and the others stop using key-2 without trying it.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createMockUpstream, faults } from '@kit/testkit';

const keys = ['test-key-example-1', 'test-key-example-2', 'test-key-example-3'];
const upstream = await createMockUpstream({
  dialect: 'openai',
  credentials: keys.map((secret, index) => ({ id: `key-${index + 1}`, secret, ...(index === 1 ? { script: faults.unauthorized() } : {}) })),
});
const env = { ...process.env, POOL_KEYS: keys.join(','), UPSTREAM_URL: upstream.url, STATE_PREFIX: `shared-pool-example:${process.pid}` };
const workerPath = fileURLToPath(new URL('./worker.js', import.meta.url));

/** Runs one worker for `calls` calls and resolves with its report. */
function runWorker(name: string, calls: number): Promise<{ name: string; ok: number; disabled: string[] }> {
  const child = fork(workerPath, [], { env: { ...env, WORKER_NAME: name } });
  return new Promise((resolve, reject) => {
    child.on('message', (message: { ready?: string; name?: string; ok: number; disabled: string[] }) => {
      if (message.ready) child.send({ calls });
      else resolve(message as { name: string; ok: number; disabled: string[] });
    });
    child.once('exit', (code) => (code ? reject(new Error(`${name} exited with ${code}`)) : undefined));
  });
}

// Worker A meets the revoked key first; then B and C start and never send a request with it.
const first = await runWorker('A', 6);
const others = await Promise.all([runWorker('B', 10), runWorker('C', 10)]);
for (const report of [first, ...others]) console.log(`${report.name}: ${report.ok} calls succeeded; disabled keys: ${report.disabled.join(', ') || 'none'}`);
const key2ByOthers = upstream.requests.filter((request) => request.credentialId === 'key-2' && request.headers?.['x-worker'] !== 'A').length;
console.log(`requests with key-2 from B and C: ${key2ByOthers}`);
await upstream.close();
