import type { KitEventListener } from '@kit/core';
import type { Alert, AlertKind, AlertSeverity } from './alert';
import type { ResolvedOptions } from './oauth-manager-options';
import { postWebhook } from './post-webhook';

/** Severities in rising order. */
const severityRank: Record<AlertSeverity, number> = { info: 0, warning: 1, critical: 2 };

/**
 * Raises alerts: at most one per credential and kind within `alertIntervalMs` — unless it is more severe than the one
 * raised last (a warning, then a critical within the hour: both are raised) — each delivered to `onAlert`, as an
 * `alert` event, and (for the kinds chosen) to the webhook. Delivery never throws and never waits.
 */
export class AlertDesk {
  readonly #provider: string;
  readonly #options: ResolvedOptions;
  readonly #emit: KitEventListener | undefined;
  /** `credentialId NUL kind` → when it was last raised, and how severe it was. */
  readonly #lastRaised = new Map<string, { at: number; rank: number }>();

  constructor(provider: string, options: ResolvedOptions, emit: KitEventListener | undefined) {
    this.#provider = provider;
    this.#options = options;
    this.#emit = emit;
  }

  /**
   * Whether a notice of this kind (and severity) about this credential may be raised now — none was within the
   * interval, or the last one was less severe — and, if so, remembers that it is.
   */
  claim(credentialId: string, kind: string, severity: AlertSeverity = 'info'): boolean {
    // The interval is a duration: measured on the monotonic clock.
    const now = this.#options.health.clock.monotonic();
    const key = `${credentialId}\u0000${kind}`;
    const last = this.#lastRaised.get(key);
    const rank = severityRank[severity];
    if (last && now - last.at < this.#options.monitoring.alertIntervalMs && rank <= last.rank) return false;
    this.#lastRaised.set(key, { at: now, rank });
    return true;
  }

  /** Raises an alert unless one of the kind, as severe or more, was raised about the credential within the interval. */
  raise(kind: AlertKind, credentialId: string, severity: AlertSeverity, message: string): Alert | undefined {
    if (!this.claim(credentialId, kind, severity)) return undefined;
    const provider = this.#provider;
    const alert: Alert = { kind, severity, provider, credentialId, message, at: this.#options.health.clock.wall() };
    const { onAlert, webhookUrl, events, webhookTimeoutMs } = this.#options.monitoring;
    try {
      onAlert?.({ ...alert });
    } catch {
      // The listener's failure is its own.
    }
    this.#emit?.({ type: 'alert', at: alert.at, provider, credentialId, kind, message, severity });
    const fetcher = this.#options.fetch ?? globalThis.fetch;
    if (webhookUrl && fetcher && (!events || events.includes(kind))) void postWebhook(fetcher, webhookUrl, alert, webhookTimeoutMs);
    return alert;
  }

  /** Forgets a credential (it left the pool). */
  forget(credentialId: string): void {
    for (const key of this.#lastRaised.keys()) if (key.startsWith(`${credentialId}\u0000`)) this.#lastRaised.delete(key);
  }
}
