import { hostname } from 'node:os';
import {
  mergeSharedHealth,
  type SharedHealth,
  type SharedHealthRecord,
  type SharedHealthUpdate,
  type SharedStateChange,
  type SharedToken,
  type StateStoreBackend,
  type StoredToken,
} from '@kit/core/provider-utils';
import type { OAuthCredential } from '../oauth-credential';

/** A process's hold on the refresh of one credential (the Redis store's `SET NX PX` key, in the file). */
export interface RefreshLease {
  fence: number;
  pid: number;
  host: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** What the file shares about one credential besides its tokens (no secret). */
export interface SharedCredentialRecord {
  /** Grows whenever the credential's tokens change. */
  tokenVersion?: number;
  /** The fencing token of the refresh that wrote the tokens. */
  tokenFence?: number;
  /** The last fencing token granted. */
  lastFence?: number;
  lease?: RefreshLease;
}

/** The content of a credential file (encrypted as a whole when the store has a passphrase). */
export interface CredentialFileDocument {
  version: 1;
  credentials: OAuthCredential[];
  /** Cross-process state: per credential id, and health per state-store key. */
  shared?: { credentials?: Record<string, SharedCredentialRecord>; health?: Record<string, SharedHealthRecord> };
}

/** How the backend reaches the file: consistent reads, and read-modify-writes under the file's lock. */
export interface CredentialFileAccess {
  read(): Promise<CredentialFileDocument>;
  /** Runs `change` on the file's current content under the lock, and writes it when it changed. */
  mutate<T>(change: (document: CredentialFileDocument) => T): Promise<T>;
  /** This process's own tokens of `id` are in the file at `version`. */
  tokensWritten(id: string, version: number): void;
}

/** Token fields of a credential, as the file and the state store share them. */
export const TOKEN_FIELDS = ['accessToken', 'refreshToken', 'expiresAt', 'lastRefreshAt', 'refreshCount', 'resourceUrl'] as const;

const NO_HEALTH: SharedHealth = { penaltyUntil: 0, rateLimitedUntil: 0, consecutiveFailures: 0, unhealthy: 0, disabled: 0 };

/** The credential id inside a state-store key (`<kind>:<provider>:<id>`, parts URI-encoded). */
const idOf = (key: string) => decodeURIComponent(key.slice(key.lastIndexOf(':') + 1));

/** The shared record of `id`, created when missing. */
export function sharedRecordOf(document: CredentialFileDocument, id: string): SharedCredentialRecord {
  document.shared ??= {};
  document.shared.credentials ??= {};
  document.shared.credentials[id] ??= {};
  return document.shared.credentials[id];
}

function tokenOf(credential: OAuthCredential): SharedToken {
  const token: SharedToken = { accessToken: credential.accessToken };
  for (const field of TOKEN_FIELDS) if (credential[field] !== undefined) Object.assign(token, { [field]: credential[field] });
  return token;
}

/**
 * The `StateStoreBackend` of a `FileCredentialStore`: the file is the shared state of the processes of one machine.
 * Tokens live in the credential entries (encrypted with the file); versions, fencing tokens, refresh leases and health
 * records in its `shared` section. Every write is a read-modify-write under the file's lock; the change feed polls
 * the file.
 */
export class FileStateBackend implements StateStoreBackend {
  readonly #file: CredentialFileAccess;
  readonly #pollMs: number;
  readonly #isAlive: (pid: number) => boolean;
  readonly #host = hostname();
  /** The state-store keys used for each credential id (the file knows ids; the feed reports keys). */
  readonly #keys = new Map<string, Set<string>>();
  readonly #listeners = new Set<(change: SharedStateChange) => void>();
  readonly #availability = new Set<(available: boolean, reason?: string) => void>();
  /** What the feed last reported: health and token versions, and the fences of the leases it saw. */
  readonly #reportedHealth = new Map<string, number>();
  readonly #reportedTokens = new Map<string, number>();
  readonly #reportedLeases = new Map<string, number>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #polling = false;
  #available = true;

  constructor(file: CredentialFileAccess, options: { pollMs: number; isAlive: (pid: number) => boolean }) {
    this.#file = file;
    this.#pollMs = options.pollMs;
    this.#isAlive = options.isAlive;
  }

  async readHealth(key: string): Promise<SharedHealthRecord | undefined> {
    const record = (await this.#file.read()).shared?.health?.[key];
    return record && { version: record.version, health: { ...record.health } };
  }

  async mergeHealth(key: string, update: SharedHealthUpdate): Promise<SharedHealthRecord> {
    const record = await this.#file.mutate((document) => {
      document.shared ??= {};
      document.shared.health ??= {};
      const stored = document.shared.health[key] ?? { version: 0, health: NO_HEALTH };
      const merged: SharedHealthRecord = { version: stored.version + 1, health: mergeSharedHealth(stored.health, update) };
      document.shared.health[key] = merged;
      return merged;
    });
    this.#emit({ type: 'health', key, record });
    return record;
  }

  async readToken(key: string): Promise<StoredToken | undefined> {
    const id = this.#learn(key);
    const document = await this.#file.read();
    const credential = document.credentials.find((entry) => entry.id === id);
    return credential && { ...tokenOf(credential), version: document.shared?.credentials?.[id]?.tokenVersion ?? 0 };
  }

