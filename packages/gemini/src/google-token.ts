import { KitError, type HttpHooks } from '@kit/core';
import { postOAuthForm } from '@kit/core/provider-utils';

/** Google's OAuth 2.0 token endpoint. */
export const GOOGLE_TOKEN_ENDPOINT = 'https://oauth2.googleapis.com/token';

/** A token endpoint's answer, as @kit uses it. */
export interface GoogleTokens {
  accessToken: string;
  refreshToken?: string;
  expiresInMs?: number;
  scopes?: string[];
}

/**
 * POSTs a form-encoded grant to a token endpoint (core's `postOAuthForm`) and reads the tokens. A refusal throws a
 * `KitError`: `invalid_grant` / `invalid_client` / `unauthorized_client` (revoked or expired refresh token, wrong
 * client) → `authentication`, other answers by their status, an answer without `access_token` → `invalid_response`;
 * nothing of the form (tokens, code, verifier, client secret) is in it.
 */
export async function requestGoogleTokens(
  endpoint: string,
  form: Record<string, string | undefined>,
  options: { fetch?: typeof globalThis.fetch; signal?: AbortSignal; provider?: string; credentialId?: string; hooks?: HttpHooks },
): Promise<GoogleTokens> {
  const provider = options.provider ?? 'gemini';
  const json = await postOAuthForm(endpoint, form, { ...options, provider });
  if (typeof json.access_token !== 'string' || !json.access_token) {
    throw new KitError('invalid_response', `${provider}: token request: no access token in the answer`, { provider, credentialId: options.credentialId });
  }
  const tokens: GoogleTokens = { accessToken: json.access_token };
  if (typeof json.refresh_token === 'string' && json.refresh_token) tokens.refreshToken = json.refresh_token;
  const expiresIn = Number(json.expires_in);
  if (Number.isFinite(expiresIn) && expiresIn > 0) tokens.expiresInMs = expiresIn * 1000;
  if (typeof json.scope === 'string' && json.scope) tokens.scopes = json.scope.split(' ');
  return tokens;
}
