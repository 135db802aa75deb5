// One refresh across the processes of one machine through a FileCredentialStore: four worker processes
// (file-lock-worker.mjs, on the built packages) share one encrypted credential file and its stateStore() (the lock
// file `<file>.lock` and the refresh leases kept in the file). No Redis involved.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileCredentialStore } from '@kit/oauthmanager/node';
import { type MockOAuthServer, oauthFaults, oauthReplies } from '@kit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callsWhileKillingTheRefresher, expiredAccountTokenServer, forkWorker, type OAuthScript, startUpstream, type Worker } from './harness';

const builtEntries = ['core/dist/index.js', 'openai/dist/index.js', 'oauthmanager/dist/index.js', 'oauthmanager/dist/node/index.js'];
const workerPath = fileURLToPath(new URL('./file-lock-worker.mjs', import.meta.url));
const passphrase = 'test-passphrase-file-lock';
const fastScrypt = { N: 1024, r: 8, p: 1 };
const names = ['A', 'B', 'C', 'D'];

type Outcomes = Record<string, number>;

describe('FileCredentialStore across 4 processes (lock file, refresh leases)', { timeout: 120_000 }, () => {
  let directory: string;
  const workers: Worker[] = [];
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    const missing = builtEntries.filter((entry) => !existsSync(fileURLToPath(new URL(`../../packages/${entry}`, import.meta.url))));
    if (missing.length > 0)
      throw new Error(
        `these tests run the built packages; missing: ${missing.join(', ')}. Build them first: npx -y pnpm@12.4.2 exec turbo run build --filter=@kit/oauthmanager... --filter=@kit/openai...`,
      );
    directory = await mkdtemp(join(tmpdir(), 'kit-file-lock-'));
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    for (const close of closers) await close();
    await rm(directory, { recursive: true, force: true });
  });

  /** An encrypted credential file holding one account whose access token expired a minute ago. */
  async function expiredAccountFile(name: string): Promise<string> {
    const path = join(directory, name, 'accounts.json');
    await new FileCredentialStore({ path, passphrase, scrypt: fastScrypt }).save({
      id: 'account',
      accessToken: 'test-access-token-0',
      refreshToken: 'test-refresh-token-0',
      expiresAt: Date.now() - 60_000,
    });
    return path;
  }

  async function oauthServer(script: OAuthScript): Promise<MockOAuthServer> {
    const server = await expiredAccountTokenServer(script);
    closers.push(() => server.close());
    return server;
  }

  async function startWorkers(config: object): Promise<Worker[]> {
    const started = await Promise.all(names.map((name) => forkWorker(workerPath, name, { ...config, name, passphrase })));
    workers.push(...started);
    return started;
  }

  it('4 processes × 100 concurrent calls on an expired account with single-use rotating refresh tokens: exactly 1 refresh', async () => {
    const path = await expiredAccountFile('herd');
    const oauth = await oauthServer(oauthReplies.tokens());
    const upstream = await startUpstream((token) => (oauth.introspect(token).active ? 'ok' : 'revoked'));
    closers.push(() => upstream.close());
    const herd = await startWorkers({ path, upstreamUrl: upstream.url, tokenUrl: oauth.tokenUrl });

    const outcomes = await Promise.all(herd.map((worker) => worker.command<Outcomes>('calls', { count: 100 })));

    expect(outcomes).toEqual(names.map(() => ({ ok: 100 })));
    expect(oauth.refreshCount('account')).toBe(1);
    expect(oauth.requests.filter((request) => request.error === 'invalid_grant')).toEqual([]);
    // Every request carried the one refreshed token: none with the expired one.
    const refreshed = oauth.issuedAccessTokens('account').at(-1);
    expect(upstream.requests).toHaveLength(400);
    expect(upstream.requests.filter((request) => request.credential !== refreshed)).toEqual([]);
    await Promise.all(herd.map((worker) => worker.stop()));

    // The file is still encrypted (no token in clear), holds the refreshed tokens, and no lock is left behind.
    const text = await readFile(path, 'utf8');
    expect(text).not.toMatch(/test-(access|refresh)-token/);
    expect(JSON.parse(text)).toHaveProperty('encryption');
    const [stored] = await new FileCredentialStore({ path, passphrase }).load();
    expect(stored).toMatchObject({ accessToken: refreshed, refreshCount: 1 });
    expect(oauth.introspect(stored!.accessToken).active).toBe(true);
    expect(stored!.refreshToken).not.toBe('test-refresh-token-0');
    expect(await readdir(join(directory, 'herd'))).toEqual(['accounts.json']);
  });

  it('the refresh-lock holder is killed (SIGKILL) mid-refresh: another process takes its lock over, and every call succeeds', async () => {
    const path = await expiredAccountFile('crash');
    // The first refresh request hangs (its single-use refresh token is not spent); the next ones get tokens.
    const oauth = await oauthServer([oauthFaults.hang(), oauthReplies.tokens()]);
    const upstream = await startUpstream((token) => (oauth.introspect(token).active ? 'ok' : 'revoked'));
    closers.push(() => upstream.close());
    // A long lease: the take-over comes from seeing the holder's process gone, not from the lease expiring.
    const group = await startWorkers({ path, upstreamUrl: upstream.url, tokenUrl: oauth.tokenUrl, lockTtlMs: 60_000 });
    const { survivors, survivorOutcomes } = await callsWhileKillingTheRefresher(group, 50);
    expect(survivorOutcomes).toEqual(survivors.map(() => ({ ok: 50 })));
    // The hung request and the one made by the process that took over; no refresh token was presented twice.
    expect(oauth.refreshCount('account')).toBe(2);
    expect(oauth.requests.filter((request) => request.error === 'invalid_grant')).toEqual([]);
    expect(upstream.requests.filter((request) => request.status !== 200)).toEqual([]);
    await Promise.all(survivors.map((worker) => worker.stop()));
    expect(await readFile(path, 'utf8')).not.toMatch(/test-(access|refresh)-token/);
  });
});
