import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { KitError } from '@kit/core';
import type { CredentialStore } from '../credential-store';
import type { OAuthCredential } from '../oauth-credential';
import { decrypt, defaultScrypt, deriveKey, encrypt, isEncryptedEnvelope, type ScryptParameters } from './credential-cipher';

/** The file operations the store uses (`node:fs/promises` by default; tests inject failing ones). */
export interface CredentialFileSystem {
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  writeFile(path: string, data: string, options: { mode: number; flag: string }): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  mkdir(path: string, options: { recursive: true; mode: number }): Promise<unknown>;
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
  writeFile: (path, data, options) => fs.writeFile(path, data, options),
  rename: (from, to) => fs.rename(from, to),
  unlink: (path) => fs.unlink(path),
  mkdir: (path, options) => fs.mkdir(path, options),
};

/**
 * A `CredentialStore` in one JSON file, for CLIs and servers on Node. Every save writes a temporary file (mode 0600)
 * next to the target and renames it over the target, so a crash leaves either the old or the new file, never half of
 * one. Saves of one store are serialised; one file should belong to one process.
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

  /** @throws KitError `invalid_config` for a missing path or an empty passphrase. */
  constructor(options: FileCredentialStoreOptions) {
    const { path, passphrase } = options ?? ({} as FileCredentialStoreOptions);
    if (typeof path != 'string' || !path.trim()) throw configError('options.path must be a non-empty string');
    if (passphrase !== undefined && (typeof passphrase != 'string' || !passphrase)) throw configError('options.passphrase must be a non-empty string');
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
    const run = this.#queue.then(async () => {
      const next = change(this.#cache ?? (await this.#read()));
      await this.#write(next);
      this.#cache = next;
    });
    this.#queue = run.catch(() => {});
    return run;
  }

  async #read(): Promise<OAuthCredential[]> {
    let text: string;
    try {
      text = await this.#fs.readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException)?.code == 'ENOENT') return (this.#cache = []);
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
    if (!file || typeof file != 'object' || !Array.isArray(file.credentials)) {
      throw configError(`${this.path} does not hold a credential list ({ "version": 1, "credentials": [...] })`);
    }
    return (this.#cache = file.credentials);
  }

  async #write(credentials: OAuthCredential[]): Promise<void> {
    const plain: PlainFile = { version: 1, credentials };
    let text = JSON.stringify(plain, null, 2);
    if (this.#passphrase !== undefined) {
      const { salt, parameters, key } = this.#key ?? this.#keyFor(randomBytes(16), this.#scrypt, true);
      text = JSON.stringify(encrypt(text, await key, salt, parameters), null, 2);
    }
    await this.#fs.mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await this.#fs.writeFile(temporary, `${text}\n`, { mode: 0o600, flag: 'wx' });
      await this.#fs.rename(temporary, this.path);
    } catch (error) {
      await this.#fs.unlink(temporary).catch(() => {});
      throw new KitError('network', `FileCredentialStore: cannot write ${this.path}: ${(error as Error)?.message ?? error}`, { retryable: true });
    }
  }

  /** The key of a salt (derived once); `remember` keeps it for the next writes. */
  #keyFor(salt: Buffer, parameters: ScryptParameters, remember = false): { salt: Buffer; parameters: ScryptParameters; key: Promise<Buffer> } {
    const known = this.#key;
    if (known && known.salt.equals(salt) && known.parameters.N == parameters.N && known.parameters.r == parameters.r && known.parameters.p == parameters.p) return known;
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
