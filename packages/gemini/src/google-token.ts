import { codeForStatus, KitError, type KitErrorCode } from '@kit/core';

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
 * POSTs a form-encoded grant to a token endpoint and reads the tokens. A refusal throws a `KitError`:
 * `invalid_grant` / `invalid_client` / `unauthorized_client` (revoked or expired refresh token, wrong client)
 * → `authentication`, other answers by their status; nothing of the form (tokens, client secret) is in it.
 */
export async function requestGoogleTokens(
  endpoint: string,
  form: Record<string, string | undefined>,
  options: { fetch?: typeof globalThis.fetch; signal?: AbortSignal; provider?: string },
): Promise<GoogleTokens> {
  const provider = options.provider ?? 'gemini';
  const secrets = [form.refresh_token, form.client_secret, form.code, form.code_verifier];
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) if (value) body.set(name, value);
  let response: Response;
  let json: Record<string, unknown>;
  try {
    response = await (options.fetch ?? globalThis.fetch)(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      signal: options.signal,
    });
    const text = await response.text();
    try {
      json = Object(JSON.parse(text));
    } catch {
      json = { error_description: text.slice(0, 200) };
    }
  } catch (error) {
    if (KitError.is(error)) throw error;
    const code: KitErrorCode = options.signal?.aborted ? 'aborted' : (error as Error)?.name === 'TimeoutError' ? 'timeout' : 'network';
    throw new KitError(code, `${provider}: token request failed: ${(error as Error)?.message ?? error}`, { provider, secrets, cause: error });
  }
  if (!response.ok || typeof json.access_token !== 'string' || !json.access_token) {
    const reason = typeof json.error === 'string' ? json.error : '';
    const code: KitErrorCode = /invalid_grant|invalid_client|unauthorized_client/.test(reason)
      ? 'authentication'
      : response.ok
        ? 'invalid_response'
        : codeForStatus(response.status);
    const description = typeof json.error_description === 'string' ? json.error_description : 'no access token in the answer';
    throw new KitError(code, `${provider}: token request failed: ${reason ? `${reason}: ` : ''}${description} (HTTP ${response.status})`, {
      provider,
      status: response.status,
      secrets,
    });
  }
  const tokens: GoogleTokens = { accessToken: json.access_token };
  if (typeof json.refresh_token === 'string' && json.refresh_token) tokens.refreshToken = json.refresh_token;
  const expiresIn = Number(json.expires_in);
  if (Number.isFinite(expiresIn) && expiresIn > 0) tokens.expiresInMs = expiresIn * 1000;
  if (typeof json.scope === 'string' && json.scope) tokens.scopes = json.scope.split(' ');
  return tokens;
}
