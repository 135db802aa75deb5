// The pieces of the multi-process tests: worker processes (worker.mjs, on the built packages), an OpenAI-style
// upstream that records which worker sent which credential when, and a private redis-server for the outage test.
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createMockOAuthServer, type MockOAuthServer } from '@kit/testkit';

const builtEntries = [
  'core/dist/index.js',
  'core/dist/provider-utils/index.js',
  'openai/dist/index.js',
  'keymanager/dist/index.js',
  'oauthmanager/dist/index.js',
  'store-redis/dist/index.js',
];

/** The workers load the built packages: `npm test` builds them before vitest runs. Without them, say how to build. */
export function requireBuiltPackages(): void {
  const missing = builtEntries.filter((entry) => !existsSync(fileURLToPath(new URL(`../../packages/${entry}`, import.meta.url))));
  if (missing.length > 0) {
    throw new Error(
      `the multi-process tests run the built packages; missing: ${missing.join(', ')}. Build them first: npx -y pnpm@12.4.2 exec turbo run build --filter=@kit/store-redis... --filter=@kit/openai... --filter=@kit/keymanager... --filter=@kit/oauthmanager...`,
    );
  }
}

/** What a worker is told at start (see worker.mjs). */
export interface WorkerConfig {
  name: string;
  mode: 'keys' | 'oauth';
  redisUrl: string;
  prefix: string;
  upstreamUrl: string;
  passphrase: string;
  keys?: { id: string; key: string }[];
  account?: { id: string; accessToken: string; refreshToken: string; expiresAt: number };
  tokenUrl?: string;
  lockTtlMs?: number;
}

/** A worker process and its IPC. */
export interface Worker {
  readonly name: string;
  readonly process: ChildProcess;
  /** Sends a command and resolves with its answer. */
  command<T = unknown>(cmd: string, extra?: object): Promise<T>;
  /** Resolves with the next `{ event }` message of this name. */
  nextEvent(event: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts `count` calls in every worker and SIGKILLs whichever worker starts a token refresh first (mid-refresh, its
 * lock or lease held); resolves with the survivors and the outcomes of their calls (`{ ok: count }` when all succeed).
 */
export async function callsWhileKillingTheRefresher<W extends Pick<Worker, 'process' | 'command' | 'nextEvent'>>(group: readonly W[], count: number) {
  const holder = new Promise<W>((resolve) => {
    for (const worker of group) worker.nextEvent('refresh-started').then(() => resolve(worker));
  });
  const calls = group.map((worker) => worker.command<Record<string, number>>('calls', { count }).catch(() => 'killed' as const));
  const killed = await holder;
  await kill(killed.process);
  const outcomes = await Promise.all(calls);
  return { survivors: group.filter((worker) => worker !== killed), survivorOutcomes: outcomes.filter((_, index) => group[index] !== killed) };
}

const workerPath = fileURLToPath(new URL('./worker.mjs', import.meta.url));

/** Starts a worker (worker.mjs: a pool over Redis) with the Node running the tests and resolves once it is ready. */
export function startWorker(config: WorkerConfig): Promise<Worker> {
  return forkWorker(workerPath, config.name, config);
}

/**
 * Forks the worker script at `path` with `config` (in `KIT_WORKER_CONFIG`) and resolves once it says `ready`.
 * Commands to a worker that has died (killed on purpose) reject; they never raise an unhandled EPIPE.
 */
export async function forkWorker(path: string, name: string, config: object): Promise<Worker> {
  const child = fork(path, [], { execPath: process.execPath, env: { ...process.env, KIT_WORKER_CONFIG: JSON.stringify(config) }, stdio: 'inherit' });
  let next = 0;
  const pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  const eventWaiters: { event: string; resolve: () => void }[] = [];
  child.once('exit', () => {
    for (const { reject } of pending.values()) reject(new Error(`worker ${name} exited`));
    pending.clear();
  });
  child.on('message', (message: { id?: number; result?: unknown; event?: string }) => {
    if (message.id !== undefined) {
      pending.get(message.id)?.resolve(message.result);
      pending.delete(message.id);
    }
    if (message.event) {
      const index = eventWaiters.findIndex((waiter) => waiter.event === message.event);
      if (index >= 0) eventWaiters.splice(index, 1)[0]?.resolve();
    }
  });
  const worker: Worker = {
    name,
    process: child,
    command: (cmd, extra) =>
      new Promise((resolve, reject) => {
        const id = ++next;
        pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
        // With a callback, a message to a process that just died fails here (EPIPE), not as an uncaught 'error'.
        child.send({ id, cmd, ...extra }, (error) => {
          if (!error) return;
          pending.delete(id);
          reject(error);
        });
      }),
    nextEvent: (event) => new Promise((resolve) => eventWaiters.push({ event, resolve })),
    async stop() {
      if (!child.connected || child.exitCode !== null || child.signalCode !== null) return;
      await worker.command('stop').catch(() => {});
    },
  };
  const ready = worker.nextEvent('ready');
  await Promise.race([ready, new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`worker ${name} exited with ${code}`))))]);
  return worker;
}

