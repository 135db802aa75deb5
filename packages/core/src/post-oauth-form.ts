import { createUpstreamError, upstreamMessage } from './classify-error';
import type { HttpHooks } from './http-client';
import { KitError } from './kit-error';
import { sendRequest } from './request-json';
import { truncateMasked } from './truncate-masked';

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
  /** ky `beforeRequest` / `afterResponse` hooks (tracing, logging); they see the form, secrets included. */
  hooks?: HttpHooks;
}

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
  const { provider, credentialId, what = 'token request', timeoutMs = OAUTH_FORM_TIMEOUT_MS } = options;
  // A token grant must not run twice (a rotated refresh token or an authorization code is single-use): ky retries
  // only a connection that was never made (DNS, refused, unreachable), never after the request may have arrived.
  const answer = await sendRequest(url, {
    method: 'POST',
    form: fields,
    provider,
    what,
    timeoutMs,
    retry: { limit: 2, when: 'not-sent' },
    signal: options.signal,
    fetch: options.fetch,
    hooks: options.hooks,
    secrets: options.secrets,
    credentialId,
  });
  const { body, secrets } = answer;
  const json = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  const error = typeof json?.error === 'string' && json.error ? json.error : undefined;
  if (json && (error ? options.passErrors?.includes(error) : answer.ok)) return json;
  if (answer.ok && !error) {
    throw new KitError('invalid_response', `${provider}: ${what}: the answer is not a JSON object (HTTP ${answer.status})`, {
      provider,
      credentialId,
      status: answer.status,
    });
  }
  const status = answer.ok ? 400 : answer.status;
  const description = json?.error_description;
  const message = error ? undefined : upstreamMessage(body);
  const detail = error
    ? typeof description === 'string' && description
      ? `${error}: ${truncateMasked(description, 300, secrets)}`
      : error
    : message === undefined
      ? 'refused'
      : truncateMasked(message, 300, secrets);
  const code = (error && rejectedGrant.test(error)) || status === 401 ? 'authentication' : undefined;
  throw createUpstreamError(
    { status, body, headers: answer.headers },
    { provider, credentialId, secrets, refine: () => ({ message: `${what}: ${detail}`, code }) },
  );
}
