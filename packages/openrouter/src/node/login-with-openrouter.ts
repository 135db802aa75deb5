import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KitError, type HttpHooks } from '@kit/core';
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

const page = (title: string, text: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family:sans-serif;margin:3em"><h1>${title}</h1><p>${text}</p></body>`;

/**
 * Starts "Sign in with OpenRouter" for a CLI or desktop app (OAuth PKCE S256 with a loopback callback): a one-shot
 * HTTP server on `127.0.0.1` and a free port whose callback path holds a random segment (OpenRouter has no `state`
 * parameter: only the real redirect knows the path, so other local requests get a 404 and the login keeps waiting),
 * the code exchanged once at `POST /api/v1/auth/keys` with the verifier. Opens nothing itself: show or open
 * `authorizationUrl`.
 */
export async function startOpenRouterLogin(options: OpenRouterLoginOptions = {}): Promise<OpenRouterLoginSession> {
  const { signal } = options;
  const callbackPath = `/callback/${randomBase64Url(24)}`;
  const pkce = await createPkcePair();

  let settle!: { resolve: (key: OpenRouterUserKey) => void; reject: (error: KitError) => void };
  const key = new Promise<OpenRouterUserKey>((resolve, reject) => (settle = { resolve, reject }));
  key.catch(() => {}); // a session nobody awaits must not raise an unhandled rejection
  let done = false;
  let exchanging = false;

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  const finish = (error: KitError | undefined, result?: OpenRouterUserKey) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    server.close();
    server.closeIdleConnections();
    if (error) settle.reject(error);
    else settle.resolve(result as OpenRouterUserKey);
  };
  const onAbort = () => finish(new KitError('aborted', 'OpenRouter sign-in was aborted', { provider: 'openrouter' }));
  const timeoutMs = options.timeoutMs ?? 5 * 60_000;
  const timer = setTimeout(
    () => finish(new KitError('timeout', `OpenRouter sign-in did not complete within ${timeoutMs} ms`, { provider: 'openrouter' })),
    timeoutMs,
  );
  timer.unref?.();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  }).catch((error: unknown) => {
    finish(new KitError('network', `OpenRouter sign-in: cannot listen on 127.0.0.1: ${(error as Error).message}`, { provider: 'openrouter' }));
    throw error;
  });
  const callbackUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${callbackPath}`;
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const answer = (status: number, title: string, text: string) =>
      response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', connection: 'close' }).end(page(title, text));
    if (url.pathname !== callbackPath || done || exchanging) {
      answer(404, 'Not found', 'This server only waits for the OpenRouter sign-in callback.');
      return;
    }
    const code = url.searchParams.get('code');
    if (!code) {
      answer(400, 'Sign-in failed', 'You can close this tab and try again.');
      const reason = url.searchParams.get('error') ?? 'the callback has no code';
      finish(new KitError('authentication', `OpenRouter sign-in failed: ${reason.slice(0, 200)}`, { provider: 'openrouter' }));
      return;
    }
    exchanging = true; // one exchange: a second callback is not the one the login waits for
    try {
      const userKey = await exchangeOpenRouterCode({
        code,
        codeVerifier: pkce.verifier,
        keysUrl: options.keysUrl,
        fetch: options.fetch,
        signal,
        hooks: options.hooks,
      });
      answer(200, 'Signed in', 'You can close this tab and return to the application.');
      finish(undefined, userKey);
    } catch (error) {
      answer(502, 'Sign-in failed', 'The sign-in code could not be exchanged for a key.');
      finish(KitError.is(error) ? error : new KitError('network', `OpenRouter sign-in: ${(error as Error).message}`, { provider: 'openrouter' }));
    }
  }

  const authorizationUrl = buildOpenRouterAuthUrl({ callbackUrl, codeChallenge: pkce.challenge, authUrl: options.authUrl });
  return { authorizationUrl, callbackUrl, key, cancel: onAbort };
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
  (options.onAuthorizationUrl ?? ((url: string) => process.stderr.write(`Open this URL to sign in with OpenRouter:\n${url}\n`)))(session.authorizationUrl);
  if (options.openBrowser) {
    try {
      await options.openBrowser(session.authorizationUrl);
    } catch {
      // the URL was shown: the user can open it by hand
    }
  }
  return session.key;
}
