import type { RecordedRequest } from './record-request';
import { behaviourAt, defaultBehaviour, type Behaviour, type Script } from './upstream-script';

/** A credential the mock upstream accepts, with its own script. */
export interface MockCredential {
  /** Stable name, recorded as `credentialId`; never a secret. */
  id: string;
  /** The key clients present (use obviously fake values such as `test-key-1`). */
  secret: string;
  /** What requests made with this credential get; default: the upstream's `defaultScript`. */
  script?: Script;
  /**
   * Gemini Code Assist: the Google Cloud project this account already has. `loadCodeAssist` reports it and
   * generation requests must name it. Without it the account is new: it must `onboardUser` first.
   */
  project?: string;
}

/** The name `setScript` uses for the script of requests without a scripted credential. */
export const DEFAULT_SCRIPT_NAME = 'default';

/**
 * The accepted credentials and who answers what: each credential's script (or the default one)
 * with a per-credential request counter.
 */
export class CredentialScripts {
  private readonly credentials: MockCredential[];
  private readonly counters = new Map<string, number>();
  private defaultScript: Script | undefined;

  constructor(credentials: readonly MockCredential[] = [], defaultScript?: Script) {
    const ids = new Set<string>();
    const secrets = new Set<string>();
    for (const credential of credentials) {
      if (!credential.id) throw new Error('mock upstream: every credential needs a non-empty id');
      if (!credential.secret) throw new Error(`mock upstream: credential "${credential.id}" needs a non-empty secret`);
      if (ids.has(credential.id)) throw new Error(`mock upstream: duplicate credential id "${credential.id}"`);
      if (secrets.has(credential.secret)) throw new Error(`mock upstream: credential "${credential.id}" repeats another's secret`);
      ids.add(credential.id);
      secrets.add(credential.secret);
    }
    this.credentials = credentials.map((credential) => ({ ...credential }));
    this.defaultScript = defaultScript;
  }

  /** Whether keys are checked at all (without credentials any key, or none, is accepted). */
  get checksKeys(): boolean {
    return this.credentials.length > 0;
  }

  /** Every configured secret: values the recording must never contain. */
  secrets(): string[] {
    return this.credentials.map((credential) => credential.secret);
  }

  /** The credential presenting `secret`, if any. */
  find(secret: string | undefined): MockCredential | undefined {
    if (secret === undefined) return undefined;
    return this.credentials.find((credential) => credential.secret === secret);
  }

  /** The behaviour for the next request of `credentialId` (or of the default script); advances its counter. */
  next(credentialId: string | undefined, request: RecordedRequest): Behaviour {
    const credential = credentialId === undefined ? undefined : this.credentials.find((item) => item.id === credentialId);
    const key = credential?.id ?? DEFAULT_SCRIPT_NAME;
    const n = this.counters.get(key) ?? 0;
    this.counters.set(key, n + 1);
    const script = credential?.script ?? this.defaultScript;
    return script === undefined ? defaultBehaviour : behaviourAt(script, request, n);
  }

  /** Replaces a credential's script (or, for `'default'`, the default script) and restarts its counter. */
  setScript(credentialIdOrDefault: string, script: Script): void {
    const credential = this.credentials.find((item) => item.id === credentialIdOrDefault);
    if (credential) {
      credential.script = script;
    } else if (credentialIdOrDefault === DEFAULT_SCRIPT_NAME) {
      this.defaultScript = script;
    } else {
      const known = [DEFAULT_SCRIPT_NAME, ...this.credentials.map((item) => item.id)].join(', ');
      throw new Error(`mock upstream: unknown credential "${credentialIdOrDefault}" (known: ${known})`);
    }
    this.counters.delete(credentialIdOrDefault);
  }

  /** Restarts every counter: the next request of each credential is number 0 again. */
  resetCounters(): void {
    this.counters.clear();
  }
}
