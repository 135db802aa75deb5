import { KitError, type KitEvent, type KitEventListener } from '@kit/core';
import {
  CredentialHealthRecord,
  createEventEmitter,
  selectPanicCredential,
  soonestCredentialRecoveryMs,
  type CredentialHealthPolicy,
  type CredentialReportMoment,
  type KitEventInput,
} from '@kit/core/provider-utils';
import type { ResolvedEntry } from './router-entry';

/** An entry with its health: `@kit/core`'s credential health record, the one `KeyManager` keeps per key. */
export interface EntryState extends ResolvedEntry {
  readonly health: CredentialHealthRecord;
  /** Position in the router's list. */
  readonly index: number;
  /** Smoothed time to first content of this entry's recent successful calls, in ms (`least-latency`). */
  latencyMs: number | undefined;
}

/** How much a new latency sample moves the smoothed one (exponentially weighted moving average). */
const LATENCY_SMOOTHING = 0.3;

/**
 * The entries of a router and their health. Every hand-out gets a sequence number, so that failures of calls sent
 * before an entry's last success or before its current cooldown began count once (the credential health record's
 * rule for bursts). Entries that keep failing cool down (1 s → 2 s → … by default, at most 5 s after transient
 * faults) and are skipped meanwhile; one success resets them.
 */
export class EntryPool {
  readonly entries: readonly EntryState[];
  readonly #policy: CredentialHealthPolicy;
  readonly #router: string;
  readonly #emit: KitEventListener;
  #sequence = 0;

  constructor(router: string, entries: readonly ResolvedEntry[], policy: CredentialHealthPolicy, onEvent: KitEventListener | undefined) {
    this.#router = router;
    this.#policy = policy;
    this.#emit = createEventEmitter([onEvent]);
    this.entries = entries.map((entry, index) => ({ ...entry, index, health: new CredentialHealthRecord(), latencyMs: undefined }));
  }

  /** Monotonic ms now (the policy's clock). */
  now(): number {
    return this.#policy.clock.monotonic();
  }

  /** The random source of the policy, in [0, 1). */
  random(): number {
    return this.#policy.random();
  }

  /** Entries that may be used now (no cooldown, not tried in this call), in list order. */
  available(tried: ReadonlySet<EntryState>): EntryState[] {
    const now = this.now();
    return this.entries.filter((entry) => !tried.has(entry) && entry.health.availableAt() <= now);
  }

  /**
   * When no entry is available: the untried entry whose only obstacle is a transient cooldown ending soonest (panic
   * mode, as a key pool does: faults that hit everyone alike never make the router refuse a call).
   */
  panicEntry(tried: ReadonlySet<EntryState>): EntryState | undefined {
    return selectPanicCredential(this.entries, this.now(), (entry) => tried.has(entry));
  }

  /** The entry leaves for a call; returns the hand-out's sequence number for the report. */
  handOut(entry: EntryState): number {
    entry.health.handOut(this.now(), this.#policy);
    return ++this.#sequence;
  }

  /** The entry produced its first content (`latencyMs` after it was called). */
  recordSuccess(entry: EntryState, sequence: number, latencyMs: number): void {
    entry.health.recordSuccess(this.#moment(sequence));
    entry.health.releaseHold();
    entry.latencyMs = entry.latencyMs === undefined ? latencyMs : entry.latencyMs + LATENCY_SMOOTHING * (latencyMs - entry.latencyMs);
  }

  /**
   * The entry failed. Faults of the entry (credential and transient codes) go to its health record;
   * `credentials_exhausted` with a `retryAfterMs` holds the entry back until its pool recovers. Other codes change nothing.
   */
  recordFailure(entry: EntryState, error: KitError, sequence: number): void {
    if (error.code === 'credentials_exhausted') {
      if (error.retryAfterMs !== undefined && error.retryAfterMs > 0) entry.health.hold(this.now() + error.retryAfterMs);
      return;
    }
    entry.health.recordFailure(error, this.#moment(sequence), this.#policy);
  }

  /** `credentials_exhausted`: no entry may be used now, with `retryAfterMs` until the soonest recovers. */
  exhausted(): KitError {
    const retryAfterMs = soonestCredentialRecoveryMs(this.entries, this.now());
    return new KitError('credentials_exhausted', `${this.#router}: every entry is cooling down after failures`, {
      provider: this.#router,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }

  /** Emits a router event (`at` is the wall clock, `provider` the router's name). */
  emit(event: KitEventInput): void {
    this.#emit({ ...event, at: this.#policy.clock.wall(), provider: this.#router } as KitEvent);
  }

  #moment(sequence: number): CredentialReportMoment {
    const { clock } = this.#policy;
    return { now: clock.monotonic(), wallNow: clock.wall(), currentSequence: this.#sequence, sequence };
  }
}
