import { KitError, type HttpHooks } from '@kit/core';
import { showSignInUrl, waitForLoopbackCallback } from '@kit/core/node';
import { createPkcePair, randomBase64Url } from '@kit/core/provider-utils';
import type { GoogleOAuthCredential } from '../gemini-oauth';
import { GOOGLE_TOKEN_ENDPOINT, requestGoogleTokens } from '../google-token';

/** Google's OAuth 2.0 authorization endpoint. */
export const GOOGLE_AUTHORIZATION_ENDPOINT = 'https://accounts.google.com/o/oauth2/v2/auth';

/** The scopes Code Assist needs (the Gemini CLI asks for the same). */
export const GOOGLE_DEFAULT_SCOPES: readonly string[] = [
  'https://www.googleapis.com/auth/cloud-platform',
  'https://www.googleapis.com/auth/userinfo.email',
  'https://www.googleapis.com/auth/userinfo.profile',
];

export interface GoogleLoginOptions {
  /** Your OAuth client (type "Desktop app" in the Google Cloud console). */
  clientId: string;
  /** The client's secret, for clients that have one (Google's Desktop clients do; it is not confidential there). */
  clientSecret?: string;
  /** Default `GOOGLE_DEFAULT_SCOPES`. */
  scopes?: readonly string[];
  /** The id of the credential returned (names it in an `OAuthManager`); default `'google'`. */
  id?: string;
  /** Suggests an account on Google's sign-in page. */
  loginHint?: string;
  /** The loopback port to listen on; default 0: a free port chosen by the system. */
  port?: number;
  /** Default `/oauth2callback`. */
  callbackPath?: string;
  /** How long to wait for the browser to come back; default 5 minutes. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Default Google's; tests point them at a local OAuth server. */
  authorizationEndpoint?: string;
  tokenEndpoint?: string;
  /** The `fetch` of the code exchange (core's HTTP client calls it as `fetch(url, init)`). */
  fetch?: typeof globalThis.fetch;
  /**
   * ky `beforeRequest` / `afterResponse` hooks on the code exchange (tracing, logging). They see the real request:
   * its form holds the authorization code, the PKCE verifier and the client secret.
   */
  hooks?: HttpHooks;
  /** Called with the sign-in URL (e.g. to open a browser). Nothing is opened unless you pass it. */
  openBrowser?: (url: string) => void | Promise<void>;
  /** Shows the sign-in URL; default: written to stderr. */
  onAuthorizationUrl?: (url: string) => void;
}

/** A login in progress: the URL to open, and the credential once the browser came back. */
export interface GoogleLoginSession {
  /** Open this in a browser (it carries the PKCE challenge and a random `state`). */
  authorizationUrl: string;
  /** `http://127.0.0.1:<port>/oauth2callback`, where Google sends the browser back. */
  redirectUri: string;
  /**
   * Resolves with the account once the code is exchanged; rejects on denial, a failed exchange, timeout or abort. A
   * callback with a wrong or missing `state` is answered 400 and ignored: the login keeps waiting.
   */
  credential: Promise<GoogleOAuthCredential>;
  /** Stops waiting and closes the loopback server. */
  cancel(): void;
}

/**
 * Starts Google's installed-app sign-in (OAuth 2.0 authorization code with PKCE S256, RFC 8252 loopback
 * redirect): a one-shot HTTP server on `127.0.0.1` and a free port, a random `state` checked on the callback before
 * anything else (a callback without it gets a 400 and does not end the login), the code exchanged at the token
 * endpoint (with the verifier). Opens nothing itself: show or open `authorizationUrl`.
 */
