import { abortedError, linkAbort } from './abort';
import { createUpstreamError, upstreamMessage } from './classify-error';
import { KitError } from './kit-error';

/** How long one OAuth form POST may take by default (connection, answer and body). */
export const OAUTH_FORM_TIMEOUT_MS = 30_000;

/** Options of `postOAuthForm`. */
export interface OAuthFormOptions {
  /** Provider name in the errors (`"qwen"`, `"gemini"`). */
  provider: string;
  /** The `fetch` to use (default `globalThis.fetch`). */
  fetch?: typeof globalThis.fetch;
  signal?: AbortSignal;
  /** Bound of the request, answer body included (default 30 000). */
  timeoutMs?: number;
  /** What the request is for, in error messages (default `"token request"`). */
  what?: string;
  credentialId?: string;
  /** More values to mask out of errors (e.g. the access token being replaced); the form's own secrets always are. */
  secrets?: readonly (string | undefined)[];
  /**
   * OAuth `error` values that are answers rather than failures (RFC 8628 polling: `authorization_pending`,
   * `slow_down`, …): such a body is returned as it is, for the caller to act on.
   */
  passErrors?: readonly string[];
}

// Form fields whose values are not secret; every other value (tokens, codes, verifiers, client secrets) is masked.
const publicFields = /^(grant_type|client_id|scope|redirect_uri|response_type|code_challenge(_method)?)$/;
// RFC 6749 §5.2 / RFC 8628 §3.5 errors that mean "this grant or client is not valid": the credential's fault.
const rejectedGrant = /^(invalid_grant|invalid_token|invalid_client|unauthorized_client|access_denied|expired_token)$/;

/**
 * POSTs `fields` as `application/x-www-form-urlencoded` (unset values left out) to an OAuth endpoint and returns
 * the JSON object it answered. Anything else throws a `KitError` holding none of the form's tokens, codes, verifiers
 * or client secrets: a rejected grant or client (`invalid_grant`, `invalid_client`, …) or HTTP 401 →
 * `authentication`; other refusals by their status (429 `rate_limit`, 5xx `server_error`, …), an `error` inside a
 * 2xx answer as a 400; a 2xx answer that is not a JSON object → `invalid_response`; no answer within `timeoutMs` →
 * `timeout`; a transport failure → `network`; the caller's abort → `aborted`.
 */
export async function postOAuthForm(
  url: string,
  fields: Readonly<Record<string, string | undefined>>,
  options: OAuthFormOptions,
): Promise<Record<string, unknown>> {
  const { provider, signal, credentialId, what = 'token request', timeoutMs = OAUTH_FORM_TIMEOUT_MS } = options;
  const form = new URLSearchParams();
  const secrets = [...(options.secrets ?? [])];
  for (const name in fields) {
    const value = fields[name];
    if (value === undefined) continue;
    form.append(name, value);
    if (!publicFields.test(name)) secrets.push(value);
  }
  if (signal?.aborted) throw abortedError(provider);
  const controller = new AbortController();
  const unlink = linkAbort(controller, signal, () => signal?.reason);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  let response: Response;
  let text: string;
  try {
    response = await (options.fetch ?? globalThis.fetch)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
      signal: controller.signal,
    });
    text = await response.text();
  } catch (error) {
    if (signal?.aborted) throw abortedError(provider);
    const reason = timedOut ? `no answer within ${timeoutMs} ms` : String((error as Error | undefined)?.message ?? error);
    throw new KitError(timedOut ? 'timeout' : 'network', `${provider}: ${what}: ${reason}`, { provider, credentialId, secrets, cause: error });
  } finally {
    clearTimeout(timer);
    unlink();
  }
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text for the message
  }
  const json = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  const error = typeof json?.error === 'string' && json.error ? json.error : undefined;
  if (json && (error ? options.passErrors?.includes(error) : response.ok)) return json;
  if (response.ok && !error) {
    throw new KitError('invalid_response', `${provider}: ${what}: the answer is not a JSON object (HTTP ${response.status})`, { provider, credentialId, status: response.status });
  }
  const status = response.ok ? 400 : response.status;
  const description = json?.error_description;
  const detail = error ? (typeof description === 'string' && description ? `${error}: ${description.slice(0, 300)}` : error) : (upstreamMessage(body)?.slice(0, 300) ?? 'refused');
  const code = (error && rejectedGrant.test(error)) || status === 401 ? 'authentication' : undefined;
  throw createUpstreamError({ status, body, headers: response.headers }, { provider, credentialId, secrets, refine: () => ({ message: `${what}: ${detail}`, code }) });
}
