import type { KitEventListener } from '@kit/core';
import type { Alert, AlertKind, AlertSeverity } from './alert';
import type { ResolvedOptions } from './oauth-manager-options';
import { postWebhook } from './post-webhook';

/**
 * Raises alerts: at most one per credential and kind within `alertIntervalMs`, each delivered to `onAlert`, as an
 * `alert` event, and (for the kinds chosen) to the webhook. Delivery never throws and never waits.
 */
export class AlertDesk {
  readonly #provider: string;
  readonly #options: ResolvedOptions;
  readonly #emit: KitEventListener | undefined;
  /** `credentialId NUL kind` → when it was last raised. */
  readonly #lastRaised = new Map<string, number>();

  constructor(provider: string, options: ResolvedOptions, emit: KitEventListener | undefined) {
    this.#provider = provider;
    this.#options = options;
    this.#emit = emit;
  }

  /** Whether an alert of this kind about this credential may be raised now (and, if so, remembers that it is). */
  claim(credentialId: string, kind: string): boolean {
    const now = this.#options.now();
    const key = `${credentialId}\u0000${kind}`;
    const last = this.#lastRaised.get(key);
    if (last !== undefined && now - last < this.#options.monitoring.alertIntervalMs) return false;
    this.#lastRaised.set(key, now);
    return true;
  }

  /** Raises an alert unless one of the kind was raised about the credential within the interval. */
  raise(kind: AlertKind, credentialId: string, severity: AlertSeverity, message: string): Alert | undefined {
    if (!this.claim(credentialId, kind)) return undefined;
    const provider = this.#provider;
    const alert: Alert = { kind, severity, provider, credentialId, message, at: this.#options.now() };
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
