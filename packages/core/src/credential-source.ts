import type { KitError } from './kit-error';
import type { RateLimitInfo } from './rate-limit-info';

/** One credential handed out for one attempt. `id` is stable and never contains the secret. */
export interface CredentialLease {
  id: string;
  secret: string;
  kind: 'api-key' | 'oauth';
  /** A base URL this credential must use (an OAuth account's resource URL). */
  baseURL?: string;
  /** A project this credential belongs to (Gemini Code Assist); passed to the provider's request builder. */
  projectId?: string;
  /**
   * The source's own, strictly increasing number of this hand-out. The engine passes it back with the report of the
   * attempt, so a source can tell a failure of a request sent *before* the credential's last success or before its
   * current backoff began (a late, concurrent failure: not news) from a new one.
   */
  sequence?: number;
}

export interface AcquireOptions {
  signal?: AbortSignal;
  /** Ask for this credential again (after `onUnauthorized` refreshed it). */
  id?: string;
  /** Credentials that failed for good in this call (revoked, forbidden, out of quota): do not hand them out. */
  exclude?: ReadonlySet<string>;
}

/** What the engine tells a source about the attempt a report is for. */
export interface CredentialReportInfo {
  /** `CredentialLease.sequence` of the lease the attempt used. */
  sequence?: number;
}

/** What the engine tells a source after a successful attempt. */
export interface CredentialSuccessInfo extends CredentialReportInfo {
  latencyMs?: number;
  rateLimit?: RateLimitInfo;
  inputTokens?: number;
  outputTokens?: number;
}

/** Where the engine gets credentials from: `KeyManager`, `OAuthManager`, or anything a third party writes. */
export interface CredentialSource {
  acquire(options: AcquireOptions): Promise<CredentialLease>;
  reportSuccess(id: string, info?: CredentialSuccessInfo): void;
  reportFailure(id: string, error: KitError, info?: CredentialReportInfo): void;
  /**
   * OAuth: refresh once after a 401; `true` means "retry with the same credential". `secret` is the token the
   * rejected request carried, so a late 401 for a token that was already replaced costs no second refresh.
   */
  onUnauthorized?(id: string, rejected?: { secret: string }): Promise<boolean>;
  /** Rate-limit headers seen on a response of this credential (a source may skip it until the reset). */
  reportRateLimit?(id: string, info: RateLimitInfo): void;
}

/** A `CredentialSource` over one fixed key (the `apiKey` setting or an environment variable). */
export function singleKeySource(resolveKey: () => string, id = 'default'): CredentialSource {
  return {
    acquire: async () => ({ id, secret: resolveKey(), kind: 'api-key' }),
    reportSuccess: () => {},
    reportFailure: () => {},
  };
}
