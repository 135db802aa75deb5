import { abortedError } from './abort';
import { createUpstreamError, type ErrorRefiner } from './classify-error';
import type { HttpHooks } from './http-client';
import { KitError } from './kit-error';
import { maskSecrets } from './mask-secrets';
import { mergeHeaders, type HeaderSource } from './merge-headers';

/** How long one auxiliary request may take by default (connection, answer and body). */
export const AUXILIARY_TIMEOUT_MS = 30_000;

/** Options of the auxiliary request helpers (`sendRequest`, `requestJson`, `sendRequestOnce`, `requestJsonOnce`). */
export interface RequestJsonOptions {
  /** Provider name in the errors. */
  provider: string;
  /** What the request is for, in error messages (`"token refresh"`, `"model list"`); default `"request"`. */
  what?: string;
  /** Default `GET`, or `POST` with a `json` or `form` body. */
  method?: string;
  /** A JSON body (`content-type: application/json`). */
  json?: unknown;
  /**
   * A form body (`application/x-www-form-urlencoded`; `undefined` values left out). Every value except those of
   * OAuth's public fields (`grant_type`, `client_id`, `scope`, `redirect_uri`, `response_type`,
   * `code_challenge`, `code_challenge_method`) is a secret: masked out of every error.
   */
  form?: Readonly<Record<string, string | undefined>>;
  /** Merged case-insensitively over `accept: application/json` and the body's `content-type`. */
  headers?: HeaderSource;
  /**
   * Bound of each attempt (default 30 000). Without retries it bounds the whole request, answer body included;
   * `sendRequest` with `'transient'` retries bounds the whole call, waits included, by `timeoutMs × (limit + 1)`,
   * with `'not-sent'` retries by `timeoutMs`.
   */
  timeoutMs?: number;
  /** `sendRequest` / `requestJson` only: retries by ky (a number is a `'transient'` limit). Default 0. */
  retry?: number | RetryPolicy;
  signal?: AbortSignal | undefined;
  /** The `fetch` to use (default the global one), called as `fetch(url, init)`. */
  fetch?: typeof globalThis.fetch | undefined;
  /** ky `beforeRequest` / `afterResponse` hooks (tracing, logging). */
  hooks?: HttpHooks | undefined;
  /**
   * Values to mask out of errors (the credential used). The values of `authorization`, `proxy-authorization`,
   * `x-api-key`, `x-goog-api-key` and `api-key` headers and of the form's secret fields always are.
   */
  secrets?: readonly (string | undefined)[];
  credentialId?: string | undefined;
  /** `requestJson` / `requestJsonOnce`: the provider's error refinement for a non-2xx answer. */
  refine?: ErrorRefiner | undefined;
}

/**
 * When `sendRequest` retries (by ky, with exponential backoff from 300 ms, ±20 % jitter, at most 8 s):
 * - `'transient'` — the call is safe to repeat (a GET, an idempotent webhook): network failures, attempts without
 *   an answer within `timeoutMs`, and HTTP 408, 429, 500, 502, 503, 504; a `Retry-After` (429/503) is honoured,
 *   and one longer than `maxRetryAfterMs` is not waited for (the error carries it as `retryAfterMs`).
 * - `'not-sent'` — the call must not run twice (an OAuth token grant: a rotated refresh token or an authorization
 *   code is single-use): only failures to connect (DNS, refused, unreachable, connect timeout), which prove the
 *   request never reached the server. A reset, a timeout or any HTTP answer is final.
 */
export interface RetryPolicy {
  /** Retries after the first attempt (0 – 5). */
  limit: number;
  /** Default `'transient'`. */
  when?: 'transient' | 'not-sent';
  /** The longest `Retry-After` waited for; default 10 000 ms. */
  maxRetryAfterMs?: number;
}

/** What an upstream answered, whatever its status. */
export interface HttpAnswer {
  status: number;
  ok: boolean;
  headers: Headers;
  /** The parsed JSON body; the text when it is not JSON (`''` when empty). */
  body: unknown;
  /** Every value masked out of errors about this request (for errors the caller builds from the answer). */
  secrets: readonly string[];
}

/** An auxiliary request ready to send: what goes on the wire, and what to mask out of errors about it. */
export interface PreparedRequest {
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  secrets: string[];
  timeoutMs: number;
  what: string;
}

