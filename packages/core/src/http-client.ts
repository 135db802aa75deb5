/** The `options` a hook receives: what the request was made with (ky passes its normalised options here). */
export interface HttpHookOptions {
  readonly method: string;
  readonly headers: Headers;
  readonly signal?: AbortSignal | null | undefined;
  /** ky's per-request `context`: always `{}` in @kit. */
  readonly context: Readonly<Record<string, unknown>>;
}

/** What a `beforeRequest` hook receives (ky's `BeforeRequestState`). */
export interface HttpBeforeRequestState {
  /** The outgoing request: set headers on it, or return another `Request`. Its headers include authentication. */
  request: Request;
  options: HttpHookOptions;
  retryCount: number;
}

/** What an `afterResponse` hook receives (ky's `AfterResponseState`). */
export interface HttpAfterResponseState {
  request: Request;
  options: HttpHookOptions;
  /** A clone of the response: reading its body does not consume the caller's. */
  response: Response;
  retryCount: number;
}

/**
 * A ky `beforeRequest` hook: may return a `Request` to send instead, or a `Response` to answer without sending.
 * (Declared with method syntax so that hooks typed with ky's own `BeforeRequestHook` are accepted.)
 */
export type HttpBeforeRequestHook = {
  // biome-ignore lint/suspicious/noConfusingVoidType: ky's own hook type returns `void` (a hook that returns nothing)
  hook(state: HttpBeforeRequestState): Request | Response | void | Promise<Request | Response | void>;
}['hook'];

/**
 * A ky `afterResponse` hook: may return a `Response` to use instead; anything else it returns is ignored.
 * (Method syntax: hooks typed with ky's `AfterResponseHook` are accepted.)
 */
export type HttpAfterResponseHook = { hook(state: HttpAfterResponseState): unknown }['hook'];

/**
 * ky hooks run on every request a provider (or an auxiliary call: token refresh, webhook, Code Assist setup) makes —
 * for tracing and logging. `beforeRequest` hooks receive the real outgoing `Request`, **authentication headers
 * included** (that is what they are for: tag it, sign it, log it — mask it yourself if you log headers); they may
 * set headers or return a `Request`/`Response` as ky documents. `afterResponse` hooks receive a clone of each
 * response (for a stream, read its body only if you mean to wait for the whole stream). Hooks never see an error:
 * failures reach the caller as masked `KitError`s; a hook that throws fails the request with that error, masked.
 * Nothing a hook returns makes \@kit retry (`ky.retry()` is ignored): the engine owns the only retry loop.
 */
export interface HttpHooks {
  beforeRequest?: HttpBeforeRequestHook[];
  afterResponse?: HttpAfterResponseHook[];
}

/** The request options of an `HttpClient` call. */
export interface HttpRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/**
 * @kit's HTTP client: resolves with the `Response` whatever its status; rejects with `fetch`'s own error on a
 * transport failure, and with the signal's reason on an abort.
 */
export type HttpClient = (url: string, init?: HttpRequestInit) => Promise<Response>;

/** Options of `createHttpClient`. */
export interface HttpClientOptions {
  /**
   * The user's `fetch`, called as `fetch(url, init)`: a string URL and an `init` with `method`, a plain record of
   * `headers`, the `body` as a string and the `signal` (the shape custom fetches and test doubles expect). Default:
   * the global `fetch`, looked up at request time.
   */
  fetch?: typeof globalThis.fetch | undefined;
  hooks?: HttpHooks | undefined;
}

/**
 * The HTTP client of the engine's requests: returns non-2xx responses instead of throwing, never retries and sets
 * no timer — the engine classifies every answer and owns the only retry loop and its own timers (ky's options
 * `retry: 0`, `timeout: false`, `throwHttpErrors: false`). It runs the `hooks` as ky does — `beforeRequest` on the
 * `Request` before it is sent (a returned `Request` replaces it, a returned `Response` answers instead of sending),
 * `afterResponse` on a clone of the answer (a returned `Response` replaces it) — without ky itself: ky would add
 * 8.2 KB min+gzip to every bundle (over the 32 KB budget) and cost ×2.2 a bare loopback `fetch` per request while
 * doing nothing else here (docs/architecture.md, "HTTP"). Without hooks it calls `fetch` directly (×1.00); one hook
 * costs ×1.16 (a `Request` per call). Auxiliary requests that use ky's retries and timeouts go through
 * `sendRequest` / `requestJson`.
 */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const userFetch = options.fetch;
  // As fetch does: an aborted signal fails at once (also with a test double that only listens for a later abort).
  const send: HttpClient = (url, init) =>
    init?.signal?.aborted ? Promise.reject(init.signal.reason) : userFetch ? userFetch(url, init) : globalThis.fetch(url, init);
  const beforeRequest = [...(options.hooks?.beforeRequest ?? [])];
  const afterResponse = [...(options.hooks?.afterResponse ?? [])];
  if (beforeRequest.length === 0 && afterResponse.length === 0) return send;
  return async (url, init = {}) => {
    const original = new Request(url, init);
    let request = original;
    const hookOptions: HttpHookOptions = { method: request.method, headers: request.headers, signal: init.signal, context: {} };
    let answered: Response | undefined;
    for (const hook of beforeRequest) {
      const result = await hook({ request, options: hookOptions, retryCount: 0 });
      if (result instanceof Request) request = result;
      else if (result instanceof Response) {
        answered = result;
        break;
      }
    }
    // The request the hooks saw (headers perhaps changed) is sent as it is; the body of one they did not replace is
    // still the caller's string (no stream read).
    let response: Response =
      answered ??
      (request === original
        ? await send(request.url, { ...init, method: request.method, headers: headerRecord(request.headers) })
        : await callWithUrlAndInit(send)(request));
    for (const hook of afterResponse) {
      const copy = response.clone();
      const result = await hook({ request, options: hookOptions, response: copy, retryCount: 0 });
      const next: Response = result instanceof Response ? result : response;
      // A clone nobody took would keep the whole body buffered: let it go (a hook still reading it keeps it).
      if (copy !== next) void copy.body?.cancel().catch(() => {});
      if (next !== response) void response.body?.cancel().catch(() => {});
      response = next;
    }
    return response;
  };
}

/**
 * Sends a `Request` through a `fetch(url, init)`: the URL as a string and a plain `init` (`method`, a header record,
 * the body as text, the signal) — the shape a user's fetch and the test doubles written for `fetch(url, init)` expect.
 * Every body @kit sends is JSON or a form: text.
 */
export function callWithUrlAndInit(fetch: HttpClient): (request: Request, extra?: RequestInit) => Promise<Response> {
  return async (request, extra) => {
    const body = request.body ? await request.text() : undefined;
    return fetch(request.url, {
      ...(extra as HttpRequestInit),
      method: request.method,
      headers: headerRecord(request.headers),
      ...(body === undefined ? {} : { body }),
      signal: request.signal,
    });
  };
}

function headerRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

/** Whether a value is a valid `hooks` setting: an object whose `beforeRequest` / `afterResponse` are arrays of functions. */
export function isHttpHooks(value: unknown): value is HttpHooks {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return Object.keys(record).every(
    (name) =>
      (name === 'beforeRequest' || name === 'afterResponse') &&
      (record[name] === undefined || (Array.isArray(record[name]) && (record[name] as unknown[]).every((hook) => typeof hook === 'function'))),
  );
}
