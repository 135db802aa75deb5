import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { CredentialFileSystem } from './file-credential-store';

/** What a lock file holds: the holder (process id and host), when it took the lock, and a token only it knows. */
interface LockRecord {
  pid: number;
  host: string;
  at: number;
  token: string;
}

/** How a {@link FileLock} waits and when it takes a lock over. */
export interface FileLockOptions {
  /** A lock held (or seen unchanged) this long is stale: its holder hung, or died on another host. */
  staleMs: number;
  /** The pause between two attempts while another process holds the lock (±50 % jitter). */
  retryMs: number;
  /** Wall clock, epoch ms. */
  now: () => number;
  /** Whether a process of this host is alive. */
  isAlive: (pid: number) => boolean;
}

/** The lock was taken over while the task ran (its holder was judged stale): the task runs again. */
class LockLost extends Error {}

/** Whether an error is the signal that the lock was taken over (it must reach {@link FileLock.run} unchanged). */
export const isLockLost = (error: unknown): boolean => error instanceof LockLost;

/** Attempts of a task whose lock was taken over before it gives up. */
const MAX_LOCK_LOSSES = 5;

const errnoOf = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | null)?.code;

/** `true` while a process with this id runs on this host (`EPERM`: it runs under another user). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoOf(error) === 'EPERM';
  }
}

function parseLock(text: string): LockRecord | undefined {
  try {
    const record = JSON.parse(text) as Partial<LockRecord> | null;
    if (record && typeof record.pid === 'number' && typeof record.host === 'string' && typeof record.at === 'number' && typeof record.token === 'string')
      return record as LockRecord;
  } catch {
    // Empty (its holder is between creating and writing it) or damaged: judged by how long it stays so.
  }
  return undefined;
}

/**
 * An OS-level lock between the processes of one machine: a lock file created with `open(path, 'wx')` (`O_EXCL`: only
 * one process can create it) holding the holder's pid, host, start time and a random token. A waiter retries until the
 * holder removes it. A stale lock — its holder's process is gone (same host), or it is older than `staleMs` — is taken
 * over safely: the waiter renames it aside and checks that what it moved is the lock it judged stale (another waiter may
 * have replaced it meanwhile; that one is put back). A holder confirms it still holds the lock before it commits.
 */
export class FileLock {
  readonly path: string;
  readonly #fs: CredentialFileSystem;
  readonly #options: FileLockOptions;
  readonly #host = hostname();

  constructor(path: string, fileSystem: CredentialFileSystem, options: FileLockOptions) {
    this.path = path;
    this.#fs = fileSystem;
    this.#options = options;
  }

  /**
   * Runs `task` while holding the lock. `task` calls `confirm()` right before it commits (its last rename): it throws
   * when the lock was taken over, and the task runs again under a new lock.
   */
  async run<T>(task: (confirm: () => Promise<void>) => Promise<T>): Promise<T> {
    for (let losses = 0; ; losses++) {
      const token = await this.#acquire();
      const confirm = async () => {
        if (!(await this.#holds(token))) throw new LockLost(`${this.path} was taken over`);
      };
      try {
        return await task(confirm);
      } catch (error) {
        if (!(error instanceof LockLost) || losses + 1 >= MAX_LOCK_LOSSES) throw error;
      } finally {
        await this.#release(token);
      }
    }
  }

  async #acquire(): Promise<string> {
    const { now, retryMs } = this.#options;
    const token = randomBytes(8).toString('hex');
    const record: LockRecord = { pid: process.pid, host: this.#host, at: now(), token };
    let seen: { text: string; since: number } | undefined;
    for (;;) {
      record.at = now();
      if (await this.#create(JSON.stringify(record))) return token;
      const text = await this.#readLock();
      if (text === undefined) continue; // released meanwhile
      const at = now();
      if (seen?.text !== text) seen = { text, since: at };
      if (this.#stale(text, at - seen.since, at)) {
        await this.#breakStale(text);
        seen = undefined;
      } else {
        await new Promise((resolve) => setTimeout(resolve, retryMs * (0.5 + Math.random())));
      }
    }
  }

  /** Creates the lock file exclusively; `false` when it exists. */
  async #create(text: string): Promise<boolean> {
    let handle: Awaited<ReturnType<CredentialFileSystem['open']>>;
    try {
      handle = await this.#fs.open(this.path, 'wx', 0o600);
    } catch (error) {
      if (errnoOf(error) === 'EEXIST') return false;
      throw error;
    }
    try {
      await handle.writeFile(text, 'utf8');
    } catch (error) {
      await handle.close().catch(() => {});
      await this.#fs.unlink(this.path).catch(() => {});
      throw error;
    }
    await handle.close();
    return true;
  }

  async #readLock(path = this.path): Promise<string | undefined> {
    try {
      return await this.#fs.readFile(path, 'utf8');
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** Stale: its holder's process is gone (same host), it is older than `staleMs`, or it stayed unchanged that long. */
  #stale(text: string, unchangedForMs: number, now: number): boolean {
    const { staleMs, isAlive } = this.#options;
    if (unchangedForMs >= staleMs) return true;
    const record = parseLock(text);
    if (!record) return false;
    if (record.host === this.#host && record.pid !== process.pid && !isAlive(record.pid)) return true;
    return now - record.at >= staleMs;
  }

  /** Rename-then-check: moves the lock aside; if what moved is not the stale lock, puts it back (unless one exists). */
  async #breakStale(staleText: string): Promise<void> {
    const aside = `${this.path}.stale-${randomBytes(6).toString('hex')}`;
    try {
      await this.#fs.rename(this.path, aside);
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') return;
      throw error;
    }
    const moved = await this.#readLock(aside).catch(() => undefined);
    if (moved !== undefined && moved !== staleText) await this.#create(moved).catch(() => false);
    await this.#fs.unlink(aside).catch(() => {});
  }

  async #holds(token: string): Promise<boolean> {
    const text = await this.#readLock().catch(() => undefined);
    return text !== undefined && parseLock(text)?.token === token;
  }

  async #release(token: string): Promise<void> {
    if (await this.#holds(token)) await this.#fs.unlink(this.path).catch(() => {});
  }
}
