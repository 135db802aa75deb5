import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { KitError } from '@kit/core';
import { type ClosableStateStore, createStateStore } from '@kit/core/provider-utils';
import type { CredentialStore } from '../credential-store';
import type { OAuthCredential } from '../oauth-credential';
import { decrypt, defaultScrypt, deriveKey, encrypt, isEncryptedEnvelope, type ScryptParameters } from './credential-cipher';
import { FileLock, isLockLost, processIsAlive } from './file-lock';
import { type CredentialFileDocument, FileStateBackend, sharedRecordOf, TOKEN_FIELDS } from './file-state-backend';

/** An open file, as the store uses it (a `node:fs/promises` `FileHandle` is one). */
export interface CredentialFileHandle {
  writeFile(data: string, encoding: 'utf8'): Promise<void>;
  /** fsync: the data (or, for a directory, its entries) reaches the disk. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** The file operations the store uses (`node:fs/promises` by default; tests inject failing ones). */
export interface CredentialFileSystem {
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  /** `'wx'` with mode 0600 for the temporary file; `'r'` for the directory (to fsync it after the rename). */
  open(path: string, flags: 'wx' | 'r', mode?: number): Promise<CredentialFileHandle>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  mkdir(path: string, options: { recursive: true; mode: number }): Promise<unknown>;
  readdir(path: string): Promise<string[]>;
}

/** Options of `new FileCredentialStore(options)`. */
export interface FileCredentialStoreOptions {
  /** The file (a leading `~/` is the home directory). Its directory is created (mode 0700) when missing. */
  path: string;
  /**
   * Encrypts the file with AES-256-GCM under a key derived from this passphrase by scrypt. A wrong passphrase makes
   * `load()` throw — never an empty store. A plain file is read and encrypted on the next save.
   */
  passphrase?: string;
  /** scrypt cost parameters for new files. Default `{ N: 32768, r: 8, p: 1 }`. */
  scrypt?: ScryptParameters;
  /** File operations; default `node:fs/promises`. */
  fileSystem?: CredentialFileSystem;
  /**
   * The lock file `<file>.lock` is taken over when it is older than this (its holder hung) — at once when its holder's
   * process is gone. Every write holds it for a few milliseconds. Default 5 000.
   */
  lockStaleMs?: number;
}

/** Options of `FileCredentialStore.stateStore(options)`. */
export interface FileStateStoreOptions {
  /**
   * How long a process holds the refresh lock of an account without renewing it (renewed every third of this while its
   * refresh runs). A holder that dies is replaced at once (its process is gone), or after this long. Default 10 000.
   */
  lockTtlMs?: number;
  /** While another process refreshes, a waiter looks at the file again after this long. Default 100. */
  lockPollMs?: number;
  /** How often the file is checked for changes made by other processes (health, tokens). Default 250. */
  pollMs?: number;
  /** One file operation that takes longer counts as the file being unavailable. Default 10 000. */
  operationTimeoutMs?: number;
}

const nodeFileSystem: CredentialFileSystem = {
  readFile: (path, encoding) => fs.readFile(path, encoding),
  open: (path, flags, mode) => fs.open(path, flags, mode),
  rename: (from, to) => fs.rename(from, to),
  unlink: (path) => fs.unlink(path),
  mkdir: (path, options) => fs.mkdir(path, options),
  readdir: (path) => fs.readdir(path),
};

/** Errors of a directory fsync on platforms or file systems that do not support it (ignored). */
const unsupportedDirectorySync = /^(EINVAL|EPERM|EISDIR|ENOTSUP|EOPNOTSUPP|EBADF)$/;

const errnoOf = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | null)?.code;

/**
 * A `CredentialStore` in one JSON file, for CLIs and servers on Node. Every save writes a new temporary file
 * (`<file>.tmp-<random>`, created exclusively with mode 0600), fsyncs it, renames it over the target and fsyncs the
 * directory, so a crash or a power loss leaves either the old or the new file, never half of one. Temporary files a
 * crashed process left behind are removed by the first load or save.
 *
 * Several processes may share one file: every write is a read-modify-write under the lock file `<file>.lock`
 * (created with `O_EXCL`; taken over when its holder's process is gone or it is older than `lockStaleMs`), so no
 * process overwrites what another wrote, and a save never replaces tokens another process refreshed later with older
 * ones. Pass {@link FileCredentialStore.stateStore} as the managers' `stateStore` for one refresh per account across the
 * processes.
 *
 * Failures are `KitError('invalid_config')` naming the path and the OS error (`EACCES`, `ENOSPC`, …): the file system
 * the store was pointed at is what needs fixing.
 *
 * @example
 * ```ts
 * const store = new FileCredentialStore({ path: '~/.config/my-app/gemini-accounts.json', passphrase: process.env.STORE_PASSPHRASE });
 * const accounts = new OAuthManager('gemini', [], geminiOAuthRefresh, { store });
 * ```
 */