/** One request the upstream received. */
export interface UpstreamRequest {
  worker: string;
  /** The credential presented (the key, or the access token). */
  credential: string;
  /** Wall-clock ms when it arrived. */
  at: number;
  status: number;
}

// The bodies below follow OpenAI's API reference: "The chat completion object" for 200, and the error object
// (`{ error: { message, type, param, code } }`) of its "Error codes" guide for 401 `invalid_api_key` and 429
// `rate_limit_exceeded` (the latter with the `retry-after` header OpenAI sends on rate limits).
const completion = JSON.stringify({
  id: 'chatcmpl-test-1',
  object: 'chat.completion',
  created: 1_733_000_000,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello!', refusal: null }, logprobs: null, finish_reason: 'stop' }],
  usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 },
});
const unauthorized = JSON.stringify({ error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
const rateLimited = JSON.stringify({
  error: {
    message: 'Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 30s.',
    type: 'requests',
    param: null,
    code: 'rate_limit_exceeded',
  },
});

/** How the upstream answers a credential: accept, reject as revoked (401), or rate-limit (429, retry after 30 s). */
export type CredentialVerdict = 'ok' | 'revoked' | 'rate-limited';

/** An OpenAI-style upstream on 127.0.0.1 that judges each request's credential with `judge`. */
export async function startUpstream(
  judge: (credential: string) => CredentialVerdict,
): Promise<{ url: string; requests: UpstreamRequest[]; close(): Promise<void> }> {
  const requests: UpstreamRequest[] = [];
  const server: Server = createServer((request: IncomingMessage, response) => {
    request.resume();
    request.on('end', () => {
      const credential = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
      const verdict = judge(credential);
      const status = verdict === 'ok' ? 200 : verdict === 'revoked' ? 401 : 429;
      requests.push({ worker: String(request.headers['x-worker']), credential, at: Date.now(), status });
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (status === 429) headers['retry-after'] = '30';
      response.writeHead(status, headers);
      response.end(status === 200 ? completion : status === 401 ? unauthorized : rateLimited);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts `redis-server` (on PATH) on `port`, without persistence; resolves once it accepts connections. */
export async function startRedisServer(port: number): Promise<ChildProcess> {
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    server.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (/Ready to accept connections/i.test(output)) resolve();
    });
    server.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
    server.once('error', reject);
  });
  server.stdout?.resume();
  return server;
}

/** Kills a process and resolves once it has exited. */
export function kill(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/** Polls `condition` every 20 ms until it holds or `limitMs` passed; resolves whether it held. */
export async function eventually(condition: () => Promise<boolean> | boolean, limitMs: number): Promise<boolean> {
  for (const start = Date.now(); Date.now() - start < limitMs; ) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return condition();
}

/** A script of the mock token server's replies to the account's refresh grants. */
export type OAuthScript = Parameters<MockOAuthServer['setScript']>[1];

/** The test's OAuth token server, holding one account (`account`) whose access token expired a minute ago. */
export function expiredAccountTokenServer(script: OAuthScript): Promise<MockOAuthServer> {
  return createMockOAuthServer({
    accounts: [{ id: 'account', refreshToken: 'test-refresh-token-0', accessToken: 'test-access-token-0', accessTokenExpiresAt: Date.now() - 60_000, script }],
  });
}
