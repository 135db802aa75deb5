import { KitError, type HttpHooks } from '@kit/core';
import { showSignInUrl, waitForLoopbackCallback } from '@kit/core/node';
import { createPkcePair, randomBase64Url } from '@kit/core/provider-utils';
import { buildOpenRouterAuthUrl, exchangeOpenRouterCode, type OpenRouterUserKey } from '../openrouter-auth';

/** Options of `loginWithOpenRouter` / `startOpenRouterLogin`. */
export interface OpenRouterLoginOptions {
  /** The loopback port to listen on; default 0: a free port chosen by the system. */
  port?: number;
  /** How long to wait for the browser to come back; default 5 minutes. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Default OpenRouter's; tests point them at a local server (`@kit/testkit`'s `createMockOpenRouterAuthServer`). */
  authUrl?: string;
  keysUrl?: string;
  /** The `fetch` of the code exchange (core's HTTP client calls it as `fetch(url, init)`). */
  fetch?: typeof globalThis.fetch;
  /** ky hooks on the code exchange (tracing). They see the real request: its body holds the code and the verifier. */
  hooks?: HttpHooks;
  /** Called with the sign-in URL (e.g. to open a browser). Nothing is opened unless you pass it. */
  openBrowser?: (url: string) => void | Promise<void>;
  /** Shows the sign-in URL; default: written to stderr. */
  onAuthorizationUrl?: (url: string) => void;
}

/** A login in progress: the URL to open, and the user's key once the browser came back. */
export interface OpenRouterLoginSession {
  /** Open this in a browser (it carries the PKCE challenge and the loopback callback). */
  authorizationUrl: string;
  /** `http://127.0.0.1:<port>/callback/<random>`, where OpenRouter sends the browser back. */
  callbackUrl: string;
  /** Resolves with the user's key once the code is exchanged; rejects on a failed exchange, timeout or abort. */
  key: Promise<OpenRouterUserKey>;
  /** Stops waiting and closes the loopback server. */
  cancel(): void;
}

/**
 * Starts "Sign in with OpenRouter" for a CLI or desktop app (OAuth PKCE S256 with a loopback callback): a one-shot
 * HTTP server on `127.0.0.1` and a free port whose callback path holds a random segment (OpenRouter has no `state`
 * parameter: only the real redirect knows the path, so other local requests get a 404 and the login keeps waiting),
 * the code exchanged once at `POST /api/v1/auth/keys` with the verifier. Opens nothing itself: show or open
 * `authorizationUrl`.
 */
export async function startOpenRouterLogin(options: OpenRouterLoginOptions = {}): Promise<OpenRouterLoginSession> {
  const pkce = await createPkcePair();
  const wait = await waitForLoopbackCallback<OpenRouterUserKey>({
    what: 'OpenRouter sign-in',
    provider: 'openrouter',
    path: `/callback/${randomBase64Url(24)}`,
    port: options.port,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    async handle({ params, reply }) {
      const code = params.get('code');
      if (!code) {
        reply(400, 'Sign-in failed', 'You can close this tab and try again.');
        const reason = params.get('error') ?? 'the callback has no code';
        throw new KitError('authentication', `OpenRouter sign-in failed: ${reason.slice(0, 200)}`, { provider: 'openrouter' });
      }
      let userKey: OpenRouterUserKey;
      try {
        userKey = await exchangeOpenRouterCode({
          code,
          codeVerifier: pkce.verifier,
          keysUrl: options.keysUrl,
          fetch: options.fetch,
          signal: options.signal,
          hooks: options.hooks,
        });
      } catch (error) {
        reply(502, 'Sign-in failed', 'The sign-in code could not be exchanged for a key.');
        throw error;
      }
      reply(200, 'Signed in', 'You can close this tab and return to the application.');
      return userKey;
    },
  });
  const authorizationUrl = buildOpenRouterAuthUrl({ callbackUrl: wait.url, codeChallenge: pkce.challenge, authUrl: options.authUrl });
  return { authorizationUrl, callbackUrl: wait.url, key: wait.result, cancel: wait.cancel };
}

/**
 * "Sign in with OpenRouter" from a CLI: shows the sign-in URL (`onAuthorizationUrl`, default stderr), calls
 * `openBrowser` if given, waits for OpenRouter's redirect to a loopback callback and exchanges the code for the
 * user's own API key (see `startOpenRouterLogin`). Use the key as `apiKey`, or add it to a `KeyManager`.
 *
 * @example
 * const { key } = await loginWithOpenRouter({ openBrowser: (url) => open(url) });
 * const openrouter = createOpenRouter({ apiKey: key, appName: 'My CLI' });
 */
export async function loginWithOpenRouter(options: OpenRouterLoginOptions = {}): Promise<OpenRouterUserKey> {
  const session = await startOpenRouterLogin(options);
  await showSignInUrl(session.authorizationUrl, options, 'OpenRouter');
  return session.key;
}