export class FileCredentialStore implements CredentialStore {
  /** The absolute path of the file. */
  readonly path: string;
  readonly #passphrase: string | undefined;
  readonly #scrypt: ScryptParameters;
  readonly #fs: CredentialFileSystem;
  readonly #lock: FileLock;
  /** The file's last read or written text and its content. */
  #cache: { text: string; document: CredentialFileDocument } | undefined;
  /** Per credential id: the token version of the file this process last loaded or wrote. */
  readonly #tokenVersions = new Map<string, number>();
  /** The salt of the file and the key derived from it, once known. */
  #key: { salt: Buffer; parameters: ScryptParameters; key: Promise<Buffer> } | undefined;
  /** Saves run one after another. */
  #queue: Promise<unknown> = Promise.resolve();
  /** Leftover temporary files are looked for once per store. */
  #swept = false;

  /** @throws KitError `invalid_config` for a missing path or an empty passphrase. */
  constructor(options: FileCredentialStoreOptions) {
    const { path, passphrase } = options ?? ({} as FileCredentialStoreOptions);
    if (typeof path !== 'string' || !path.trim()) throw configError('options.path must be a non-empty string');
    if (passphrase !== undefined && (typeof passphrase !== 'string' || !passphrase)) throw configError('options.passphrase must be a non-empty string');
    const lockStaleMs = options.lockStaleMs ?? 5_000;
    if (!isDuration(lockStaleMs)) throw configError('options.lockStaleMs must be a positive number of milliseconds');
    this.path = resolve(path.startsWith('~/') ? join(homedir(), path.slice(2)) : path);
    this.#passphrase = passphrase;
    this.#scrypt = options.scrypt ?? defaultScrypt;
    this.#fs = options.fileSystem ?? nodeFileSystem;
    this.#lock = new FileLock(`${this.path}.lock`, this.#fs, { staleMs: lockStaleMs, retryMs: 5, now: Date.now, isAlive: processIsAlive });
  }

  /**
   * Reads the file. A missing file is an empty store (a first run).
   * @throws KitError `invalid_config` when the file is not valid JSON, is encrypted and no passphrase (or a wrong one)
   *   was given, or was altered.
   */
  async load(): Promise<OAuthCredential[]> {
    if (!this.#swept) await this.#enqueue(() => this.#sweepUnderLock());
    const document = await this.#read();
    for (const { id } of document.credentials) this.#tokenVersions.set(id, document.shared?.credentials?.[id]?.tokenVersion ?? 0);
    return document.credentials.map((credential) => ({ ...credential }));
  }

  /**
   * Adds or replaces (by id) one credential; resolves once the file is renamed into place. When another process wrote
   * newer tokens for it since this process loaded them (a later refresh), those tokens stay and the other fields are
   * replaced.
   */
  save(credential: OAuthCredential): Promise<void> {
    return this.#mutate((document) => {
      const { id } = credential;
      const stored = document.credentials.find((entry) => entry.id === id);
      const saved: OAuthCredential = { ...credential };
      const record = sharedRecordOf(document, id);
      const version = record.tokenVersion ?? 0;
      if (stored && version > (this.#tokenVersions.get(id) ?? 0) && (stored.lastRefreshAt ?? -1) > (credential.lastRefreshAt ?? -1)) {
        for (const field of TOKEN_FIELDS) {
          if (stored[field] !== undefined) Object.assign(saved, { [field]: stored[field] });
          else if (field !== 'accessToken') delete saved[field];
        }
      }
      if (!stored || stored.accessToken !== saved.accessToken || stored.refreshToken !== saved.refreshToken) record.tokenVersion = version + 1;
      if (saved.accessToken === credential.accessToken) this.#tokenVersions.set(id, record.tokenVersion ?? 0);
      document.credentials = [...document.credentials.filter((entry) => entry.id !== id), saved];
    });
  }

