import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { KitError } from '@kit/core';
import type { CredentialStore } from '../credential-store';
import type { OAuthCredential } from '../oauth-credential';
import { decrypt, defaultScrypt, deriveKey, encrypt, isEncryptedEnvelope, type ScryptParameters } from './credential-cipher';

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
}

interface PlainFile {
  version: 1;
  credentials: OAuthCredential[];
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
 * crashed process left behind are removed by the first load or save. Saves of one store are serialised; one file should
 * belong to one process.
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
  /** What the file holds after the last successful read or write. */
  #cache: OAuthCredential[] | undefined;
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
    this.path = resolve(path.startsWith('~/') ? join(homedir(), path.slice(2)) : path);
    this.#passphrase = passphrase;
    this.#scrypt = options.scrypt ?? defaultScrypt;
    this.#fs = options.fileSystem ?? nodeFileSystem;
  }

  /**
   * Reads the file. A missing file is an empty store (a first run).
   * @throws KitError `invalid_config` when the file is not valid JSON, is encrypted and no passphrase (or a wrong one)
   *   was given, or was altered.
   */
  async load(): Promise<OAuthCredential[]> {
    if (!this.#swept) await this.#enqueue(() => this.#sweep());
    const credentials = await this.#read();
    return credentials.map((credential) => ({ ...credential }));
  }

  /** Adds or replaces (by id) one credential; resolves once the file is renamed into place. */
  save(credential: OAuthCredential): Promise<void> {
    return this.#update((credentials) => [...credentials.filter(({ id }) => id !== credential.id), { ...credential }]);
  }

  /** Removes a credential from the file. */
  delete(id: string): Promise<void> {
    return this.#update((credentials) => credentials.filter((credential) => credential.id !== id));
  }

  /** The path only: a store serialises without its content. */
  toJSON(): { path: string; encrypted: boolean } {
    return { path: this.path, encrypted: this.#passphrase !== undefined };
  }

  /** `util.inspect(store)`: the path, never the passphrase or tokens. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `FileCredentialStore ${JSON.stringify(this)}`;
  }

  #update(change: (credentials: OAuthCredential[]) => OAuthCredential[]): Promise<void> {
    return this.#enqueue(async () => {
      await this.#sweep();
      await this.#write(change(this.#cache ?? (await this.#read())));
    });
  }

  /** Runs after the saves queued before it (a sweep never removes the temporary file of a save in progress). */
  #enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => {});
    return run;
  }

  /** Removes `<file>.tmp-<random>` files left by a write that crashed before its rename (once; best effort). */
  async #sweep(): Promise<void> {
    if (this.#swept) return;
    this.#swept = true;
    const directory = dirname(this.path);
    const prefix = `${basename(this.path)}.tmp-`;
    const names = await this.#fs.readdir(directory).catch(() => [] as string[]);
    for (const name of names) {
      if (name.startsWith(prefix) && /^[0-9a-f]+$/.test(name.slice(prefix.length))) await this.#fs.unlink(join(directory, name)).catch(() => {});
    }
  }

  async #read(): Promise<OAuthCredential[]> {
    let text: string;
    try {
      text = await this.#fs.readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException)?.code === 'ENOENT') {
        this.#cache = [];
        return this.#cache;
      }
      throw configError(`cannot read ${this.path}: ${(error as Error)?.message ?? error}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw configError(`${this.path} is not valid JSON (it was not written by this store, or it was damaged)`);
    }
    if (isEncryptedEnvelope(parsed)) {
      if (this.#passphrase === undefined) throw configError(`${this.path} is encrypted: pass the passphrase it was written with`);
      const { salt, N, r, p } = parsed.encryption;
      const { key } = this.#keyFor(Buffer.from(salt, 'base64'), { N, r, p });
      try {
        parsed = JSON.parse(decrypt(parsed, await key));
      } catch {
        throw configError(`cannot decrypt ${this.path}: the passphrase is wrong or the file was altered`);
      }
    }
    const file = parsed as PlainFile | null;
    if (!file || typeof file !== 'object' || !Array.isArray(file.credentials)) {
      throw configError(`${this.path} does not hold a credential list ({ "version": 1, "credentials": [...] })`);
    }
    this.#cache = file.credentials;
    return this.#cache;
  }

  async #write(credentials: OAuthCredential[]): Promise<void> {
    const plain: PlainFile = { version: 1, credentials };
    let text = JSON.stringify(plain, null, 2);
    if (this.#passphrase !== undefined) {
      const { salt, parameters, key } = this.#key ?? this.#keyFor(randomBytes(16), this.#scrypt, true);
      text = JSON.stringify(encrypt(text, await key, salt, parameters), null, 2);
    }
    const directory = dirname(this.path);
    const temporary = `${this.path}.tmp-${randomBytes(6).toString('hex')}`;
    let renamed = false;
    try {
      await this.#fs.mkdir(directory, { recursive: true, mode: 0o700 });
      const file = await this.#fs.open(temporary, 'wx', 0o600);
      try {
        await file.writeFile(`${text}\n`, 'utf8');
        await file.sync();
      } finally {
        await file.close();
      }
      await this.#fs.rename(temporary, this.path);
      renamed = true;
      // The file holds them now, even if the directory fsync below fails.
      this.#cache = credentials;
      await this.#syncDirectory(directory);
    } catch (error) {
      if (!renamed) await this.#fs.unlink(temporary).catch(() => {});
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

function configError(message: string): KitError {
  return new KitError('invalid_config', `FileCredentialStore: ${message}`);
}
