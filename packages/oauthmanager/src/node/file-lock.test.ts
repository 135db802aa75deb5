import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { credential } from '../test-helpers';
import type { CredentialFileSystem } from './file-credential-store';
import { FileCredentialStore } from './file-credential-store';
import { FileLock, processIsAlive } from './file-lock';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'kit-file-lock-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

const nodeFileSystem: CredentialFileSystem = {
  readFile: (file, encoding) => fs.readFile(file, encoding),
  open: (file, flags, mode) => fs.open(file, flags, mode),
  rename: (from, to) => fs.rename(from, to),
  unlink: (file) => fs.unlink(file),
  mkdir: (file, options) => fs.mkdir(file, options),
  readdir: (file) => fs.readdir(file),
};

/** The pid of a process that was killed with SIGKILL (and reaped). */
async function killedProcessPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('spawn', resolve));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  return child.pid as number;
}

const lockText = (pid: number, at: number, token = 'feedfacefeedface') => JSON.stringify({ pid, host: hostname(), at, token });

describe('FileLock', () => {
  it('a lock left by a killed process is taken over at once (its process is gone), however young it is', async () => {
    const path = join(directory, 'accounts.json');
    const pid = await killedProcessPid();
    expect(processIsAlive(pid)).toBe(false);
    await writeFile(`${path}.lock`, lockText(pid, Date.now()));
    // Only the dead-holder check can take it over: it would be stale by age after an hour.
    await new FileCredentialStore({ path, lockStaleMs: 3_600_000 }).save(credential('a'));
    expect(await new FileCredentialStore({ path }).load()).toEqual([credential('a')]);
    expect(await readdir(directory)).toEqual(['accounts.json']);
  });

  it('a lock of a live process is waited for; one older than staleMs, or garbage unchanged that long, is taken over', async () => {
    const path = join(directory, 'file.lock');
    let clock = 1_000_000;
    let reads = 0;
    const counting: CredentialFileSystem = {
      ...nodeFileSystem,
      readFile: async (file, encoding) => {
        reads++;
        return nodeFileSystem.readFile(file, encoding);
      },
    };
    const lock = new FileLock(path, counting, { staleMs: 5_000, retryMs: 1, now: () => clock, isAlive: () => true });
    // A young lock of a live process on this host: waited for until its holder removes it.
    await writeFile(path, lockText(process.pid + 1, clock));
    let ran = false;
    const running = lock.run(async () => {
      ran = true;
    });
    while (reads < 3) await new Promise((resolve) => setTimeout(resolve, 1));
    expect(ran).toBe(false);
    await rm(path);
    await running;
    expect(ran).toBe(true);
    // Older than staleMs (its holder hung): taken over.
    await writeFile(path, lockText(process.pid + 1, clock - 5_000));
    await lock.run(async () => {});
    // Garbage (a holder between creating and writing it, or damage): taken over once seen unchanged for staleMs.
    await writeFile(path, '');
    reads = 0;
    const garbage = lock.run(async () => {});
    while (reads < 2) await new Promise((resolve) => setTimeout(resolve, 1));
    clock += 5_000;
    await garbage;
    expect(await readdir(directory)).toEqual([]);
  });

  it('rename-then-check: a live lock that replaced the stale one before the rename is put back; the breaker waits for it', async () => {
    const path = join(directory, 'file.lock');
    const clock = 1_000_000;
    const live = lockText(process.pid + 2, clock, 'aaaaaaaaaaaaaaaa');
    let replaced = false;
    let released = false;
    const racing: CredentialFileSystem = {
      ...nodeFileSystem,
      // Between the waiter's read of the stale lock and its rename, another process broke it and took the lock.
      rename: async (from, to) => {
        if (!replaced && from === path) {
          replaced = true;
          await writeFile(path, live);
        }
        return nodeFileSystem.rename(from, to);
      },
      readFile: async (file, encoding) => {
        const text = await nodeFileSystem.readFile(file, encoding);
        // The live holder finishes after the breaker saw its lock put back.
        if (file === path && text === live && replaced && !released) {
          released = true;
          setTimeout(() => rm(path).catch(() => {}), 5);
        }
        return text;
      },
    };
    await writeFile(path, lockText(process.pid + 1, clock - 60_000));
    const lock = new FileLock(path, racing, { staleMs: 5_000, retryMs: 1, now: () => clock, isAlive: () => true });
    await lock.run(async () => {});
    expect(replaced).toBe(true);
    // The live lock was restored (and its holder released it) before this one ran.
    expect(released).toBe(true);
    expect(await readdir(directory)).toEqual([]);
  });

  it('a holder whose lock was taken over does not commit: its task runs again under a new lock', async () => {
    const path = join(directory, 'accounts.json');
    await new FileCredentialStore({ path }).save(credential('a'));
    const fileSystem = stealingConfirm(path);
    await new FileCredentialStore({ path, fileSystem }).save(credential('b'));
    // The first attempt wrote its temporary file, saw the lock was not its own any more and did not rename it.
    expect(fileSystem.attempts).toBe(2);
    expect((await new FileCredentialStore({ path }).load()).map(({ id }) => id)).toEqual(['a', 'b']);
    expect(await readdir(directory)).toEqual(['accounts.json']);
  });
});