// OAuth form fields whose values are not secret; every other value (tokens, codes, verifiers, client secrets) is.
const publicFormFields = /^(grant_type|client_id|scope|redirect_uri|response_type|code_challenge(_method)?)$/;
// Headers whose values are credentials.
const credentialHeaders = ['authorization', 'proxy-authorization', 'x-api-key', 'x-goog-api-key', 'api-key'];

/** Checks the options and builds the request: method, merged headers, the body, the secrets to mask. */
export function prepareRequest(options: RequestJsonOptions): PreparedRequest {
  const { provider, what = 'request', timeoutMs = AUXILIARY_TIMEOUT_MS } = options;
  if (!(typeof timeoutMs === 'number' && timeoutMs > 0 && Number.isFinite(timeoutMs))) {
    throw new KitError('invalid_request', `${provider}: ${what}: timeoutMs: must be a positive number`, { provider });
  }
  const secrets = (options.secrets ?? []).filter((value): value is string => typeof value === 'string' && value !== '');
  let body: string | undefined;
  let contentType: string | undefined;
  if (options.form) {
    const form = new URLSearchParams();
    for (const name in options.form) {
      const value = options.form[name];
      if (value === undefined) continue;
      form.append(name, value);
      if (!publicFormFields.test(name) && value !== '') secrets.push(value);
    }
    body = form.toString();
    contentType = 'application/x-www-form-urlencoded';
  } else if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    contentType = 'application/json';
  }
  const headers = mergeHeaders({ accept: 'application/json', 'content-type': contentType }, options.headers);
  for (const name of credentialHeaders) {
    const value = headers[name];
    if (!value) continue;
    secrets.push(value);
    const token = /^\s*\S+\s+(\S+)\s*$/.exec(value)?.[1]; // the token after a scheme (`Bearer …`)
    if (token) secrets.push(token);
  }
  const method = (options.method ?? (body === undefined ? 'GET' : 'POST')).toUpperCase();
  return { method, headers, body, secrets, timeoutMs, what };
}

/**
 * A thrown transport failure, timeout, abort or hook error as a masked `KitError`: the caller's abort → `aborted`;
 * ky's `TimeoutError` → `timeout`; anything else → `network`, with fetch's message and system code (`ECONNREFUSED`),
 * out of ky's `NetworkError` wrapper.
 */
export function requestFailure(error: unknown, options: RequestJsonOptions, prepared: PreparedRequest): KitError {
  const { provider, credentialId, signal } = options;
  const { what, secrets } = prepared;
  if (signal?.aborted) return abortedError(provider);
  if (KitError.is(error)) {
    // e.g. thrown by a hook: may quote the request.
    error.message = maskSecrets(error.message, secrets);
    error.stack = maskSecrets(error.stack ?? '', secrets);
    return error;
  }
  const context = { provider, credentialId, secrets, cause: error };
  const name = (error as { name?: unknown } | undefined)?.name;
  if (name === 'TimeoutError') return new KitError('timeout', `${provider}: ${what}: no answer within ${prepared.timeoutMs} ms`, context);
  const failure = name === 'NetworkError' && (error as Error).cause !== undefined ? (error as Error).cause : error;
  const code = (failure as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  const reason = `${(failure as Error | undefined)?.message ?? String(failure)}${typeof code === 'string' ? ` (${code})` : ''}`;
  return new KitError('network', `${provider}: ${what}: ${reason}`, context);
}

/** A 2xx answer's JSON (`undefined` when empty); a non-2xx answer's classified `KitError`; a 2xx that is not JSON → `invalid_response`. */
export function jsonOfAnswer(answer: HttpAnswer, options: RequestJsonOptions): unknown {
  const { provider, credentialId, what = 'request' } = options;
  if (!answer.ok) {
    throw createUpstreamError(
      { status: answer.status, body: answer.body, headers: answer.headers },
      { provider, credentialId, secrets: answer.secrets, ...(options.refine ? { refine: options.refine } : {}) },
    );
  }
  if (typeof answer.body !== 'string') return answer.body;
  if (answer.body === '') return undefined;
  throw new KitError('invalid_response', `${provider}: ${what}: the answer is not JSON (HTTP ${answer.status})`, {
    provider,
    credentialId,
    status: answer.status,
  });
}
