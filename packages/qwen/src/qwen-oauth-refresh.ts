import { KitError } from '@kit/core';
import { postOAuthForm } from '@kit/core/provider-utils';
import { qwenResourceBaseURL } from './qwen-base-url';
import type { QwenOAuthCredential, QwenTokenRefreshResult } from './qwen-oauth-credential';
import { QWEN_OAUTH_CLIENT_ID, QWEN_OAUTH_TOKEN_URL, type QwenOAuthTransport } from './qwen-oauth-request';

/** Options of `qwenOAuthRefresh`; an `OAuthManager` passes `{ signal }`. */
export interface QwenOAuthRefreshOptions extends QwenOAuthTransport {
  /** The token endpoint (default `https://chat.qwen.ai/api/v1/oauth2/token`; tests point it at a local server). */
  tokenURL?: string;
  /** Used when the credential has no `clientId` (default Qwen's public client id). */
  clientId?: string;
}

/**
 * Reads a successful token answer (refresh or device-code grant) leniently: `access_token` is required,
 * `refresh_token` and `expires_in` (seconds) are taken when well-formed, and `resource_url` (trimmed) when it is a
 * usable base URL (see `qwenResourceBaseURL`). A `resource_url` that is not — not a host, or `http://` to a host
 * that is not loopback — fails the answer with `invalid_response`: for a refresh, the `OAuthManager` then counts a
 * refresh failure and moves on to another account, instead of every request of this one failing when it is sent.
 */
export function readQwenTokenAnswer(body: Record<string, unknown>, what: string, credentialId: string | undefined): QwenTokenRefreshResult {
  const { access_token: accessToken, refresh_token: refreshToken, expires_in: expiresIn, resource_url: resourceUrl } = body;
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new KitError('invalid_response', `qwen: ${what}: the answer has no access_token`, { provider: 'qwen', credentialId });
  }
  const result: QwenTokenRefreshResult = { accessToken };
  if (typeof refreshToken === 'string' && refreshToken !== '') result.refreshToken = refreshToken;
  const seconds = Number(expiresIn);
  if (expiresIn != null && expiresIn !== '' && Number.isFinite(seconds) && seconds > 0) result.expiresInMs = Math.round(seconds * 1000);
  if (typeof resourceUrl === 'string' && resourceUrl.trim() !== '') {
    try {
      qwenResourceBaseURL(resourceUrl);
    } catch (error) {
      const reason = (error as Error).message.replace(/^qwen: resourceUrl: /, '');
      const secrets = [accessToken, typeof refreshToken === 'string' ? refreshToken : undefined];
      throw new KitError('invalid_response', `qwen: ${what}: the answer's resource_url ${reason}`, { provider: 'qwen', credentialId, secrets });
    }
    result.resourceUrl = resourceUrl.trim();
  }
  return result;
}

/**
 * Refreshes a Qwen OAuth access token: `POST https://chat.qwen.ai/api/v1/oauth2/token` with the form fields
 * `grant_type=refresh_token`, `refresh_token`, `client_id` (and `client_secret` when the credential has one).
 * A refresh token the server rotated is returned; when it did not rotate it, the credential's own is kept.
 * Usable as is as an `OAuthManager` refresh function: `new OAuthManager('qwen', accounts, qwenOAuthRefresh)`.
 *
 * Errors are `KitError`s without any token in them: a rejected refresh token (`invalid_grant`, HTTP 400/401) is
 * `authentication`; 429 `rate_limit`; 5xx `server_error`; an answer without `access_token`, or with a `resource_url`
 * that is not a usable base URL, `invalid_response`.
 */
export async function qwenOAuthRefresh(credential: QwenOAuthCredential, options: QwenOAuthRefreshOptions = {}): Promise<QwenTokenRefreshResult> {
  if (typeof credential !== 'object' || credential === null)
    throw new KitError('invalid_request', 'qwen: credential: must be an OAuth credential object', { provider: 'qwen' });
  const { id, refreshToken, clientSecret } = credential;
  if (typeof refreshToken !== 'string' || refreshToken === '') {
    throw new KitError('invalid_request', `qwen: credential.refreshToken: credential "${String(id)}" has no refresh token; log in again`, {
      provider: 'qwen',
      credentialId: id,
    });
  }
  const secrets = [refreshToken, credential.accessToken, clientSecret];
  const what = 'token refresh';
  const body = await postOAuthForm(
    options.tokenURL ?? QWEN_OAUTH_TOKEN_URL,
    {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: credential.clientId ?? options.clientId ?? QWEN_OAUTH_CLIENT_ID,
      client_secret: clientSecret || undefined,
    },
    { fetch: options.fetch, signal: options.signal, timeoutMs: options.timeoutMs, provider: 'qwen', what, credentialId: id, secrets },
  );
  const result = readQwenTokenAnswer(body, what, id);
  result.refreshToken ??= refreshToken;
  return result;
}

/**
 * A `qwenOAuthRefresh` bound to options (another token endpoint, client id, `fetch`), for an `OAuthManager`:
 * `new OAuthManager('qwen', accounts, createQwenOAuthRefresh({ tokenURL }))`.
 */
export function createQwenOAuthRefresh(defaults: QwenOAuthRefreshOptions) {
  return (credential: QwenOAuthCredential, options: QwenOAuthRefreshOptions = {}): Promise<QwenTokenRefreshResult> =>
    qwenOAuthRefresh(credential, { ...defaults, ...options });
}
