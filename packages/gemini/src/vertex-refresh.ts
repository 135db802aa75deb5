import { KitError, type OAuthCredential, type RefreshContext, type RefreshedToken } from '@kit/core';
import { isPkcs8PrivateKey, signServiceAccountAssertion } from './google-jwt-assertion';
import { GOOGLE_TOKEN_ENDPOINT, requestGoogleTokens } from './google-token';
import { CLOUD_PLATFORM_SCOPE } from './vertex-credentials';

/** RFC 7523's grant type: an access token for a signed JWT. */
const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Options of `createVertexServiceAccountRefresh`. */
export interface VertexRefreshOptions {
  /** The `fetch` for token requests (default the global one). */
  fetch?: typeof globalThis.fetch;
  /** The clock the assertion's `iat` / `exp` are read from (default `Date.now`). */
  now?: () => number;
  /** The name in errors (default `'gemini'`). */
  provider?: string;
}

/** A refresh function for `OAuthManager`, as `vertexServiceAccountRefresh` is. */
export type VertexRefresh = (credential: Readonly<OAuthCredential>, context?: Partial<RefreshContext>) => Promise<RefreshedToken>;

/**
 * Builds `vertexServiceAccountRefresh` with its own `fetch` or clock. For a service-account credential (its
 * `refreshToken` is the key's PEM private key) it signs an RS256 JWT assertion with Web Crypto — issuer `clientId`,
 * audience and endpoint `tokenUrl`, the credential's `scopes` (default `cloud-platform`) — and POSTs it with
 * `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`; for an `authorized_user` credential it POSTs the
 * refresh-token grant with its client id and secret. A key Google no longer accepts (deleted or disabled: `invalid_grant`)
 * is an `authentication` error; no error holds the key, the assertion or a token.
 */
export function createVertexServiceAccountRefresh(options: VertexRefreshOptions = {}): VertexRefresh {
  const provider = options.provider ?? 'gemini';
  const now = options.now ?? Date.now;
  return async (credential, context = {}) => {
    const { id, refreshToken, clientId } = credential;
    if (typeof refreshToken !== 'string' || !refreshToken || !clientId) {
      throw new KitError(
        'invalid_request',
        `${provider}: credential "${String(id)}" is not a Vertex credential (make it with vertexServiceAccountCredential)`,
        {
          provider,
          credentialId: id,
        },
      );
    }
    const tokenUrl = credential.tokenUrl ?? GOOGLE_TOKEN_ENDPOINT;
    const request = { fetch: options.fetch, signal: context.signal, provider, credentialId: id };
    let form: Record<string, string | undefined>;
    if (isPkcs8PrivateKey(refreshToken)) {
      const issuedAt = Math.floor(now() / 1000);
      const scope = (credential.scopes?.length ? credential.scopes : [CLOUD_PLATFORM_SCOPE]).join(' ');
      const assertion = await signServiceAccountAssertion({
        privateKey: refreshToken,
        clientEmail: clientId,
        audience: tokenUrl,
        scope,
        issuedAt,
        provider,
        credentialId: id,
      });
      form = { grant_type: JWT_BEARER_GRANT, assertion };
    } else {
      form = { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId, client_secret: credential.clientSecret };
    }
    const tokens = await requestGoogleTokens(tokenUrl, form, request);
    const refreshed: RefreshedToken = { accessToken: tokens.accessToken };
    if (tokens.expiresInMs !== undefined) refreshed.expiresInMs = tokens.expiresInMs;
    return refreshed;
  };
}

/**
 * The refresh function of Vertex AI credentials, to give an `OAuthManager`:
 * `new OAuthManager('vertex', [vertexServiceAccountCredential(key)], vertexServiceAccountRefresh)`. Service accounts get
 * tokens with a signed JWT assertion at their key file's `token_uri`; `authorized_user` credentials with their refresh
 * token. Web-standard code only (Web Crypto), so it runs on Node, Bun, Deno and edge workers.
 */
export const vertexServiceAccountRefresh: VertexRefresh = /* @__PURE__ */ createVertexServiceAccountRefresh();
