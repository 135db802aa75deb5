import { KitError, type OAuthCredential } from '@kit/core';
import { GOOGLE_TOKEN_ENDPOINT, requestGoogleTokens } from './google-token';

/**
 * A Google OAuth account: core's `OAuthCredential`, so `loginWithGoogle()`'s result can be handed to an
 * `OAuthManager` as it is (`projectId` is the account's Code Assist project, once known).
 */
export type GoogleOAuthCredential = OAuthCredential;

/** What `geminiOAuthRefresh` returns: the shape `OAuthManager` expects of a refresh function. */
export interface GeminiRefreshedToken {
  accessToken: string;
  /** Only when Google rotated it; otherwise the current one is kept. */
  refreshToken?: string;
  expiresInMs?: number;
}

export interface GeminiOAuthRefreshOptions {
  /** Default Google's `https://oauth2.googleapis.com/token` (tests point it at a local token server). */
  tokenEndpoint?: string;
  /** Used when the credential has no `clientId` / `clientSecret` of its own. */
  clientId?: string;
  clientSecret?: string;
  fetch?: typeof globalThis.fetch;
}

/** A refresh function for `OAuthManager`: `(credential, { signal }) => Promise<{ accessToken, refreshToken?, expiresInMs? }>`. */
export type GeminiOAuthRefresh = (
  credential: Readonly<Pick<GoogleOAuthCredential, 'id' | 'clientId' | 'clientSecret' | 'refreshToken'>>,
  context?: { signal?: AbortSignal },
) => Promise<GeminiRefreshedToken>;

/**
 * Builds a Google refresh function with its own token endpoint, client or `fetch`. It POSTs
 * `grant_type=refresh_token` form-encoded with the credential's refresh token and client id/secret.
 */
export function createGeminiOAuthRefresh(options: GeminiOAuthRefreshOptions = {}): GeminiOAuthRefresh {
  return async (credential, context = {}) => {
    const { id, refreshToken } = credential;
    if (typeof refreshToken !== 'string' || !refreshToken) {
      throw new KitError('invalid_request', `gemini: credential.refreshToken: credential "${String(id)}" has no refresh token; log in again`, {
        provider: 'gemini',
        credentialId: id,
      });
    }
    const clientId = credential.clientId ?? options.clientId;
    if (!clientId) {
      throw new KitError('authentication', `gemini: credential "${id}" has no clientId: log in again`, { provider: 'gemini', credentialId: id });
    }
    const tokens = await requestGoogleTokens(
      options.tokenEndpoint ?? GOOGLE_TOKEN_ENDPOINT,
      { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId, client_secret: credential.clientSecret ?? options.clientSecret },
      { fetch: options.fetch, signal: context.signal, credentialId: id },
    );
    const refreshed: GeminiRefreshedToken = { accessToken: tokens.accessToken };
    if (tokens.refreshToken) refreshed.refreshToken = tokens.refreshToken;
    if (tokens.expiresInMs !== undefined) refreshed.expiresInMs = tokens.expiresInMs;
    return refreshed;
  };
}

/**
 * The refresh function for Google accounts, to give an `OAuthManager`:
 * `new OAuthManager('gemini', accounts, geminiOAuthRefresh)`. Uses Google's token endpoint and each credential's
 * `clientId` / `clientSecret`.
 */
export const geminiOAuthRefresh: GeminiOAuthRefresh = /* @__PURE__ */ createGeminiOAuthRefresh();