export async function startGoogleLogin(options: GoogleLoginOptions): Promise<GoogleLoginSession> {
  if (typeof options?.clientId !== 'string' || options.clientId === '') {
    throw new KitError('invalid_config', 'clientId: the OAuth client id is required (create a Desktop-app client in the Google Cloud console)', {
      provider: 'gemini',
    });
  }
  const { clientId, clientSecret } = options;
  const state = randomBase64Url(24);
  const pkce = await createPkcePair();
  const scopes = options.scopes ?? GOOGLE_DEFAULT_SCOPES;

  const wait = await waitForLoopbackCallback<GoogleOAuthCredential>({
    what: 'Google sign-in',
    provider: 'gemini',
    path: options.callbackPath ?? '/oauth2callback',
    port: options.port,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    async handle({ params, url, reply }) {
      // The state first: a callback without this login's state did not come from Google's redirect for it (any local
      // process or web page can hit the loopback port) — refused, and the login goes on waiting for the real one.
      if (params.get('state') !== state) {
        reply(400, 'Sign-in failed', 'This sign-in link is not the one this application is waiting for (its "state" does not match).');
        return undefined;
      }
      const code = params.get('code');
      const denied = params.get('error') || (code ? undefined : 'the callback has no authorization code');
      if (denied || !code) {
        reply(400, 'Sign-in failed', 'You can close this tab and try again.');
        throw new KitError('authentication', `Google sign-in failed: ${denied}`, { provider: 'gemini' });
      }
      let tokens: Awaited<ReturnType<typeof requestGoogleTokens>>;
      try {
        tokens = await requestGoogleTokens(
          options.tokenEndpoint ?? GOOGLE_TOKEN_ENDPOINT,
          { grant_type: 'authorization_code', code, redirect_uri: url, client_id: clientId, client_secret: clientSecret, code_verifier: pkce.verifier },
          { fetch: options.fetch, signal: options.signal, hooks: options.hooks },
        );
      } catch (error) {
        reply(502, 'Sign-in failed', 'The sign-in code could not be exchanged for tokens.');
        throw error;
      }
      const result: GoogleOAuthCredential = { id: options.id ?? 'google', clientId, accessToken: tokens.accessToken, scopes: tokens.scopes ?? [...scopes] };
      if (clientSecret) result.clientSecret = clientSecret;
      if (tokens.refreshToken) result.refreshToken = tokens.refreshToken;
      if (tokens.expiresInMs !== undefined) result.expiresAt = Date.now() + tokens.expiresInMs;
      reply(200, 'Signed in', 'You can close this tab and return to the application.');
      return result;
    },
  });

  const authorization = new URL(options.authorizationEndpoint ?? GOOGLE_AUTHORIZATION_ENDPOINT);
  const query = {
    client_id: clientId,
    redirect_uri: wait.url,
    response_type: 'code',
    scope: scopes.join(' '),
    access_type: 'offline', // a refresh token
    prompt: 'consent', // … every time, not only at the first consent
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
    state,
    ...(options.loginHint ? { login_hint: options.loginHint } : {}),
  };
  for (const [name, value] of Object.entries(query)) authorization.searchParams.set(name, value);
  return { authorizationUrl: authorization.toString(), redirectUri: wait.url, credential: wait.result, cancel: wait.cancel };
}

/**
 * Signs a Google account in through the browser and returns it as an `OAuthCredential` (access and refresh token,
 * expiry, client), ready for an `OAuthManager` with `geminiOAuthRefresh`. Shows the sign-in URL
 * (`onAuthorizationUrl`, default stderr) and calls `openBrowser` if given; see `startGoogleLogin` for the flow.
 *
 * @example
 * const account = await loginWithGoogle({ clientId: process.env.GOOGLE_CLIENT_ID!, clientSecret: process.env.GOOGLE_CLIENT_SECRET });
 * const accounts = new OAuthManager('gemini', [account], geminiOAuthRefresh, { store });
 */
export async function loginWithGoogle(options: GoogleLoginOptions): Promise<GoogleOAuthCredential> {
  const session = await startGoogleLogin(options);
  await showSignInUrl(session.authorizationUrl, options, 'Google');
  return session.credential;
}
