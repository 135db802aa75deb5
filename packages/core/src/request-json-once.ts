import { abortedError, linkAbort } from './abort';
import { createHttpClient } from './http-client';
import { KitError } from './kit-error';
import { parseJsonOrText } from './parse-json-or-text';
import { jsonOfAnswer, prepareRequest, requestFailure, type HttpAnswer, type RequestJsonOptions } from './request-json-options';

/**
 * Sends one auxiliary request, once, through the engine's HTTP client (`createHttpClient`: no ky, so a provider
 * factory that needs it — Code Assist setup in `createGemini`, the engine's model list — adds no ky to a bundle), and
 * resolves with the answer **whatever its status**. `timeoutMs` bounds the whole request, answer body included.
 * Throws a `KitError` with every secret masked (the credential, auth-header values, secret form fields): no answer in
 * time → `timeout`; a transport failure → `network` (with the system error code); the caller's abort → `aborted`;
 * bad options → `invalid_request`. `retry` is not read: for retries, `sendRequest`.
 */
export async function sendRequestOnce(url: string, options: RequestJsonOptions): Promise<HttpAnswer> {
  const prepared = prepareRequest(options);
  const { provider, signal } = options;
  if (signal?.aborted) throw abortedError(provider);
  const controller = new AbortController();
  const unlink = linkAbort(controller, signal, () => signal?.reason);
  const timeout = new KitError('timeout', `${provider}: ${prepared.what}: no answer within ${prepared.timeoutMs} ms`, {
    provider,
    credentialId: options.credentialId,
  });
  const timer = setTimeout(() => controller.abort(timeout), prepared.timeoutMs);
  try {
    const response = await createHttpClient({ fetch: options.fetch, hooks: options.hooks })(url, {
      method: prepared.method,
      headers: prepared.headers,
      ...(prepared.body === undefined ? {} : { body: prepared.body }),
      signal: controller.signal,
    });
    const text = await textWithin(response, controller.signal);
    return { status: response.status, ok: response.ok, headers: response.headers, body: parseJsonOrText(text), secrets: prepared.secrets };
  } catch (error) {
    if (controller.signal.aborted && controller.signal.reason === timeout && !signal?.aborted) throw timeout;
    throw requestFailure(error, options, prepared);
  } finally {
    clearTimeout(timer);
    unlink();
  }
}

/**
 * `sendRequestOnce` for a JSON API: resolves with the parsed body of a 2xx answer (`undefined` when empty). A non-2xx
 * answer throws its classified `KitError` (status first, then the body, refined by `refine`); a 2xx body that is not
 * JSON throws `invalid_response`.
 */
export async function requestJsonOnce(url: string, options: RequestJsonOptions): Promise<unknown> {
  return jsonOfAnswer(await sendRequestOnce(url, options), options);
}

/** The body as text, or the signal's reason as soon as it aborts (a custom fetch's body may not follow the signal). */
function textWithin(response: Response, signal: AbortSignal): Promise<string> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    response
      .text()
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}