  /** Removes a credential (and what the file shares about it) from the file. */
  delete(id: string): Promise<void> {
    return this.#mutate((document) => {
      document.credentials = document.credentials.filter((credential) => credential.id !== id);
      delete document.shared?.credentials?.[id];
      const suffix = `:${encodeURIComponent(id)}`;
      for (const key of Object.keys(document.shared?.health ?? {})) if (key.endsWith(suffix)) delete document.shared?.health?.[key];
    });
  }

  /**
   * A `stateStore` for `OAuthManager` (and `KeyManager`) over this file: one token refresh per account across the
   * processes of this machine, and shared credential health. The process that must refresh takes the account's refresh
   * lock (a lease with a fencing token, kept in the file and taken under `<file>.lock`); the others wait and use the
   * tokens it writes — the access token, its expiry and the rotated refresh token in one atomic rename — instead of
   * refreshing. A lock holder that dies is replaced at once (its process is gone) or after `lockTtlMs`. The tokens stay
   * in this file, encrypted when it has a passphrase. Call it once per process and close it on exit.
   * @throws KitError `invalid_config` naming a bad option.
   * @example
   * ```ts
   * const store = new FileCredentialStore({ path: '~/.config/my-app/accounts.json', passphrase });
   * const stateStore = store.stateStore();
   * const accounts = new OAuthManager('qwen', [], qwenOAuthRefresh, { store, stateStore });
   * ```
   */
  stateStore(options: FileStateStoreOptions = {}): ClosableStateStore {
    const given = options ?? {};
    const known = ['lockTtlMs', 'lockPollMs', 'pollMs', 'operationTimeoutMs'];
    for (const [name, value] of Object.entries(given)) {
      if (!known.includes(name)) throw configError(`stateStore(options): unknown option "${name}" (known: ${known.join(', ')})`);
      if (value !== undefined && !isDuration(value)) throw configError(`stateStore(options): options.${name} must be a positive number of milliseconds`);
    }
    const backend = new FileStateBackend(
      {
        read: () => this.#read(),
        mutate: (change) => this.#mutate(change),
        tokensWritten: (id, version) => this.#tokenVersions.set(id, version),
      },
      { pollMs: given.pollMs ?? 250, isAlive: processIsAlive },
    );
    return createStateStore(backend, {
      // The tokens stay in this file: encrypted by the store's passphrase, or in clear when the store has none.
      plaintextSecrets: true,
      lockTtlMs: given.lockTtlMs ?? 10_000,
      lockPollMs: given.lockPollMs ?? 100,
      operationTimeoutMs: given.operationTimeoutMs ?? 10_000,
    });
  }

  /** The path only: a store serialises without its content. */
  toJSON(): { path: string; encrypted: boolean } {
    return { path: this.path, encrypted: this.#passphrase !== undefined };
  }

  /** `util.inspect(store)`: the path, never the passphrase or tokens. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `FileCredentialStore ${JSON.stringify(this)}`;
  }

  /**
   * A read-modify-write under the lock file: reads the file as it is now (another process may have written it),
   * applies `change` to a copy and writes it when it changed. Resolves to what `change` returned.
   */
  #mutate<T>(change: (document: CredentialFileDocument) => T): Promise<T> {
    return this.#enqueue(async () => {
      await this.#makeDirectory();
      return this.#lockedOrError(async (confirm) => {
        await this.#sweep();
        const current = await this.#read();
        const document = structuredClone(current);
        const result = change(document);
        if (JSON.stringify(document) !== JSON.stringify(current)) await this.#write(document, confirm);
        return result;
      });
    });
  }

  /** Creates the file's directory (mode 0700) when missing: the lock file and the file live there. */
  async #makeDirectory(): Promise<void> {
    try {
      await this.#fs.mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    } catch (error) {
      const errno = errnoOf(error);
      throw configError(`cannot write ${this.path}${errno ? ` (${errno})` : ''}: ${(error as Error)?.message ?? error}`);
    }
  }

  /** Runs `task` under the lock file; a lock file that cannot be created is an `invalid_config` error naming it. */
  async #lockedOrError<T>(task: (confirm: () => Promise<void>) => Promise<T>): Promise<T> {
    try {
      return await this.#lock.run(task);
    } catch (error) {
      if (KitError.is(error)) throw error;
      const errno = errnoOf(error);
      throw configError(`cannot lock ${this.#lock.path}${errno ? ` (${errno})` : ''}: ${(error as Error)?.message ?? error}`);
    }
  }

  /** Runs after the saves queued before it (in this process; other processes wait for the lock file). */
  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => {});
    return run;
  }

  /**
   * Removes `<file>.tmp-<random>` files left by a write that crashed before its rename, and lock files set aside by a
   * take-over that crashed (once, under the lock: no other process is writing; best effort).
   */
  async #sweep(): Promise<void> {
    if (this.#swept) return;
    this.#swept = true;
    const directory = dirname(this.path);
    const leftovers = [`${basename(this.path)}.tmp-`, `${basename(this.path)}.lock.stale-`];
    const names = await this.#fs.readdir(directory).catch(() => [] as string[]);
    for (const name of names) {
      const prefix = leftovers.find((candidate) => name.startsWith(candidate));
      if (prefix && /^[0-9a-f]+$/.test(name.slice(prefix.length))) await this.#fs.unlink(join(directory, name)).catch(() => {});
    }
  }

  /** The first load sweeps leftovers under the lock (when the directory exists: a first run has nothing to sweep). */
  async #sweepUnderLock(): Promise<void> {
    const names = await this.#fs.readdir(dirname(this.path)).catch(() => undefined);
    if (!names) {
      this.#swept = true;
      return;
    }
    await this.#lockedOrError(() => this.#sweep());
  }

  /** The file's content now (parsed again only when its text changed). A missing file is an empty one. */
  async #read(): Promise<CredentialFileDocument> {
    let text: string;
    try {
      text = await this.#fs.readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException)?.code === 'ENOENT') {
        this.#cache = { text: '', document: { version: 1, credentials: [] } };
        return this.#cache.document;
      }
      throw configError(`cannot read ${this.path}: ${(error as Error)?.message ?? error}`);
    }
    if (this.#cache?.text === text) return this.#cache.document;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw configError(`${this.path} is not valid JSON (it was not written by this store, or it was damaged)`);
    }
    if (isEncryptedEnvelope(parsed)) {
      if (this.#passphrase === undefined) throw configError(`${this.path} is encrypted: pass the passphrase it was written with`);
      const { salt, N, r, p } = parsed.encryption;
      // Writes reuse the key of the file read: processes sharing the file derive it once each.
      const { key } = this.#keyFor(Buffer.from(salt, 'base64'), { N, r, p }, true);
      try {
        parsed = JSON.parse(decrypt(parsed, await key));
      } catch {
        throw configError(`cannot decrypt ${this.path}: the passphrase is wrong or the file was altered`);
      }
    }
    const file = parsed as CredentialFileDocument | null;
    if (!file || typeof file !== 'object' || !Array.isArray(file.credentials)) {
      throw configError(`${this.path} does not hold a credential list ({ "version": 1, "credentials": [...] })`);
    }
    const document: CredentialFileDocument = { version: 1, credentials: file.credentials };
    if (file.shared && typeof file.shared === 'object') document.shared = file.shared;
    this.#cache = { text, document };
    return document;
  }

  /** Writes the file atomically; `confirm` (the lock is still held) runs right before the rename. */
  async #write(document: CredentialFileDocument, confirm: () => Promise<void>): Promise<void> {
    let text = JSON.stringify(document, null, 2);
    if (this.#passphrase !== undefined) {
      const { salt, parameters, key } = this.#key ?? this.#keyFor(randomBytes(16), this.#scrypt, true);
      text = JSON.stringify(encrypt(text, await key, salt, parameters), null, 2);
    }
    const directory = dirname(this.path);
    const temporary = `${this.path}.tmp-${randomBytes(6).toString('hex')}`;
    let renamed = false;
    try {
      const file = await this.#fs.open(temporary, 'wx', 0o600);
      try {
        await file.writeFile(`${text}\n`, 'utf8');
        await file.sync();
      } finally {
        await file.close();
      }
      await confirm();
      await this.#fs.rename(temporary, this.path);
      renamed = true;
      // The file holds it now, even if the directory fsync below fails.
      this.#cache = { text: `${text}\n`, document };
      await this.#syncDirectory(directory);
    } catch (error) {
      if (!renamed) await this.#fs.unlink(temporary).catch(() => {});
      if (isLockLost(error)) throw error;
      const errno = errnoOf(error);
      throw configError(`cannot write ${this.path}${errno ? ` (${errno})` : ''}: ${(error as Error)?.message ?? error}`);
    }
  }

  /** fsyncs a directory so that a rename in it survives a power loss; ignored where the platform cannot do it. */
  async #syncDirectory(directory: string): Promise<void> {
    let handle: CredentialFileHandle;
    try {
      handle = await this.#fs.open(directory, 'r');
    } catch (error) {
      if (unsupportedDirectorySync.test(errnoOf(error) ?? '')) return;
      throw error;
    }
    try {
      await handle.sync();
    } catch (error) {
      if (!unsupportedDirectorySync.test(errnoOf(error) ?? '')) throw error;
    } finally {
      await handle.close().catch(() => {});
    }
  }

  /** The key of a salt (derived once); `remember` keeps it for the next writes. */
  #keyFor(salt: Buffer, parameters: ScryptParameters, remember = false): { salt: Buffer; parameters: ScryptParameters; key: Promise<Buffer> } {
    const known = this.#key;
    if (known?.salt.equals(salt) && known.parameters.N === parameters.N && known.parameters.r === parameters.r && known.parameters.p === parameters.p)
      return known;
    const entry = { salt, parameters, key: deriveKey(this.#passphrase as string, salt, parameters) };
    // A key that failed to derive is not kept.
    entry.key.catch(() => {
      if (this.#key === entry) this.#key = undefined;
    });
    // The salt of the file read (or the first write) is kept: later writes reuse its key.
    if (remember || !known) this.#key = entry;
    return entry;
  }
}

const isDuration = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value > 0;

function configError(message: string): KitError {
  return new KitError('invalid_config', `FileCredentialStore: ${message}`);
}
