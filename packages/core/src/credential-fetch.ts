import * as z from 'zod/mini';
import { emptyUsage } from './chat-completion';
import { createUpstreamError } from './classify-error';
import { credentialFetchOptionsSchema, type CredentialFetchOptions } from './credential-fetch-options';
import { credentialFetchPresets, type CredentialFetchPreset, type SyntheticErrorStatus } from './credential-fetch-presets';
import { describeRequest, toResendableRequest, withCredentialHeader, type CredentialHeader, type ResendableRequest } from './credential-fetch-request';
import type { CredentialLease, CredentialSource } from './credential-source';
import { policyOf, type KitErrorCode } from './error-codes';
import { createEventEmitter, type KitEvent, type KitEventInput } from './kit-event';
import { KitError, toKitError } from './kit-error';
import { monotonicNow } from './monotonic-clock';
import { readRateLimitHeaders } from './rate-limit-info';
import { implementsSchema } from './setting-schemas';
import { parseOrThrow } from './validate';
import { parseJsonOrText } from './parse-json-or-text';
import { safely } from './safely';
import { requestIdOf } from './request-id';

/** The `credentials` argument, checked like the `credentials` provider setting. */
const credentialsArgumentSchema = /* @__PURE__ */ (() =>
  z.object({
    credentials: implementsSchema<CredentialSource>(
      ['acquire', 'reportSuccess', 'reportFailure'],
      'must be a CredentialSource (acquire, reportSuccess, reportFailure): a KeyManager, an OAuthManager or your own',
    ),
  }))();

/** What every call of one `credentialFetch` shares. */
interface FetchContext {
  credentials: CredentialSource;
  provider: string;
  preset: CredentialFetchPreset;
  credentialHeader: CredentialHeader;
  send: typeof globalThis.fetch;
  now: () => number;
  emit: (event: KitEventInput) => void;
}

/**
 * A `fetch` (same signature as `globalThis.fetch`) that puts a pool's credential on each request, for the official
 * SDKs: `new OpenAI({ apiKey: 'unused', fetch: credentialFetch(keys), maxRetries: 1 })`.
 *
 * Per request it acquires a credential from `credentials` (`KeyManager`, `OAuthManager`, any `CredentialSource`) and
 * writes it into the preset's header (`Authorization: Bearer`, `x-api-key`, `x-goog-api-key`), replacing the dummy key
 * the SDK set. Each outcome is reported to the source with the lease's `sequence`, classified as core's engine does.
 * On a credential fault (401, 403, 429, exhausted quota) the same request — its body read once — is sent again with
 * the next credential before the SDK sees anything; a credential that failed for good is not tried again in the call.
 * With OAuth, a 401 makes the source refresh once (`onUnauthorized`) and the request is retried on the same account.
 *
 * What the SDK receives:
 * - a 2xx response as soon as its headers arrive (a stream fails over only before that);
 * - any other answer unchanged — a server error (5xx), a bad request, or the last credential fault when no other
 *   credential can answer — so the SDK's own error types and its own retry loop apply. `credentialFetch` never
 *   retries a transient fault itself (no nested retries); keep the SDK's `maxRetries` low (1–2);
 * - when the pool has no credential to try before any request was sent, an answer written in the provider's error
 *   shape: 429 with `retry-after` (and `retry-after-ms`) when the pool knows when a credential is free again, 401
 *   when every credential failed for good, 503 when the source failed with a transient fault.
 * - a network failure or an abort as the inner `fetch` threw it.
 *
 * Events (`onEvent`, `metrics`): `request-start`, `request-success` (latency to the response headers; token counts
 * stay in the SDK's answer, so `usage` is zero), `request-error`, `failover`, `rate-limit`, `call-error`. Secrets
 * never appear in events or errors.
 *
 * @param credentials - the pool.
 * @param options - preset or header/scheme, inner `fetch`, `onEvent`, `metrics`; see {@link CredentialFetchOptions}.
 * @throws KitError `invalid_config` naming the bad field when `credentials` is not a `CredentialSource` or an option is wrong.
 *
 * @example
 * ```ts
 * const keys = new KeyManager('openai', process.env.OPENAI_API_KEYS!.split(','));
 * const client = new OpenAI({ apiKey: 'unused', fetch: credentialFetch(keys, { preset: 'openai' }), maxRetries: 1 });
 * ```
 */
