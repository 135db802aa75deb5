import ky, { isHTTPError, isNetworkError, type Options as KyOptions, type RetryOptions } from 'ky';
import { abortedError } from './abort';
import { callWithUrlAndInit, type HttpHooks } from './http-client';
import { KitError } from './kit-error';
import { parseJsonOrText } from './parse-json-or-text';
import { jsonOfAnswer, prepareRequest, requestFailure, type HttpAnswer, type RequestJsonOptions, type RetryPolicy } from './request-json-options';
import { parseRetryAfter } from './retry-after';

/** The most retries an auxiliary request may ask for. */
export const AUXILIARY_MAX_RETRIES = 5;

const transientStatusCodes = [408, 429, 500, 502, 503, 504];
// System errors of a connection that was never made: the request cannot have reached the server.
const notConnectedCode = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|EADDRNOTAVAIL|UND_ERR_CONNECT_TIMEOUT)$/;

/**
 * Sends one auxiliary request (token endpoint, device flow, webhook) through ky and resolves with the answer
 * **whatever its status**, retrying only as `retry` says (`RetryPolicy`). Throws a `KitError` with every secret
 * masked (the credential, auth-header values, secret form fields): no answer within the timeout → `timeout`; a
 * transport failure → `network` (with the system error code, e.g. `ECONNREFUSED`); the caller's abort → `aborted`;
 * bad options → `invalid_request`. ky is ~8 KB min+gzip: code reachable from a provider factory uses
 * `sendRequestOnce` (no ky, no retries) instead.
 */
export async function sendRequest(url: string, options: RequestJsonOptions): Promise<HttpAnswer> {
  const prepared = prepareRequest(options);
  const policy = retryPolicy(options);
  const { provider, signal } = options;
  if (signal?.aborted) throw abortedError(provider);
  const { method, headers, body, timeoutMs, secrets } = prepared;
  const pending = ky(url, {
    ...kyTransport(options.fetch, options.hooks),
    method,
    headers,
    ...(body === undefined ? {} : { body }),
    ...(signal ? { signal } : {}),
    timeout: timeoutMs,
    totalTimeout: policy.limit > 0 && policy.when === 'transient' ? timeoutMs * (policy.limit + 1) : timeoutMs,
    throwHttpErrors: true,
    retry: kyRetry(policy, method),
  });
  try {
    // ky's `.text()` bounds the body read by what is left of `totalTimeout`; the response is settled by then.
    const text = await pending.text();
    const response = await pending;
    return { status: response.status, ok: response.ok, headers: response.headers, body: parseJsonOrText(text), secrets };
  } catch (error) {
    if (isHTTPError(error)) {
      const data: unknown = error.data;
      const { status, ok, headers: responseHeaders } = error.response;
      return { status, ok, headers: responseHeaders, body: typeof data === 'string' ? parseJsonOrText(data) : (data ?? ''), secrets };
    }
    throw requestFailure(error, options, prepared);
  }
}

/**
 * `sendRequest` for a JSON API: resolves with the parsed body of a 2xx answer (`undefined` when empty). A non-2xx
 * answer throws its classified `KitError` (status first, then the body, refined by `refine`); a 2xx body that is
 * not JSON throws `invalid_response`. Secrets are masked as `sendRequest` says.
 *
 * @example
 * const models = await requestJson(`${baseURL}/models`, { provider: 'openai', what: 'model list', headers: { authorization: `Bearer ${key}` }, retry: 2 });
 */
export async function requestJson(url: string, options: RequestJsonOptions): Promise<unknown> {
  return jsonOfAnswer(await sendRequest(url, options), options);
}

/** The user's `fetch` (called as `fetch(url, init)`) and hooks, as ky options. */
function kyTransport(fetch: typeof globalThis.fetch | undefined, hooks: HttpHooks | undefined): KyOptions {
  const transport: KyOptions = {};
  if (fetch) {
    const send = callWithUrlAndInit((url, init) => (init?.signal?.aborted ? Promise.reject(init.signal.reason) : fetch(url, init)));
    transport.fetch = (input, init) => (input instanceof Request ? send(input, init) : fetch(input, init));
  }
  // Our hook types are ky's (their state is ky's, read through fewer fields): the same functions.
  const kyHooks: NonNullable<KyOptions['hooks']> = {};
  if (hooks?.beforeRequest?.length) kyHooks.beforeRequest = [...hooks.beforeRequest] as NonNullable<KyOptions['hooks']>['beforeRequest'];
  if (hooks?.afterResponse?.length) kyHooks.afterResponse = [...hooks.afterResponse] as NonNullable<KyOptions['hooks']>['afterResponse'];
  if (kyHooks.beforeRequest || kyHooks.afterResponse) transport.hooks = kyHooks;
  return transport;
}

function retryPolicy(options: RequestJsonOptions): Required<RetryPolicy> {
  const { retry = 0, provider, what = 'request' } = options;
  const policy = typeof retry === 'number' ? { limit: retry } : retry;
  const limit = policy?.limit;
  if (!(Number.isInteger(limit) && limit >= 0 && limit <= AUXILIARY_MAX_RETRIES)) {
    throw new KitError('invalid_request', `${provider}: ${what}: retry: the limit must be an integer from 0 to ${AUXILIARY_MAX_RETRIES}`, { provider });
  }
  const { when = 'transient', maxRetryAfterMs = 10_000 } = policy;
  if (when !== 'transient' && when !== 'not-sent') {
    throw new KitError('invalid_request', `${provider}: ${what}: retry.when: must be 'transient' or 'not-sent'`, { provider });
  }
  if (!(typeof maxRetryAfterMs === 'number' && maxRetryAfterMs >= 0)) {
    throw new KitError('invalid_request', `${provider}: ${what}: retry.maxRetryAfterMs: must be a number of ms, 0 or more`, { provider });
  }
  return { limit, when, maxRetryAfterMs };
}

function kyRetry(policy: Required<RetryPolicy>, method: string): RetryOptions {
  if (policy.limit === 0) return { limit: 0 };
  const shared = {
    limit: policy.limit,
    // The caller declared the call safe to retry (as `policy.when` says), whatever its method.
    methods: [method.toLowerCase()],
    backoffLimit: 8_000,
    jitter: (delay: number) => delay * (0.8 + Math.random() * 0.4),
  };
  if (policy.when === 'not-sent') {
    return { ...shared, shouldRetry: ({ error }) => isNetworkError(error) && neverConnected(error.cause) };
  }
  return {
    ...shared,
    statusCodes: transientStatusCodes,
    afterStatusCodes: [429, 503],
    maxRetryAfter: policy.maxRetryAfterMs,
    retryOnTimeout: true,
    // A server asking for a longer wait than we would give it: answer now, with its `retryAfterMs`.
    shouldRetry: ({ error }) => {
      if (!isHTTPError(error)) return undefined;
      const wait = parseRetryAfter(error.response.headers);
      return wait !== undefined && wait > policy.maxRetryAfterMs ? false : undefined;
    },
  };
}

/** Whether a `fetch` failure's system error says no connection was made (undici puts it in `cause`). */
function neverConnected(failure: unknown): boolean {
  const cause = (failure as { cause?: { code?: unknown; errors?: unknown } } | undefined)?.cause;
  if (!cause) return false;
  // Several addresses tried (happy eyeballs): an AggregateError of one system error per address.
  const codes = Array.isArray(cause.errors) ? cause.errors.map((each) => (each as { code?: unknown } | undefined)?.code) : [cause.code];
  return codes.length > 0 && codes.every((code) => typeof code === 'string' && notConnectedCode.test(code));
}
