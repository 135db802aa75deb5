import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
// Through the package's own name: the build keeps it an import of the main entry (the same `KitError` class), and
// this Node-only entry moves nothing of the shared code into a chunk of its own.
import { KitError } from '@kit/core';

/** One request to the callback path, handed to `LoopbackCallbackOptions.handle`. */
export interface LoopbackCallback {
  /** The query of the request (`code`, `state`, `error`…). */
  params: URLSearchParams;
  /** The callback's own URL, `http://127.0.0.1:<port><path>` (a code exchange sends it as `redirect_uri`). */
  url: string;
  /** Answers the browser with a small HTML page. */
  reply(status: number, title: string, text: string): void;
}

/** Options of `waitForLoopbackCallback`. */
export interface LoopbackCallbackOptions<T> {
  /** The flow, as messages and pages name it: `'Google sign-in'`. */
  what: string;
  /** The `provider` of the `KitError`s. */
  provider: string;
  /** The path the browser comes back to (requests to any other path get a 404). */
  path: string;
  /** Default 0: a free port chosen by the system. */
  port?: number | undefined;
  /** How long to wait for the browser; default 5 minutes. Then the wait fails with `timeout`. */
  timeoutMs?: number | undefined;
  /** Aborting fails the wait with `aborted` and closes the server. */
  signal?: AbortSignal | undefined;
  /**
   * Handles a request to `path` (one at a time: others meanwhile get a 404). It replies, then resolves with the result
   * that ends the wait, or with `undefined` to keep waiting (a callback that is not the one the flow waits for). What
   * it throws ends the wait: a `KitError` as it is, anything else as `network`; without a reply the browser gets a 500.
   */
  handle(callback: LoopbackCallback): Promise<T | undefined>;
}

/** A loopback server waiting for the browser. */
export interface LoopbackCallbackWait<T> {
  /** The callback URL, `http://127.0.0.1:<port><path>`. */
  url: string;
  /** The handler's result; rejects on a handler's error, timeout or abort. Never an unhandled rejection. */
  result: Promise<T>;
  /** Stops waiting (`aborted`) and closes the server. */
  cancel(): void;
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000;

const page = (title: string, text: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family:sans-serif;margin:3em"><h1>${title}</h1><p>${text}</p></body>`;

/**
 * The loopback redirect of an installed app's browser sign-in (RFC 8252): a one-shot HTTP server on `127.0.0.1`
 * that waits for the browser to come back to `path`, hands each such request to `handle`, and closes once the
 * handler has a result, fails, or the wait times out or is aborted. Resolves once the server listens; rejects with
 * the listen error (a `KitError` `network`) when it cannot.
 */
export async function waitForLoopbackCallback<T>(options: LoopbackCallbackOptions<T>): Promise<LoopbackCallbackWait<T>> {
  const { what, provider, path, signal } = options;
  let settle!: { resolve: (result: T) => void; reject: (error: KitError) => void };
  const result = new Promise<T>((resolve, reject) => (settle = { resolve, reject }));
  result.catch(() => {}); // a wait nobody awaits must not raise an unhandled rejection
  let done = false;
  let handling = false;
  let url = '';

  const server = createServer((request, response) => {
    serve(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  const finish = (error: KitError | undefined, value?: T) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    signal?.removeEventListener('abort', cancel);
    server.close();
    server.closeIdleConnections();
    if (error) settle.reject(error);
    else settle.resolve(value as T);
  };
  const cancel = () => finish(new KitError('aborted', `${what} was aborted`, { provider }));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timer = setTimeout(() => finish(new KitError('timeout', `${what} did not complete within ${timeoutMs} ms`, { provider })), timeoutMs);
  timer.unref?.();

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
  } catch (error) {
    const listenError = new KitError('network', `${what}: cannot listen on 127.0.0.1: ${(error as Error).message}`, { provider, cause: error });
    finish(listenError);
    throw listenError;
  }
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  if (signal?.aborted) cancel();
  signal?.addEventListener('abort', cancel, { once: true });

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestUrl = new URL(request.url ?? '/', 'http://127.0.0.1');
    const reply = (status: number, title: string, text: string) => {
      if (!response.headersSent) response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', connection: 'close' }).end(page(title, text));
    };
    if (requestUrl.pathname !== path || done || handling) {
      reply(404, 'Not found', `This server only waits for the ${what} callback.`);
      return;
    }
    handling = true;
    try {
      const value = await options.handle({ params: requestUrl.searchParams, url, reply });
      if (value !== undefined) finish(undefined, value);
    } catch (error) {
      reply(500, `${what} failed`, 'You can close this tab and try again.');
      finish(KitError.is(error) ? error : new KitError('network', `${what}: ${(error as Error).message}`, { provider, cause: error }));
    } finally {
      handling = false;
    }
  }

  return { url, result, cancel };
}

/** Where a sign-in URL goes: shown by `onAuthorizationUrl` (default: stderr), and opened by `openBrowser` if given. */
export interface SignInUrlOptions {
  onAuthorizationUrl?: ((url: string) => void) | undefined;
  openBrowser?: ((url: string) => void | Promise<void>) | undefined;
}

/**
 * Shows a sign-in URL (`onAuthorizationUrl`, default a line on stderr naming `service`) and opens it with
 * `openBrowser` if given; a browser that fails to open is ignored, since the URL was shown.
 */
export async function showSignInUrl(url: string, options: SignInUrlOptions, service: string): Promise<void> {
  (options.onAuthorizationUrl ?? ((shown: string) => process.stderr.write(`Open this URL to sign in with ${service}:\n${shown}\n`)))(url);
  if (!options.openBrowser) return;
  try {
    await options.openBrowser(url);
  } catch {
    // the URL was shown: the user can open it by hand
  }
}