export function credentialFetch(credentials: CredentialSource, options: CredentialFetchOptions = {}): typeof globalThis.fetch {
  parseOrThrow(credentialsArgumentSchema, { credentials }, 'invalid_config', { what: 'invalid credentialFetch arguments' });
  const settings = parseOrThrow(credentialFetchOptionsSchema, options ?? {}, 'invalid_config', { what: 'invalid credentialFetch options' });
  const presetName = settings.preset ?? 'openai';
  const preset = credentialFetchPresets[presetName];
  const provider = settings.provider ?? presetName;
  const credentialHeader: CredentialHeader =
    settings.header === undefined
      ? { name: preset.header, scheme: settings.scheme ?? preset.scheme, replaces: preset.replaces }
      : { name: settings.header, scheme: settings.scheme ?? '', replaces: [...preset.replaces, settings.header] };
  const { metrics, fetch: innerFetch } = settings;
  const listener = createEventEmitter([settings.onEvent, metrics ? (event: KitEvent) => metrics.record(event) : undefined]);
  const context: FetchContext = {
    credentials,
    provider,
    preset,
    credentialHeader,
    // The global fetch is looked up per request, so test interceptors installed later still see it.
    send: (input, init) => (innerFetch ?? globalThis.fetch)(input, init),
    now: settings.now ?? monotonicNow,
    emit: (event) => listener({ ...event, at: Date.now(), provider } as KitEvent),
  };
  return async (input: RequestInfo | URL, init?: RequestInit) => runCall(context, await toResendableRequest(input, init));
}

/** One SDK request: the failover loop over the pool's credentials. */
async function runCall(context: FetchContext, request: ResendableRequest): Promise<Response> {
  const { credentials, provider, now, emit } = context;
  const { signal } = request;
  const { model, streaming } = describeRequest(request.url, request.body);
  const startedAt = now();
  /** Credentials that failed for good in this call (revoked, forbidden, out of quota): never handed out again. */
  const failedForGood = new Set<string>();
  /** Credentials that answered with a credential fault in this call: if the pool hands one back, the call is over. */
  const tried = new Set<string>();
  const refreshed = new Set<string>();
  let preferId: string | undefined;
  let previous: { id: string; code: KitErrorCode } | undefined;
  let last: { response: Response; error: KitError } | undefined;
  let attempts = 0;

  /** The call failed for good: `call-error`, as the engine emits it. */
  const callFailed = (error: KitError): void => {
    const { code, status, message } = error;
    emit({ type: 'call-error', latencyMs: now() - startedAt, error: { code, status, message }, attempts, model });
  };
  const giveUp = (response: Response, error: KitError): Response => {
    callFailed(error);
    return response;
  };
  const replaceLast = (next: typeof last) => {
    if (last && last.response !== next?.response) discard(last.response);
    last = next;
  };

  for (;;) {
    if (signal?.aborted) {
      replaceLast(undefined);
      throw abortReason(signal);
    }
    let lease: CredentialLease;
    try {
      lease = await credentials.acquire({
        ...(signal ? { signal } : {}),
        ...(preferId === undefined ? {} : { id: preferId }),
        ...(failedForGood.size > 0 ? { exclude: failedForGood } : {}),
      });
    } catch (thrown) {
      if (signal?.aborted) {
        replaceLast(undefined);
        throw abortReason(signal);
      }
      // No credential can answer: the SDK gets the provider's own last answer, or, before any request, ours.
      if (last) return giveUp(last.response, last.error);
      const error = toKitError(thrown, 'credentials_exhausted', { provider });
      return giveUp(exhaustedResponse(context.preset, error), error);
    }
    const isRefreshRetry = preferId !== undefined && lease.id === preferId;
    preferId = undefined;
    // The pool hands back a credential that already failed in this call (a single key, or all others cooling down):
    // the SDK gets that answer and its own retry loop decides when to come back.
    if (last && tried.has(lease.id) && !isRefreshRetry) return giveUp(last.response, last.error);
    if (previous && previous.id !== lease.id) emit({ type: 'failover', from: previous.id, to: lease.id, reason: previous.code, model });
    previous = undefined;

    attempts += 1;
    const attemptStartedAt = now();
    emit({ type: 'request-start', streaming, attempt: attempts, model, credentialId: lease.id });
    let response: Response;
    try {
      response = await context.send(request.url, {
        ...request.init,
        headers: withCredentialHeader(request.headers, context.credentialHeader, lease.secret),
        ...(request.body === undefined ? {} : { body: request.body }),
        ...(signal ? { signal } : {}),
      });
    } catch (thrown) {
      replaceLast(undefined);
      const aborted = signal?.aborted === true || (thrown as Error | undefined)?.name === 'AbortError';
      const error = thrownError(thrown, aborted, provider, lease);
      emitRequestError(context, error, attemptStartedAt, lease.id, streaming, model, false);
      if (!aborted) {
        const { id, sequence } = lease;
        safely(() => credentials.reportFailure(id, error, { sequence }));
        callFailed(error);
      }
      // The SDK classifies a network failure or an abort itself (and retries the former).
      throw thrown;
    }
    readRateLimits(context, lease.id, response.headers, model);
    const requestId = requestIdOf(response.headers);

    if (response.ok) {
      replaceLast(undefined);
      const latencyMs = now() - attemptStartedAt;
      const { id, sequence } = lease;
      safely(() => credentials.reportSuccess(id, { sequence, latencyMs }));
      emit({
        type: 'request-success',
        latencyMs,
        usage: emptyUsage(),
        streaming: streaming || (response.headers.get('content-type') ?? '').includes('text/event-stream'),
        finishReason: 'other',
        model,
        credentialId: id,
        requestId,
      });
      return response;
    }

    const error = await classifyResponse(response, provider, lease);
    if (error.code === 'authentication' && credentials.onUnauthorized && !refreshed.has(lease.id)) {
      refreshed.add(lease.id);
      const refreshedOk = await refreshCredential(credentials, lease);
      if (refreshedOk) {
        emitRequestError(context, error, attemptStartedAt, lease.id, streaming, model, true);
        replaceLast({ response, error });
        preferId = lease.id;
        continue;
      }
    }
    const { id, sequence } = lease;
    safely(() => credentials.reportFailure(id, error, { sequence }));
    const { switchesCredential, excludesCredential } = policyOf(error.code);
    emitRequestError(context, error, attemptStartedAt, id, streaming, model, switchesCredential);
    replaceLast({ response, error });
    // A server fault, a bad request, a refused prompt: the SDK gets the upstream's answer as it is.
    if (!switchesCredential) return giveUp(response, error);
    tried.add(id);
    if (excludesCredential) failedForGood.add(id);
    previous = { id, code: error.code };
  }
}

