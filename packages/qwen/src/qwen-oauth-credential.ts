/**
 * A Qwen OAuth account, shaped as `@kit/oauthmanager`'s `OAuthCredential` (SPEC §6) so it can be handed to an
 * `OAuthManager` as is. Declared here because a provider package depends on `@kit/core` only.
 */
export interface QwenOAuthCredential {
  /** Stable id; never contains a token. */
  id: string;
  /** Default: Qwen's public client id. */
  clientId?: string;
  clientSecret?: string;
  accessToken: string;
  refreshToken?: string;
  /** When the access token expires (epoch ms). */
  expiresAt?: number;
  scopes?: string[];
  lastRefreshAt?: number;
  refreshCount?: number;
  /** The host (or URL) this account's requests must go to; becomes `https://<resourceUrl>/v1`. */
  resourceUrl?: string;
  projectId?: string;
}

/** What `qwenOAuthRefresh` returns: an `OAuthManager` refresh result (SPEC §6). */
export interface QwenTokenRefreshResult {
  accessToken: string;
  /** The rotated refresh token, or the credential's own one when the server did not rotate it. */
  refreshToken?: string;
  /** Lifetime of the new access token, from the answer's `expires_in`. */
  expiresInMs?: number;
  /** The account's resource URL when the answer names one. */
  resourceUrl?: string;
}
