/**
 * What an alert is about:
 * - `'failure-rate'` — more than `failureRateThreshold` of a credential's recent requests failed (≥ the minimum count);
 * - `'refresh-failure'` — refreshing a credential's token failed (critical once it turned unhealthy);
 * - `'token-expiring'` — a token that cannot be refreshed (neither a refresh token nor a client secret, or refreshes failing) expires within `expiryWarningMs`;
 * - `'credential-unhealthy'` — a credential is unhealthy;
 * - `'persistence-failure'` — `onTokenRefresh` or the store failed to save new tokens (they stay usable in memory).
 */
export type AlertKind = 'failure-rate' | 'refresh-failure' | 'token-expiring' | 'credential-unhealthy' | 'persistence-failure';

/** How urgent an alert is. */
export type AlertSeverity = 'info' | 'warning' | 'critical';

/** One alert about one credential. Holds no secret. */
export interface Alert {
  kind: AlertKind;
  severity: AlertSeverity;
  /** The manager's provider name. */
  provider: string;
  credentialId: string;
  /** A sentence for people (masked). */
  message: string;
  /** When it was raised (epoch ms). */
  at: number;
}
