import { abortedError, sleep } from './abort';
import { retryDelayMs } from './backoff';
import { KitChatStream } from './chat-stream';
import { createUpstreamError } from './classify-error';
import type { CredentialLease, CredentialSource } from './credential-source';
import { errorPolicies, type KitErrorCode } from './error-codes';
import type { ResolvedGenerateOptions } from './generate-options';
import { Attempt } from './attempt';
import type { KitEvent, KitEventInput, KitEventListener } from './kit-event';
import { KitError, toKitError } from './kit-error';
import { maskSecrets } from './mask-secrets';
import type { ProviderDefinition, RequestContext, WireRequest } from './provider-definition';
import type { StreamEvent } from './stream-event';
import { isContentEvent } from './stream-event';
import { WireEventReader } from './wire-event-reader';

/** What the engine needs of a provider instance. */
export interface EngineConfig {
  provider: string;
  definition: ProviderDefinition;
  credentials: CredentialSource;
  baseURL: string | undefined;
  headers: Record<string, string>;
  timeoutMs: number;
  maxRetries: number;
  fetch: typeof globalThis.fetch;
  emit: KitEventListener;
  /** Waits between attempts (tests inject one that records the delay). Default: a timer. */
  sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  /** Jitter source of the retry backoff. Default `Math.random`. */
  random?: () => number;
}

/** Credential faults that say "this credential is bad" (as opposed to a rate limit: "this one, later"). */
const isPersistentFault = (code: KitErrorCode) => errorPolicies[code].switchesCredential && code !== 'rate_limit';

interface AttemptResult {
  lease: CredentialLease;
  buffered: StreamEvent[];
  reader?: WireEventReader;
  attempt: Attempt;
  startedAt: number;
  /** The provider's id of the request (`x-request-id` / `request-id`), for support tickets. */
  requestId?: string | undefined;
  firstContentAt?: number;
}

/** Turns whatever an attempt threw into a classified `KitError`, preferring the abort reason we set. */
function classifyThrown(error: unknown, signal: AbortSignal, provider: string, lease?: CredentialLease): KitError {
  if (signal.aborted && KitError.is(signal.reason)) return signal.reason;
  if (KitError.is(error)) {
    // A mapper's error is built from what the upstream sent (an in-stream error body), which may echo the credential.
    error.message = maskSecrets(error.message, [lease?.secret]);
    error.stack = maskSecrets(error.stack ?? '', [lease?.secret]);
    return error;
  }
  const code: KitErrorCode = (error as Error | undefined)?.name === 'AbortError' ? 'aborted' : 'network';
  // undici's "fetch failed" says why only in its cause (ECONNREFUSED, ENOTFOUND, UND_ERR_SOCKET…).
  const reason = ((error as { cause?: { code?: string } } | undefined)?.cause?.code ?? '') as string;
  return new KitError(code, `${provider}: ${code}: ${(error as Error | undefined)?.message ?? error}${reason ? ` (${reason})` : ''}`, {
    provider,
    credentialId: lease?.id,
    secrets: [lease?.secret],
    cause: error,
  });
}

/**
 * The request engine: the only retry loop of @kit. Per call it acquires a credential, sends, classifies,
 * fails over or retries (SPEC §4), and resolves with a `ChatStream` once the upstream accepted the request
 * and, for streams, produced its first content event (a stream may fail over only before that).
 */
export class RequestEngine {
  readonly #config: EngineConfig;
  readonly #sleep: (ms: number, signal: AbortSignal | undefined) => Promise<void>;

  readonly #baseURL: string;

  constructor(config: EngineConfig) {
    this.#config = config;
    this.#sleep = config.sleep ?? sleep;
    this.#baseURL = withoutTrailingSlash(config.baseURL ?? config.definition.defaultBaseURL);
  }

