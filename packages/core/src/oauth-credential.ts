// The OAuth account types live in core (types only, no code) so that provider packages (`@kit/gemini`, `@kit/qwen`)
// can type their refresh functions and logins without depending on `@kit/oauthmanager`, which re-exports them.

/**
 * One OAuth account as `OAuthManager` holds it. `accessToken`, `refreshToken` and `clientSecret` are secrets:
 * they never appear in events, errors, health reports, metrics or a secret-free `export()`.
 */
export interface OAuthCredential {
  /** A stable, non-secret name of the account (`'work'`, `'alice@example.com'`); labels events and metrics. */
  id: string;
  /** The OAuth client the tokens were issued to (public for installed apps). */
  clientId?: string;
  /** The client secret, where the provider's installed-app flow has one. */
  clientSecret?: string;
  /** The Bearer token sent with requests. */
  accessToken: string;
  /** The token the `refresh` function trades for a new access token; servers may rotate it on every refresh. */
  refreshToken?: string;
  /** When `accessToken` expires (epoch ms). Without it the token is refreshed only after a 401. */
  expiresAt?: number;
  /** Scopes the tokens were granted. */
  scopes?: string[];
  /** When the manager last refreshed the tokens (epoch ms). */
  lastRefreshAt?: number;
  /** How many times the tokens were refreshed. */
  refreshCount?: number;
  /** A host or base URL the account must use (Qwen's `resource_url`); handed to the provider as the lease's `baseURL`. */
  resourceUrl?: string;
  /** A project the account works in (Gemini Code Assist); handed to the provider on the lease. */
  projectId?: string;
  /**
   * The token endpoint this account's `refresh` function calls, when it differs per account (an Entra ID tenant's
   * `…/{tenant}/oauth2/v2.0/token`, a service account's `token_uri`). Not a secret.
   */
  tokenUrl?: string;
  /** When the account entered the pool (epoch ms); the age that `rotation.rotationIntervalMs` is measured from. Set by the manager when absent. */
  createdAt?: number;
}

/** What a `refresh` function returns: the new tokens. */
export interface RefreshedToken {
  /** The new access token. */
  accessToken: string;
  /** A rotated refresh token; when absent, the current one is kept. */
  refreshToken?: string;
  /** Expiry of the new access token (epoch ms). */
  expiresAt?: number;
  /** Lifetime of the new access token (ms), used when `expiresAt` is absent (OAuth's `expires_in` × 1000). */
  expiresInMs?: number;
  /** A new resource URL, when the server sends one. */
  resourceUrl?: string;
}

/** The second argument of a `refresh` function. */
export interface RefreshContext {
  /** Fires when the refresh should give up (the manager's `refreshTimeoutMs`). */
  signal: AbortSignal;
}

/**
 * Trades a credential's refresh token for new tokens (the provider packages export ready ones:
 * `geminiOAuthRefresh`, `qwenOAuthRefresh`). Throw on failure, ideally a `KitError`; whatever is thrown is
 * masked before it is reported.
 */
export type RefreshFunction = (credential: Readonly<OAuthCredential>, context: RefreshContext) => Promise<RefreshedToken>;