/** Classifies a non-2xx answer from a copy of its body; the answer itself stays unread, for the SDK. */
async function classifyResponse(response: Response, provider: string, lease: CredentialLease): Promise<KitError> {
  let text = '';
  try {
    text = await response.clone().text();
  } catch {
    // A body that broke off: classified by its status alone.
  }
  return createUpstreamError(
    { status: response.status, body: parseJsonOrText(text), headers: response.headers },
    { provider, credentialId: lease.id, secrets: [lease.secret] },
  );
}

/** OAuth: asks the source to refresh the rejected token; `true` means "retry on the same credential". */
async function refreshCredential(credentials: CredentialSource, lease: CredentialLease): Promise<boolean> {
  try {
    return (await credentials.onUnauthorized?.(lease.id, { secret: lease.secret })) === true;
  } catch {
    return false;
  }
}

function readRateLimits(context: FetchContext, credentialId: string, headers: Headers, model: string | undefined): void {
  const names = context.preset.rateLimitHeaders;
  const info = names ? readRateLimitHeaders(headers, names, Date.now()) : undefined;
  if (!info) return;
  context.emit({ type: 'rate-limit', rateLimit: info, credentialId, model });
  safely(() => context.credentials.reportRateLimit?.(credentialId, info));
}

function emitRequestError(
  context: FetchContext,
  error: KitError,
  attemptStartedAt: number,
  credentialId: string,
  streaming: boolean,
  model: string | undefined,
  willRetry: boolean,
): void {
  const { code, status, message, requestId } = error;
  context.emit({
    type: 'request-error',
    latencyMs: context.now() - attemptStartedAt,
    error: { code, status, message },
    willRetry,
    streaming,
    model,
    credentialId,
    requestId,
  });
}

/** What a thrown `fetch` failure is to the pool: an abort (nobody's fault) or a network fault of the attempt. */
function thrownError(thrown: unknown, aborted: boolean, provider: string, lease: CredentialLease): KitError {
  const code = aborted ? 'aborted' : 'network';
  // undici's "fetch failed" says why only in its cause (ECONNREFUSED, ENOTFOUND, UND_ERR_SOCKET…).
  const reason = (thrown as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  const detail = `${(thrown as Error | undefined)?.message ?? String(thrown)}${typeof reason === 'string' ? ` (${reason})` : ''}`;
  return new KitError(code, `${provider}: ${code}: ${detail}`, { provider, credentialId: lease.id, secrets: [lease.secret], cause: thrown });
}

/**
 * The answer written when the pool has no credential before any request was sent, in the preset's error shape: 429
 * with `retry-after` / `retry-after-ms` when the pool knows when a credential is free again (the SDK's retry waits for
 * it), 503 for a transient fault of the source (a token endpoint down), 401 otherwise (every credential failed for good).
 */
export function exhaustedResponse(preset: CredentialFetchPreset, error: KitError): Response {
  const { retryAfterMs } = error;
  const status: SyntheticErrorStatus = retryAfterMs !== undefined ? 429 : policyOf(error.code).transient ? 503 : 401;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (retryAfterMs !== undefined) {
    headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
    headers['retry-after-ms'] = String(Math.max(0, Math.ceil(retryAfterMs)));
  }
  return new Response(JSON.stringify(preset.errorBody(status, error.message)), { status, headers });
}

/** What `fetch` rejects with when its signal aborts: the signal's reason, or an `AbortError`. */
function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** Frees the connection of an answer nobody will read. */
function discard(response: Response): void {
  response.body?.cancel().catch(() => {});
}
