import { KitError, type HttpHooks } from '@kit/core';
import { requestJson } from '@kit/core/provider-utils';

/** Where "Sign in with OpenRouter" sends the user. */
export const OPENROUTER_AUTH_URL = 'https://openrouter.ai/auth';
/** Where the code is exchanged for the user's key. */
export const OPENROUTER_AUTH_KEYS_URL = 'https://openrouter.ai/api/v1/auth/keys';

/** Options of `buildOpenRouterAuthUrl`. */
export interface OpenRouterAuthUrlOptions {
  /** Where OpenRouter sends the browser back, with `?code=…` (your page, or a loopback URL). */
  callbackUrl: string;
  /** The PKCE S256 challenge of a verifier you keep until the exchange (`createPkcePair()` makes both). */
  codeChallenge: string;
  /** Default `https://openrouter.ai/auth`; tests point it at a local server. */
  authUrl?: string;
}

/**
 * The "Sign in with OpenRouter" URL (OAuth PKCE, S256): `https://openrouter.ai/auth?callback_url=…&code_challenge=…&code_challenge_method=S256`.
 * Send the user there; OpenRouter asks them to log in and approve your app, then redirects to `callbackUrl` with a
 * `code` for `exchangeOpenRouterCode`. Web-standard: works in a browser, a worker or a server.
 *
 * @example
 * const { verifier, challenge } = await createPkcePair();
 * sessionStorage.setItem('openrouter-verifier', verifier);
 * location.href = buildOpenRouterAuthUrl({ callbackUrl: location.origin + '/openrouter-callback', codeChallenge: challenge });
 */
export function buildOpenRouterAuthUrl(options: OpenRouterAuthUrlOptions): string {
  const { callbackUrl, codeChallenge } = options ?? ({} as OpenRouterAuthUrlOptions);
  if (typeof callbackUrl !== 'string' || !/^https?:\/\/\S+$/.test(callbackUrl)) {
    throw new KitError('invalid_config', 'callbackUrl: must be an http(s) URL', { provider: 'openrouter' });
  }
  if (typeof codeChallenge !== 'string' || !/^[A-Za-z0-9_-]{43,128}$/.test(codeChallenge)) {
    throw new KitError('invalid_config', 'codeChallenge: must be a PKCE S256 challenge (base64url, 43 characters)', { provider: 'openrouter' });
  }
  const url = new URL(options.authUrl ?? OPENROUTER_AUTH_URL);
  url.searchParams.set('callback_url', callbackUrl);
  url.searchParams.set('code_challenge', codeChallenge);
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
}

/** Options of `exchangeOpenRouterCode`. */
export interface OpenRouterCodeExchangeOptions {
  /** The `code` OpenRouter put on the callback URL. */
  code: string;
  /** The PKCE verifier whose challenge went into the sign-in URL. */
  codeVerifier: string;
  /** Default `https://openrouter.ai/api/v1/auth/keys`; tests point it at a local server. */
  keysUrl?: string;
  /** The `fetch` to use (called as `fetch(url, init)`). */
  fetch?: typeof globalThis.fetch;
  signal?: AbortSignal;
  /** Bound of the request, answer included; default 30 000 ms. */
  timeoutMs?: number;
  /** ky `beforeRequest` / `afterResponse` hooks (tracing). They see the real request: its body holds the code and the verifier. */
  hooks?: HttpHooks;
}

/** What the code exchange gives: the user's own OpenRouter API key. */
export interface OpenRouterUserKey {
  /** The API key (`sk-or-v1-…`), controlled by the user (they can limit or revoke it on openrouter.ai). Keep it secret. */
  key: string;
  /** OpenRouter's id of the user, when it says. */
  userId?: string;
}

/**
 * Exchanges a "Sign in with OpenRouter" code for the user's API key: `POST https://openrouter.ai/api/v1/auth/keys`
 * with `{ code, code_verifier, code_challenge_method: 'S256' }`. Sent once, never retried (a code is single-use). A
 * refused code (400, 401, 403) throws `authentication`; other failures by their kind (`network`, `timeout`,
 * `server_error`, …); an answer without a key `invalid_response`. The code, the verifier and the key are in no error.
 */
export async function exchangeOpenRouterCode(options: OpenRouterCodeExchangeOptions): Promise<OpenRouterUserKey> {
  const { code, codeVerifier } = options ?? ({} as OpenRouterCodeExchangeOptions);
  if (typeof code !== 'string' || code === '')
    throw new KitError('invalid_request', 'code: the callback has no authorization code', { provider: 'openrouter' });
  if (typeof codeVerifier !== 'string' || codeVerifier === '') {
    throw new KitError('invalid_request', 'codeVerifier: the PKCE verifier of the sign-in URL is required', { provider: 'openrouter' });
  }
  const answer = await requestJson(options.keysUrl ?? OPENROUTER_AUTH_KEYS_URL, {
    provider: 'openrouter',
    what: 'sign-in code exchange',
    method: 'POST',
    json: { code, code_verifier: codeVerifier, code_challenge_method: 'S256' },
    secrets: [code, codeVerifier],
    timeoutMs: options.timeoutMs,
    retry: 0,
    signal: options.signal,
    fetch: options.fetch,
    hooks: options.hooks,
    refine: ({ status }) => (status === 400 || status === 401 || status === 403 ? { code: 'authentication' } : undefined),
  });
  const { key, user_id: userId } = (answer ?? {}) as { key?: unknown; user_id?: unknown };
  if (typeof key !== 'string' || key === '') {
    throw new KitError('invalid_response', 'openrouter: sign-in code exchange: the answer has no key', { provider: 'openrouter' });
  }
  return typeof userId === 'string' && userId ? { key, userId } : { key };
}
