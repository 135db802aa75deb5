import { KitError, type OAuthCredential, type RefreshedToken } from '@kit/core';
import { postOAuthForm } from '@kit/core/provider-utils';
import { AZURE_COGNITIVE_SERVICES_SCOPE, AZURE_ENTRA_PENDING_TOKEN } from './azure-entra-credential';

/** Options of `azureEntraRefresh`; an `OAuthManager` passes `{ signal }`. */
export interface AzureEntraRefreshOptions {
  signal?: AbortSignal;
  /** The `fetch` to use (default `globalThis.fetch`). */
  fetch?: typeof globalThis.fetch;
  /** Bound of the token request (default 30 000). */
  timeoutMs?: number;
}

/**
 * Gets a new Entra ID access token for a credential made by `azureEntraCredential`: the OAuth 2.0 client-credentials
 * grant, `POST {tokenUrl}` (`{authorityHost}/{tenantId}/oauth2/v2.0/token`) with `grant_type=client_credentials`,
 * `client_id`, `client_secret` and `scope` (`https://cognitiveservices.azure.com/.default`). The answer's `expires_in`
 * sets the expiry; there is no refresh token. Use it as an `OAuthManager`'s refresh function:
 * `new OAuthManager('azure', [azureEntraCredential(…), …], azureEntraRefresh)`.
 *
 * Errors are `KitError`s holding neither the client secret nor a token: a wrong secret (`invalid_client`, HTTP 401,
 * AADSTS7000215) or an unknown app (`unauthorized_client`) is `authentication`; an unknown tenant is `invalid_request`;
 * 429 `rate_limit`; 5xx `server_error`; an answer without `access_token` `invalid_response`. The manager then skips
 * the credential and serves calls with the others.
 */
export async function azureEntraRefresh(credential: OAuthCredential, options: AzureEntraRefreshOptions = {}): Promise<RefreshedToken> {
  if (typeof credential !== 'object' || credential === null)
    throw new KitError('invalid_request', 'azure: credential: must be a credential made by azureEntraCredential', { provider: 'azure' });
  const { id, tokenUrl, clientId, clientSecret, accessToken } = credential;
  const missing = !tokenUrl ? 'tokenUrl' : !clientId ? 'clientId' : !clientSecret ? 'clientSecret' : undefined;
  if (missing) {
    throw new KitError('invalid_request', `azure: credential.${missing}: credential "${String(id)}" has none: make it with azureEntraCredential`, {
      provider: 'azure',
      credentialId: id,
    });
  }
  const what = 'Entra ID token request';
  const secrets = [clientSecret, accessToken === AZURE_ENTRA_PENDING_TOKEN ? undefined : accessToken];
  const body = await postOAuthForm(
    tokenUrl as string,
    {
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
      scope: credential.scopes?.join(' ') || AZURE_COGNITIVE_SERVICES_SCOPE,
    },
    { fetch: options.fetch, signal: options.signal, timeoutMs: options.timeoutMs, provider: 'azure', what, credentialId: id, secrets },
  );
  const { access_token: newToken, expires_in: expiresIn } = body;
  if (typeof newToken !== 'string' || newToken === '') {
    throw new KitError('invalid_response', `azure: ${what}: the answer has no access_token`, { provider: 'azure', credentialId: id });
  }
  const result: RefreshedToken = { accessToken: newToken };
  const seconds = Number(expiresIn);
  if (expiresIn != null && expiresIn !== '' && Number.isFinite(seconds) && seconds > 0) result.expiresInMs = Math.round(seconds * 1000);
  return result;
}
