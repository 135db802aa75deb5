import { KitError, type CredentialLease } from '@kit/core';

/** The header names that carry an Azure credential: only the credential sets them. */
const credentialHeaders = /^(api-key|authorization)$/i;

/**
 * The authentication header of a credential, exactly one: `api-key: <key>` for an API key, `Authorization: Bearer
 * <token>` for an Entra ID token (an `OAuthManager` lease, `kind: 'oauth'`).
 */
export function azureAuthHeaders(lease: CredentialLease): Record<string, string> {
  return lease.kind === 'oauth' ? { authorization: `Bearer ${lease.secret}` } : { 'api-key': lease.secret };
}

/**
 * Refuses `api-key` and `Authorization` in user headers (the `headers` setting, a call's `headers`): a request carries
 * the credential's header only, never the other kind beside it. The message names the header, never its value:
 * `"<what>: headers.api-key: is the credential's header: pass apiKey or credentials instead"`.
 */
export function refuseCredentialHeaders(
  headers: Readonly<Record<string, string | undefined>> | undefined,
  what: string,
  code: 'invalid_config' | 'invalid_request',
  provider: string,
): void {
  for (const name in headers ?? {}) {
    if (credentialHeaders.test(name)) {
      throw new KitError(code, `${what}: headers.${name}: is the credential's header: pass apiKey or credentials instead`, { provider });
    }
  }
}
