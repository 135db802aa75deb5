// Once per test run: is a Redis server reachable at REDIS_URL (default redis://127.0.0.1:6379)? The Redis tests (the
// @kit/store-redis unit tests and the multi-process tests in this folder) run only then; otherwise this prints ONE line
// saying they were not run and why. CI always has a Redis, so there they run. No mock Redis anywhere.
import { connect } from 'node:net';
import type { TestProject } from 'vitest/node';
// Declares `inject('redisUrl')` (the declaration lives with the other helpers of the Redis tests).
import type {} from '../../packages/store-redis/src/redis-test-helpers';

/** Sends a RESP `PING` and resolves to `undefined` when anything answers, else to why not. */
function probe(url: URL, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname || '127.0.0.1', port: Number(url.port || 6379) });
    const done = (reason?: string) => {
      socket.destroy();
      resolve(reason);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs} ms`));
    socket.once('error', (error) => done(error.message));
    socket.once('connect', () => socket.write('*1\r\n$4\r\nPING\r\n'));
    // "+PONG", or "-NOAUTH …" from a server that wants the password the URL carries: either way a Redis answered.
    socket.once('data', (data) => done(/^[+-]/.test(data.toString('utf8')) ? undefined : 'the server did not answer as Redis does'));
  });
}

export default async function setup(project: TestProject): Promise<void> {
  const url = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  let reason: string | undefined;
  try {
    reason = await probe(new URL(url), 1_000);
  } catch (error) {
    reason = error instanceof Error ? error.message : String(error);
  }
  project.provide('redisUrl', reason === undefined ? url : '');
  if (reason !== undefined) {
    console.log(`Redis tests NOT RUN: no Redis server at ${url} (${reason}). Start one or set REDIS_URL to run them (CI always does).`);
  }
}
