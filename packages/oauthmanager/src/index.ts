/**
 * `OAuthManager`: OAuth accounts with single-flight refresh, health and backoff, rotation, monitoring and
 * credential stores.
 *
 * @module @kit/oauthmanager
 */
export { OAuthManager, type CredentialUpdate } from './oauth-manager';
export type { OAuthCredential, RefreshContext, RefreshedToken, RefreshFunction } from './oauth-credential';
export type {
  MonitoringOptions,
  OAuthManagerOptions,
  OAuthSelectionStrategy,
  RotationNotice,
  RotationOptions,
} from './oauth-manager-options';
export { adaptiveRefreshBufferMs, type RefreshStats, type RefreshStrategy, type RefreshStrategyName } from './refresh-strategy';
export { MemoryCredentialStore, type CredentialStore } from './credential-store';
export type { Alert, AlertKind, AlertSeverity } from './alert';
export type { CredentialHealth, CredentialMetrics, OAuthHealthSummary } from './credential-report';
export type { ExportedCredential, ExportOptions, OAuthManagerExport } from './credential-export';
