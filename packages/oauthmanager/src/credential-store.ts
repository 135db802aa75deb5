import type { OAuthCredential } from './oauth-credential';

/**
 * Where an `OAuthManager` keeps its accounts between runs. The manager calls `load()` once, before the first
 * `acquire()` (or when `manager.load()` is awaited), and `save()` after every refresh — before the new tokens are
 * handed out, so a refresh token the server rotated is never lost. The values passed in hold secrets: store them
 * as you would store passwords.
 */
export interface CredentialStore {
  /** Every stored credential. A store that cannot read its data must throw, never answer an empty list. */
  load(): Promise<OAuthCredential[]>;
  /** Adds or replaces (by `id`) one credential. */
  save(credential: OAuthCredential): Promise<void>;
  /** Forgets a credential (called when one is decommissioned). Optional. */
  delete?(id: string): Promise<void>;
}

/** A `CredentialStore` in memory: for tests, and for apps that persist through `onTokenRefresh` themselves. */
export class MemoryCredentialStore implements CredentialStore {
  readonly #credentials = new Map<string, OAuthCredential>();

  /** @param credentials - initial content (copied). */
  constructor(credentials: readonly OAuthCredential[] = []) {
    for (const credential of credentials) this.#credentials.set(credential.id, copyCredential(credential));
  }

  async load(): Promise<OAuthCredential[]> {
    return [...this.#credentials.values()].map(copyCredential);
  }

  async save(credential: OAuthCredential): Promise<void> {
    this.#credentials.set(credential.id, copyCredential(credential));
  }

  async delete(id: string): Promise<void> {
    this.#credentials.delete(id);
  }

  /** Number of stored credentials. */
  get size(): number {
    return this.#credentials.size;
  }

  /** A store serialises without its content (it holds secrets). */
  toJSON(): { size: number } {
    return { size: this.size };
  }

  /** `util.inspect(store)` on Node: the size, never the tokens. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `MemoryCredentialStore ${JSON.stringify(this)}`;
  }
}

/** A copy that shares no array with the original. */
export function copyCredential(credential: OAuthCredential): OAuthCredential {
  const copy = { ...credential };
  if (credential.scopes) copy.scopes = [...credential.scopes];
  return copy;
}