  /** The URL and headers of a request for a credential. */
  prepare(lease: CredentialLease, request: WireRequest, extraHeaders: Record<string, string> | undefined, stream: boolean) {
    const { definition } = this.#config;
    const base = definition.baseURLFor ? withoutTrailingSlash(definition.baseURLFor(lease, this.#baseURL)) : this.#baseURL;
    const headers: Record<string, string> = {
      accept: stream ? 'text/event-stream' : 'application/json',
      ...definition.headers,
      ...request.headers,
      ...this.#config.headers,
      ...extraHeaders,
      ...(lease.secret ? definition.authHeaders(lease) : {}),
    };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    return { url: base + request.path, headers };
  }

  /** Sends one wire request with a credential; a non-2xx answer is thrown as a classified `KitError`. */
  async send(
    lease: CredentialLease,
    request: WireRequest,
    options: { headers?: Record<string, string>; stream: boolean; signal: AbortSignal; model?: string },
  ): Promise<Response> {
    const { url, headers } = this.prepare(lease, request, options.headers, options.stream);
    const response = await this.#config.fetch(url, {
      method: request.method ?? (request.body === undefined ? 'GET' : 'POST'),
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: options.signal,
    });
    this.#readRateLimits(lease.id, response.headers, options.model);
    if (!response.ok) {
      throw createUpstreamError(
        { status: response.status, body: parseJsonOrText(await response.text()), headers: response.headers },
        { provider: this.#config.provider, credentialId: lease.id, secrets: [lease.secret], refine: this.#config.definition.refineError },
      );
    }
    return response;
  }

  /** One authenticated request without retries (model list, health check); resolves with the parsed JSON body. */
  async requestOnce(request: WireRequest, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<unknown> {
    const { provider, credentials } = this.#config;
    const attempt = new Attempt(options.signal, options.timeoutMs ?? this.#config.timeoutMs, provider);
    let lease: CredentialLease | undefined;
    try {
      lease = await credentials.acquire({ signal: attempt.controller.signal });
      const response = await this.send(lease, request, { stream: false, signal: attempt.controller.signal });
      const body = parseJsonOrText(await response.text());
      safely(() => credentials.reportSuccess((lease as CredentialLease).id));
      return body;
    } catch (error) {
      const kitError = classifyThrown(error, attempt.controller.signal, provider, lease);
      if (lease && kitError.code !== 'aborted') safely(() => credentials.reportFailure((lease as CredentialLease).id, kitError));
      throw kitError;
    } finally {
      attempt.dispose();
    }
  }

  async generate(options: ResolvedGenerateOptions): Promise<KitChatStream> {
    const { provider, credentials, emit } = this.#config;
    const timeoutMs = options.timeoutMs ?? this.#config.timeoutMs;
    const maxRetries = options.maxRetries ?? this.#config.maxRetries;
    const deadlineMs = options.deadlineMs ?? timeoutMs * (maxRetries + 1);
    const deadlineAt = Date.now() + deadlineMs;
    // No call-level timer or controller: each attempt's own timer is cut to what is left of the deadline, and
    // every wait is checked against it before it starts.
    const { signal } = options;

    let retriesUsed = 0;
    let attemptNumber = 0;
    let lastError: KitError | undefined;
    let invalidResponseRetried = false;
    // A retry was counted and its wait slept: the next attempt is paid for. After a transient error's backoff, one
    // wait for a cooling pool belongs to the same retry (`poolWaitIncluded`); any further wait spends the budget.
    let retryPending = false;
    let poolWaitIncluded = false;
    let preferId: string | undefined;
    let previousId: string | undefined;
    const failedWith = new Map<string, KitError>();
    const failedPersistently = new Set<string>();
    const refreshed = new Set<string>();

    const exhausted = (cause: KitError, from?: KitError) =>
      // With one credential in play the caller gets its own error, as with a single `apiKey`.
      failedWith.size <= 1
        ? cause
        : new KitError('credentials_exhausted', `${from?.message ?? `${provider}: every credential failed`}; last error: ${cause.message}`, {
            provider,
            retryAfterMs: from?.retryAfterMs,
            cause,
          });

    /** Spends a retry (unless `included`) on a wait of `delay` ms, if the budget and the deadline allow it; else throws `error`. */
    const retryAfter = async (delay: number, error: KitError, included = false) => {
      if (!included) {
        if (retriesUsed >= maxRetries) throw error;
        retriesUsed += 1;
      }
      if (Date.now() + delay >= deadlineAt) throw error;
      retryPending = true;
      await this.#sleep(delay, signal);
    };

    try {
      for (;;) {
        if (signal?.aborted) throw abortedError(provider);
        if (deadlineAt - Date.now() <= 0) {
          throw new KitError('timeout', `${provider}: the call did not succeed within its ${deadlineMs} ms deadline`, { provider, cause: lastError });
        }
        let lease: CredentialLease;
        try {
          lease = await credentials.acquire({
            signal,
            ...(preferId ? { id: preferId } : {}),
            ...(failedPersistently.size > 0 ? { exclude: failedPersistently } : {}),
          });
        } catch (error) {
          const kitError = signal?.aborted ? abortedError(provider) : toKitError(error, 'credentials_exhausted', { provider });
          if (kitError.code !== 'credentials_exhausted') throw kitError;
          // Every usable credential is cooling down: wait for the soonest one when that fits (a single key's transient
          // 500 is simply retried), unless this call has only seen credentials that are plainly bad.
          const wait = kitError.retryAfterMs;
          if (wait === undefined || (lastError && isPersistentFault(lastError.code))) {
            throw lastError ? exhausted(lastError, kitError) : kitError;
          }
          const included = retryPending && poolWaitIncluded;
          poolWaitIncluded = false;
          await retryAfter(wait, lastError ? exhausted(lastError, kitError) : kitError, included);
          continue;
        }
        preferId = undefined;

        const earlier = failedWith.get(lease.id);
        if (earlier && failedPersistently.has(lease.id)) throw exhausted(lastError ?? earlier); // a source that cannot exclude
        // A credential that failed in this call comes back (one key, or all others cooling down): unless the backoff of
        // a transient error was already slept, wait for it now (a rate limit's Retry-After on a single key).
        if (earlier && !retryPending) await retryAfter(retryDelayMs(retriesUsed, earlier.retryAfterMs, this.#config.random), earlier);
        retryPending = false;
        poolWaitIncluded = false;
        if (previousId !== undefined && previousId !== lease.id && lastError) {
          this.#emitEvent({ type: 'failover', from: previousId, to: lease.id, reason: lastError.code, model: options.model });
        }
        previousId = lease.id;

        attemptNumber += 1;
        const startedAt = Date.now();
        this.#emitEvent({ type: 'request-start', streaming: options.stream, attempt: attemptNumber, model: options.model, credentialId: lease.id });
        let result: AttemptResult;
        try {
          result = await this.#attempt(lease, options, Math.min(timeoutMs, deadlineAt - Date.now()), timeoutMs, startedAt);
        } catch (thrown) {
          const error = toKitError(thrown);
          lastError = error;
          if (error.code === 'aborted' || signal?.aborted) {
            this.#emitRequestError(error, startedAt, lease.id, options, false);
            throw signal?.aborted ? abortedError(provider) : error;
          }
          if (error.code === 'authentication' && credentials.onUnauthorized && !refreshed.has(lease.id)) {
            refreshed.add(lease.id);
            const refreshedOk = await credentials.onUnauthorized(lease.id, { secret: lease.secret }).catch(() => false);
            if (refreshedOk) {
              this.#emitRequestError(error, startedAt, lease.id, options, true);
              preferId = lease.id;
              continue;
            }
          }
          safely(() => credentials.reportFailure(lease.id, error));
          failedWith.set(lease.id, error);
          const policy = errorPolicies[error.code];
          const transient = policy.retryable && !policy.switchesCredential;
          const willRetry =
            policy.retryable &&
            !(error.code === 'invalid_response' && invalidResponseRetried) &&
            (!transient || (retriesUsed < maxRetries && Date.now() + retryDelayMs(retriesUsed, error.retryAfterMs, () => 0.5) < deadlineAt));
          this.#emitRequestError(error, startedAt, lease.id, options, willRetry);
          if (!willRetry) throw error;
          if (isPersistentFault(error.code)) failedPersistently.add(lease.id);
          if (error.code === 'invalid_response') invalidResponseRetried = true;
          // A credential fault moves to the next credential at once; a transient one spends a retry and backs off
          // (500 ms × 2ⁿ, or the server's hint), then goes to whichever credential the source hands out.
          if (transient) {
            await retryAfter(retryDelayMs(retriesUsed, error.retryAfterMs, this.#config.random), error);
            poolWaitIncluded = true;
          }
          continue;
        }
        return this.#toChatStream(result, options, attemptNumber);
      }
    } catch (thrown) {
      const error = signal?.aborted ? abortedError(provider) : toKitError(thrown);
      const { code, status, message } = error;
      const latencyMs = Date.now() - deadlineAt + deadlineMs;
      this.#emitEvent({ type: 'call-error', latencyMs, error: { code, status, message }, attempts: attemptNumber, model: options.model });
      throw error;
    }
  }

  #emitEvent(event: KitEventInput): void {
    this.#config.emit({ ...event, at: Date.now(), provider: this.#config.provider } as KitEvent);
  }

  #emitRequestError(error: KitError, startedAt: number, credentialId: string, options: ResolvedGenerateOptions, willRetry: boolean) {
    const { code, status, message, requestId } = error;
    this.#emitEvent({
      type: 'request-error',
      latencyMs: Date.now() - startedAt,
      error: { code, status, message },
      willRetry,
      streaming: options.stream,
      model: options.model,
      credentialId,
      requestId,
    });
  }

  /** One HTTP attempt. Resolves with the events read so far (streams: up to the first content event). */
  async #attempt(
    lease: CredentialLease,
    options: ResolvedGenerateOptions,
    firstByteTimeoutMs: number,
    idleTimeoutMs: number,
    startedAt: number,
  ): Promise<AttemptResult> {
    const { provider, definition } = this.#config;
    const { secret: _secret, ...credential } = lease;
    const context: RequestContext = { provider, model: options.model, stream: options.stream, credential };
    const request = definition.chat.buildRequest(options, context);
    const attempt = new Attempt(options.signal, firstByteTimeoutMs, provider, idleTimeoutMs);
    const { controller } = attempt;
    try {
      const response = await this.send(lease, request, { headers: options.headers, stream: options.stream, signal: attempt.controller.signal, model: options.model });
      const buffered: StreamEvent[] = [];
      const requestId = response.headers.get('x-request-id') ?? response.headers.get('request-id') ?? undefined;
      if (!options.stream || !response.body) {
        const text = await response.text();
        try {
          definition.chat.parseResponse(JSON.parse(text), context, (event) => buffered.push(event));
        } catch (error) {
          // Not JSON, or JSON of a shape the provider cannot read.
          throw KitError.is(error)
            ? error
            : new KitError('invalid_response', `${provider}: unreadable response: ${(error as Error).message}`, { provider, credentialId: lease.id, cause: error });
        }
        attempt.dispose();
        return { lease, buffered, attempt, startedAt, requestId };
      }
      // Streaming: from here the timer counts only while a read waits for bytes.
      attempt.received();
      const reader = new WireEventReader(response.body, definition.chat.framing, definition.chat.createStreamMapper(context), {
        beforeRead: () => attempt.waiting(),
        afterRead: () => attempt.received(),
      });
      controller.signal.addEventListener('abort', () => reader.cancel(controller.signal.reason), { once: true });
      for (let event = await reader.next(); event; event = await reader.next()) {
        buffered.push(event);
        if (isContentEvent(event)) return { lease, buffered, reader, attempt, startedAt, requestId, firstContentAt: Date.now() };
        if (event.type === 'finish') break;
      }
      return { lease, buffered, reader, attempt, startedAt, requestId };
    } catch (error) {
      const classified = classifyThrown(error, controller.signal, provider, lease);
      controller.abort(classified);
      attempt.dispose();
      throw classified;
    }
  }

  #readRateLimits(credentialId: string, headers: Headers, model: string | undefined): void {
    const info = this.#config.definition.rateLimits?.(headers, Date.now());
    if (!info) return;
    this.#emitEvent({ type: 'rate-limit', rateLimit: info, credentialId, model });
    safely(() => this.#config.credentials.reportRateLimit?.(credentialId, info));
  }

  #toChatStream(result: AttemptResult, options: ResolvedGenerateOptions, attempts: number): KitChatStream {
    const { provider, credentials } = this.#config;
    const { lease, reader, attempt, startedAt } = result;
    const { controller } = attempt;
    let firstContentAt = result.firstContentAt;
    // The attempt stays linked to the caller's signal until the stream ends.
    const release = (reason: KitError) => {
      attempt.dispose();
      if (!controller.signal.aborted) controller.abort(reason);
    };
    return new KitChatStream({
      provider,
      model: options.model,
      credentialId: lease.id,
      buffered: result.buffered,
      ...(reader ? { next: () => reader.next() } : {}),
      classify: (error) => classifyThrown(error, controller.signal, provider, lease),
      // Called when the first content event is handed out; the time is when it arrived (usually while peeking).
      onFirstContent: () => {
        firstContentAt ??= Date.now();
        if (options.stream) {
          this.#emitEvent({ type: 'stream-first-token', ttftMs: firstContentAt - startedAt, model: options.model, credentialId: lease.id });
        }
      },
      onSuccess: ({ usage, finishReason }) => {
        attempt.dispose();
        const latencyMs = Date.now() - startedAt;
        safely(() =>
          credentials.reportSuccess(lease.id, { latencyMs, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens }),
        );
        this.#emitEvent({
          type: 'request-success',
          latencyMs,
          usage,
          streaming: options.stream,
          finishReason,
          model: options.model,
          credentialId: lease.id,
          requestId: result.requestId,
          ttftMs: options.stream && firstContentAt ? firstContentAt - startedAt : undefined,
        });
      },
      onError: (error) => {
        this.#emitRequestError(error, startedAt, lease.id, options, false);
        if (error.code === 'aborted') return;
        safely(() => credentials.reportFailure(lease.id, error));
        // A stream that broke after its first content cannot fail over: the call has failed.
        const { code, status, message } = error;
        this.#emitEvent({ type: 'call-error', latencyMs: Date.now() - startedAt, error: { code, status, message }, attempts, model: options.model });
      },
      release,
    });
  }
}

function withoutTrailingSlash(url: string): string {
  return url.endsWith('/') ? url.replace(/\/+$/, '') : url;
}

function safely(action: () => void): void {
  try {
    action();
  } catch {
    // A credential source's bookkeeping failure must not fail the request.
  }
}

function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