/** A file system where the lock file is replaced by another holder's once, right after the first temporary file is written. */
function stealingConfirm(path: string): CredentialFileSystem & { attempts: number } {
  let stolen = false;
  const fileSystem = {
    ...nodeFileSystem,
    attempts: 0,
    async open(file: string, flags: 'wx' | 'r', mode?: number) {
      const handle = await nodeFileSystem.open(file, flags, mode);
      if (!file.includes('.tmp-')) return handle;
      fileSystem.attempts++;
      return {
        writeFile: (data: string, encoding: 'utf8') => handle.writeFile(data, encoding),
        close: () => handle.close(),
        async sync() {
          await handle.sync();
          if (stolen) return;
          stolen = true;
          // Another process judged this holder stale and took the lock: its token is not ours any more.
          await writeFile(`${path}.lock`, lockText(process.pid, Date.now(), 'cccccccccccccccc'));
          // …and released it again, so the retry can take the lock.
          setTimeout(() => rm(`${path}.lock`).catch(() => {}), 5);
        },
      };
    },
  };
  return fileSystem;
}

describe('FileCredentialStore shared by several stores (processes)', () => {
  it('a save re-reads the file under the lock: what another store wrote meanwhile is kept', async () => {
    const path = join(directory, 'accounts.json');
    const first = new FileCredentialStore({ path });
    const second = new FileCredentialStore({ path });
    await first.load();
    await second.load();
    await Promise.all([first.save(credential('a')), second.save(credential('b')), first.save(credential('c')), second.save(credential('d'))]);
    expect((await new FileCredentialStore({ path }).load()).map(({ id }) => id).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a save never replaces tokens another process refreshed later with the older ones it loaded', async () => {
    const path = join(directory, 'accounts.json');
    const original = { ...credential('a'), lastRefreshAt: 1_000 };
    await new FileCredentialStore({ path }).save(original);
    const stale = new FileCredentialStore({ path });
    const [loaded] = await stale.load();
    // Another process refreshes: new access and (rotated) refresh token.
    const refreshed = { ...original, accessToken: 'test-access-token-new', refreshToken: 'test-refresh-token-new', lastRefreshAt: 2_000, refreshCount: 1 };
    await new FileCredentialStore({ path }).save(refreshed);
    // This process saves a non-secret change on the credential it loaded before that refresh.
    await stale.save({ ...loaded!, projectId: 'test-project' });
    const [stored] = await new FileCredentialStore({ path }).load();
    expect(stored).toMatchObject({
      accessToken: 'test-access-token-new',
      refreshToken: 'test-refresh-token-new',
      lastRefreshAt: 2_000,
      projectId: 'test-project',
    });
    // Tokens this process knows to be current (it loaded them) are replaced as before, e.g. after a new login.
    await stale.load();
    await stale.save({ ...refreshed, accessToken: 'test-access-token-login', refreshToken: 'test-refresh-token-login', lastRefreshAt: undefined });
    expect((await new FileCredentialStore({ path }).load())[0]).toMatchObject({ accessToken: 'test-access-token-login' });
  });

  it('stateStore() rejects unknown or bad options naming them', () => {
    const store = new FileCredentialStore({ path: join(directory, 'accounts.json') });
    expect(() => store.stateStore({ lockTtlMs: -1 })).toThrow(/options\.lockTtlMs/);
    expect(() => store.stateStore({ lockTTL: 5 } as never)).toThrow(/unknown option "lockTTL"/);
    expect(() => new FileCredentialStore({ path: 'x', lockStaleMs: 0 })).toThrow(/options\.lockStaleMs/);
  });
});