  async lockRefresh(key: string, ttlMs: number): Promise<number | undefined> {
    const id = this.#learn(key);
    return this.#file.mutate((document) => {
      const record = sharedRecordOf(document, id);
      const now = Date.now();
      if (record.lease && !this.#leaseOver(record.lease, now)) return undefined;
      const fence = (record.lastFence ?? 0) + 1;
      record.lastFence = fence;
      record.lease = { fence, pid: process.pid, host: this.#host, expiresAt: now + ttlMs };
      return fence;
    });
  }

  async extendRefreshLock(key: string, fence: number, ttlMs: number): Promise<boolean> {
    const id = this.#learn(key);
    return this.#file.mutate((document) => {
      const lease = document.shared?.credentials?.[id]?.lease;
      const now = Date.now();
      if (lease?.fence !== fence || lease.expiresAt <= now) return false;
      lease.expiresAt = now + ttlMs;
      return true;
    });
  }

  async unlockRefresh(key: string, fence: number): Promise<void> {
    const id = this.#learn(key);
    const released = await this.#file.mutate((document) => {
      const record = document.shared?.credentials?.[id];
      if (record?.lease?.fence !== fence) return false;
      delete record.lease;
      return true;
    });
    if (released) this.#emit({ type: 'unlock', key });
  }

  async commitToken(key: string, token: SharedToken, fence?: number): Promise<number | undefined> {
    const id = this.#learn(key);
    const version = await this.#file.mutate((document) => {
      const credential = document.credentials.find((entry) => entry.id === id);
      if (!credential) return undefined;
      const record = sharedRecordOf(document, id);
      if (fence !== undefined) {
        const lease = record.lease;
        if (lease?.fence !== fence || lease.expiresAt <= Date.now() || fence <= (record.tokenFence ?? 0)) return undefined;
        record.tokenFence = fence;
      } else if ((token.lastRefreshAt ?? -1) <= (credential.lastRefreshAt ?? -1)) {
        return undefined;
      }
      for (const field of TOKEN_FIELDS) {
        if (token[field] !== undefined) Object.assign(credential, { [field]: token[field] });
        else if (field !== 'accessToken' && field !== 'refreshToken') delete credential[field];
      }
      record.tokenVersion = (record.tokenVersion ?? 0) + 1;
      return record.tokenVersion;
    });
    if (version !== undefined) {
      this.#file.tokensWritten(id, version);
      this.#emit({ type: 'token', key, token: { ...token, version } });
    }
    return version;
  }

  subscribe(onChange: (change: SharedStateChange) => void, onAvailability: (available: boolean, reason?: string) => void): () => void {
    this.#listeners.add(onChange);
    this.#availability.add(onAvailability);
    if (!this.#timer) {
      this.#timer = setInterval(() => this.#poll(), this.#pollMs);
      (this.#timer as { unref?: () => void }).unref?.();
    }
    return () => {
      this.#listeners.delete(onChange);
      this.#availability.delete(onAvailability);
      if (this.#listeners.size === 0 && this.#timer) {
        clearInterval(this.#timer);
        this.#timer = undefined;
      }
    };
  }

  /** A lease is over when it expired, or when its holder's process is gone (same host; it died mid-refresh). */
  #leaseOver(lease: RefreshLease, now: number): boolean {
    if (lease.expiresAt <= now) return true;
    return lease.host === this.#host && lease.pid !== process.pid && !this.#isAlive(lease.pid);
  }

  #learn(key: string): string {
    const id = idOf(key);
    const keys = this.#keys.get(id) ?? new Set<string>();
    keys.add(key);
    this.#keys.set(id, keys);
    return id;
  }

  #emit(change: SharedStateChange): void {
    if (change.type === 'health') this.#reportedHealth.set(change.key, Math.max(change.record.version, this.#reportedHealth.get(change.key) ?? 0));
    for (const listener of this.#listeners) listener(change);
  }

  /** The change feed: reads the file (re-parsed only when its bytes changed) and reports what grew or was released. */
  async #poll(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      let document: CredentialFileDocument;
      try {
        document = await this.#file.read();
      } catch (error) {
        this.#setAvailable(false, error instanceof Error ? error.message : String(error));
        return;
      }
      this.#setAvailable(true);
      for (const [key, record] of Object.entries(document.shared?.health ?? {})) {
        if (record.version > (this.#reportedHealth.get(key) ?? 0)) this.#emit({ type: 'health', key, record });
      }
      for (const [id, keys] of this.#keys) {
        const record = document.shared?.credentials?.[id];
        const credential = document.credentials.find((entry) => entry.id === id);
        const version = record?.tokenVersion ?? 0;
        if (credential && version > (this.#reportedTokens.get(id) ?? 0)) {
          this.#reportedTokens.set(id, version);
          for (const key of keys) this.#emit({ type: 'token', key, token: { ...tokenOf(credential), version } });
        }
        const fence = record?.lease?.fence ?? 0;
        if ((this.#reportedLeases.get(id) ?? 0) !== 0 && fence === 0) for (const key of keys) this.#emit({ type: 'unlock', key });
        this.#reportedLeases.set(id, fence);
      }
    } finally {
      this.#polling = false;
    }
  }

  #setAvailable(available: boolean, reason?: string): void {
    if (available === this.#available) return;
    this.#available = available;
    for (const listener of this.#availability) listener(available, reason);
  }
}
