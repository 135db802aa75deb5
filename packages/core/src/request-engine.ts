import { abortedError, sleep } from './abort';
import { Attempt } from './attempt';
import { DeadlineTimer } from './deadline-timer';
import { retryBackoffMs, retryDelayMs } from './backoff';
import type { ChatCompletion, FinishReason, ServerTimings, Usage } from './chat-completion';
import { completeAnswer, KitChatStream } from './chat-stream';
import { createUpstreamError } from './classify-error';
import { CompletionAssembler } from './completion-assembler';
import type { AcquireOptions, CredentialLease, CredentialSource } from './credential-source';
import { policyOf } from './error-codes';
import type { ResolvedGenerateOptions } from './generate-options';
import type { KitEvent, KitEventInput, KitEventListener } from './kit-event';
import { KitError, toKitError } from './kit-error';
import { createHttpClient, type HttpClient, type HttpHooks, type HttpRequestInit } from './http-client';
import { fromMapper, fromRequestBuilder, isMapperFault } from './mapper-fault';
import { chatRequestHeaders } from './merge-headers';
import { parseToolCallInput } from './tool-input';
import { maskSecrets } from './mask-secrets';
import { monotonicNow } from './monotonic-clock';
import type { ProviderDefinition, RequestContext, WireRequest } from './provider-definition';
import type { StreamEvent } from './stream-event';
import { isContentEvent } from './stream-event';
import { WireEventReader } from './wire-event-reader';
import { parseJsonOrText } from './parse-json-or-text';
import { safely } from './safely';
import { requestIdOf } from './request-id';

/** What the engine needs of a provider instance. */
export interface EngineConfig {
  provider: string;
  definition: ProviderDefinition;
  credentials: CredentialSource;
  baseURL: string | undefined;
  headers: Record<string, string>;
  timeoutMs: number;
  maxRetries: number;
  /** The user's `fetch` (default: the global one, looked up per request so test interceptors keep working). */
  fetch?: typeof globalThis.fetch | undefined;
  /** ky-style `beforeRequest` / `afterResponse` hooks run on every request (tracing, logging). */
  hooks?: HttpHooks | undefined;
  emit: KitEventListener;
  /**
   * Whether anyone outside the provider reads its events (`onEvent`, a metrics sink). Without that, and without a
   * credential source that takes `reportRateLimit`, nobody reads rate limits: their headers are not parsed.
   * Default `true`.
   */
  eventsObserved?: boolean;
  /** Waits between attempts (tests inject one that records the delay). Default: a timer. */
  sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  /** Jitter source of the retry backoff. Default `Math.random`. */
  random?: () => number;
  /** Monotonic clock of every duration and deadline. Default `performance.now()`. */
  now?: () => number;
}

/** At most this many merged header sets (credential × kind of request) are kept; past it the cache starts over. */
const MAX_CACHED_HEADERS = 64;

/** What one successful attempt leaves: the events read so far (streams: up to the first content event). */
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

/**
 * Timeouts of requests the upstream may still be generating an answer for (a non-streaming request answers only when
 * done): never re-sent, unless the call passes `resendOnTimeout: true` — each re-sent request is generated and billed again.
 */
const mayBeGenerating = new WeakSet<KitError>();

/** Turns whatever an attempt threw into a classified `KitError`, preferring the abort reason we set. */
function classifyThrown(error: unknown, signal: AbortSignal, provider: string, lease?: CredentialLease): KitError {
  if (signal.aborted && KitError.is(signal.reason)) return signal.reason;
  if (KitError.is(error)) {
    // A mapper's error is built from what the upstream sent (an in-stream error body), which may echo the credential.
    error.message = maskSecrets(error.message, [lease?.secret]);
    error.stack = maskSecrets(error.stack ?? '', [lease?.secret]);
    return error;
  }
  const aborted = (error as Error | undefined)?.name === 'AbortError';
  // undici's "fetch failed" says why only in its cause (ECONNREFUSED, ENOTFOUND, UND_ERR_SOCKET…).
  const reason = ((error as { cause?: { code?: string } } | undefined)?.cause?.code ?? '') as string;
  const code = aborted ? 'aborted' : 'network';
  return new KitError(code, `${provider}: ${code}: ${(error as Error | undefined)?.message ?? error}${reason ? ` (${reason})` : ''}`, {
    provider,
    credentialId: lease?.id,
    secrets: [lease?.secret],
    cause: error,
  });
}

/**
 * The request engine: the only retry loop of @kit. Per call it acquires a credential, sends, classifies, fails over
 * or retries, and resolves once the upstream accepted the request and, for streams, produced its first content
 * event (a stream may fail over only before that).
 *
 * Rules (docs/error-handling.md): a credential fault (401/403/429/quota) moves to another credential at once and
 * costs no retry; a transient fault spends a retry and backs off (500 ms × 2ⁿ, or the server's hint of up to 60 s —
 * never sooner than that); a lease is never held across a wait (after any wait the pool is asked again); a wait that cannot end
 * before the deadline is not started: the call fails fast with what it knows.
 */
export class RequestEngine {
  readonly #config: EngineConfig;
  readonly #sleep: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  readonly #now: () => number;
  readonly #baseURL: string;
  readonly #client: HttpClient;
  /** The one runtime timer of every attempt's timeout. */
  readonly #deadlines: DeadlineTimer;
  /** Merged request headers per kind of request and credential (see `prepare`); never handed to a user's `fetch`. */
  readonly #headersFor = new Map<string, { secret: string; kind: string; projectId: string | undefined; headers: Record<string, string> }>();

  constructor(config: EngineConfig) {
    this.#config = config;
    this.#client = createHttpClient({ fetch: config.fetch, hooks: config.hooks });
    this.#sleep = config.sleep ?? sleep;
    this.#now = config.now ?? monotonicNow;
    this.#deadlines = new DeadlineTimer(this.#now);
    this.#baseURL = withoutTrailingSlash(config.baseURL ?? config.definition.defaultBaseURL);
  }

  /**
   * The URL and headers of a request for a credential. The headers of a request with none of its own (no wire request
   * or call `headers`) are merged once per credential and kind of request, and reused while the credential's `kind`,
   * `secret` and `projectId` stay the same (what `authHeaders` may depend on); a user's `fetch` gets its own copy.
   */
  prepare(lease: CredentialLease, request: WireRequest, extraHeaders: Record<string, string> | undefined, stream: boolean) {
    const { definition } = this.#config;
    const base = definition.baseURLFor ? withoutTrailingSlash(definition.baseURLFor(lease, this.#baseURL)) : this.#baseURL;
    const hasBody = request.body !== undefined;
    const key = extraHeaders || request.headers ? undefined : `${+stream}${+hasBody}${lease.id}`;
    const merged = key === undefined ? undefined : this.#headersFor.get(key);
    let headers = merged && merged.secret === lease.secret && merged.kind === lease.kind && merged.projectId === lease.projectId ? merged.headers : undefined;
    if (!headers) {
      headers = chatRequestHeaders({
        stream,
        hasBody,
        provider: definition.headers,
        request: request.headers,
        settings: this.#config.headers,
        call: extraHeaders,
        auth: lease.secret ? definition.authHeaders(lease) : undefined,
      });
      if (key !== undefined) {
        // Bounded: a source that names each lease anew (a vault's one-off tokens) must not grow it, or keep their secrets.
        if (this.#headersFor.size >= MAX_CACHED_HEADERS) this.#headersFor.clear();
        this.#headersFor.set(key, { secret: lease.secret, kind: lease.kind, projectId: lease.projectId, headers });
      }
    }
    return { url: base + request.path, headers: this.#config.fetch ? { ...headers } : headers };
  }

  /** Sends one wire request with a credential; a non-2xx answer is thrown as a classified `KitError`. */
  async send(
    lease: CredentialLease,
    request: WireRequest,
    options: { headers?: Record<string, string>; stream: boolean; signal: AbortSignal; model?: string },
  ): Promise<Response> {
    const response = await this.#dispatch(lease, request, options);
    return this.#accepted(response, lease, options.model) ?? response;
  }

  /** The request on its way: `fetch`'s promise of the response headers. */
  #dispatch(
    lease: CredentialLease,
    request: WireRequest,
    options: { headers?: Record<string, string>; stream: boolean; signal: AbortSignal },
  ): Promise<Response> {
    const { url, headers } = this.prepare(lease, request, options.headers, options.stream);
    const init: HttpRequestInit = { method: request.method ?? (request.body === undefined ? 'GET' : 'POST'), headers, signal: options.signal };
    if (request.body !== undefined) init.body = JSON.stringify(request.body);
    return this.#client(url, init);
  }

  /**
   * Reads a response's rate limits; a 2xx answer is accepted (`undefined`), any other gives a promise that rejects
   * with its classified `KitError` (its body is read first).
   */
  #accepted(response: Response, lease: CredentialLease, model: string | undefined): Promise<never> | undefined {
    this.#readRateLimits(lease.id, response, model);
    if (response.ok) return undefined;
    return response.text().then((text) => {
      throw createUpstreamError(
        { status: response.status, body: parseJsonOrText(text), headers: response.headers },
        { provider: this.#config.provider, credentialId: lease.id, secrets: [lease.secret], refine: this.#config.definition.refineError },
      );
    });
  }

  /** One authenticated request without retries (model list, health check); resolves with the parsed JSON body. */
  async requestOnce(request: WireRequest, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<unknown> {
    const { provider, credentials } = this.#config;
    const timeoutMs = options.timeoutMs ?? this.#config.timeoutMs;
    const attempt = new Attempt(options.signal, timeoutMs, provider, timeoutMs, this.#deadlines, this.#now);
    let lease: CredentialLease | undefined;
    try {
      lease = await credentials.acquire({ signal: attempt.controller.signal });
      const response = await this.send(lease, request, { stream: false, signal: attempt.controller.signal });
      const body = parseJsonOrText(await response.text());
      attempt.dispose(true);
      const { id, sequence } = lease;
      safely(() => credentials.reportSuccess(id, { sequence }));
      return body;
    } catch (error) {
      const kitError = classifyThrown(error, attempt.controller.signal, provider, lease);
      if (lease && kitError.code !== 'aborted') this.#reportFailure(lease, kitError);
      throw kitError;
    } finally {
      attempt.dispose();
    }
  }

  /** A call whose answer is handed out as a `ChatStream` (streaming, or a non-streaming answer replayed as events). */
  async generate(options: ResolvedGenerateOptions): Promise<KitChatStream> {
    const { result, attempts } = await this.#run(options);
    return this.#toChatStream(result, options, attempts);
  }

  /**
   * A non-streaming call assembled directly into a `ChatCompletion`: the one JSON answer is not replayed through
   * a stream and an iterator.
   */
  async complete(options: ResolvedGenerateOptions): Promise<ChatCompletion> {
    // A provider may stream a long answer on the wire (see `ChatWire.streamsOnWire`): its timeout then bounds silence.
    if (options.stream || this.#config.definition.chat.streamsOnWire?.(options)) return (await this.generate({ ...options, stream: true })).final();
    const { result } = await this.#run(options);
    const assembler = new CompletionAssembler(options.model);
    const { buffered } = result;
    for (let index = 0; index < buffered.length; index++) {
      const event = buffered[index] as StreamEvent;
      if (event.type === 'start') assembler.start(event);
      else if (event.type === 'finish') assembler.holdFinish(event);
      else if (event.type === 'tool-call') {
        const schema = options.toolInputSchemas?.get(event.toolCall.name);
        assembler.add({ type: 'tool-call', toolCall: await parseToolCallInput(event.toolCall, schema) });
      } else assembler.add(event);
    }
    const finish = assembler.finish;
    if (!finish) {
      const { provider } = this.#config;
      const error = new KitError('invalid_response', `${provider}: the answer has no finish reason`, { provider, credentialId: result.lease.id });
      this.#reportStreamError(result, options, 1, error);
      throw error;
    }
    this.#reportSuccess(result, options, finish);
    return completeAnswer(assembler, this.#config.provider, result.lease.id, options);
  }

  /** The retry/failover loop; resolves with the first attempt that succeeded. */
  async #run(options: ResolvedGenerateOptions): Promise<{ result: AttemptResult; attempts: number }> {
    const { provider, credentials } = this.#config;
    const now = this.#now;
    const timeoutMs = options.timeoutMs ?? this.#config.timeoutMs;
    const maxRetries = options.maxRetries ?? this.#config.maxRetries;
    const deadlineMs = options.deadlineMs ?? timeoutMs * (maxRetries + 1);
    const startedAt = now();
    const deadlineAt = startedAt + deadlineMs;
    // No call-level timer or controller: each attempt's own timer is cut to what is left of the deadline, and
    // every wait is checked against it before it starts.
    const { signal } = options;

    let retriesUsed = 0;
    let attemptNumber = 0;
    let lastError: KitError | undefined;
    let invalidResponseRetried = false;
    /** A wait was slept since the last failure: the next attempt may go without another one. */
    let waited = false;
    /** The next wait for a cooling pool costs no retry (see below). */
    let freePoolWait = false;
    let preferId: string | undefined;
    let previousId: string | undefined;
    // Made on a call's first failure: most calls succeed at once.
    let failedWith: Map<string, KitError> | undefined;
    let failedForGood: Set<string> | undefined;
    let refreshed: Set<string> | undefined;

    const finalError = (cause: KitError, pool?: KitError) =>
      // With one credential in play the caller gets its own error, as with a single `apiKey`.
      (failedWith?.size ?? 0) <= 1
        ? cause
        : new KitError('credentials_exhausted', `${pool?.message ?? `${provider}: every credential failed`}; last error: ${cause.message}`, {
            provider,
            retryAfterMs: pool?.retryAfterMs,
            cause,
          });

    /** Waits `delay` ms if the deadline allows it (a wait that cannot end in time is not started): else throws `error`. */
    const waitOrThrow = async (delay: number, error: KitError) => {
      if (now() + delay >= deadlineAt) throw error;
      await this.#sleep(delay, signal);
      waited = true;
    };

    try {
      // The deadline is checked from the second time round (the clock was read just above; a read costs ~50 ns).
      for (let round = 0; ; round++) {
        if (signal?.aborted) throw abortedError(provider);
        if (round > 0 && deadlineAt - now() <= 0) {
          throw new KitError('timeout', `${provider}: the call did not succeed within its ${deadlineMs} ms deadline`, { provider, cause: lastError });
        }
        let lease: CredentialLease;
        try {
          const acquireOptions: AcquireOptions = { signal };
          if (preferId) acquireOptions.id = preferId;
          if (failedForGood) acquireOptions.exclude = failedForGood;
          lease = await credentials.acquire(acquireOptions);
        } catch (error) {
          const kitError = signal?.aborted ? abortedError(provider) : toKitError(error, 'credentials_exhausted', { provider });
          if (kitError.code !== 'credentials_exhausted') throw kitError;
          // Every usable credential is cooling down: wait for the soonest one when that ends before the deadline (a
          // probe that failed for good does not fail the caller while another credential comes back in time).
          const poolError = lastError ? finalError(lastError, kitError) : kitError;
          const wait = kitError.retryAfterMs;
          if (wait === undefined) throw poolError;
          // Each wait for the pool spends a retry, except one right after a transient fault's backoff (the same retry)
          // or right after a credential failed for good (the call moves on to whichever credential comes back first).
          if (freePoolWait) freePoolWait = false;
          else {
            if (retriesUsed >= maxRetries) throw poolError;
            retriesUsed += 1;
          }
          await waitOrThrow(wait, poolError);
          continue;
        }
        preferId = undefined;

        const earlier = failedWith?.get(lease.id);
        if (earlier && failedForGood?.has(lease.id)) throw finalError(lastError ?? earlier); // a source that cannot exclude
        if (earlier && !waited) {
          // The credential that failed in this call comes back (a single key, or every other one cooling): wait first —
          // at least as long as the server asked — and then ask the pool again, so no lease is held across the wait.
          if (retriesUsed >= maxRetries) throw finalError(earlier);
          retriesUsed += 1;
          await waitOrThrow(earlier.retryAfterMs ?? retryBackoffMs(retriesUsed - 1, this.#config.random), earlier);
          continue;
        }
        waited = false;
        if (previousId !== undefined && previousId !== lease.id && lastError) {
          this.#emitEvent({ type: 'failover', from: previousId, to: lease.id, reason: lastError.code, model: options.model });
        }
        previousId = lease.id;

        attemptNumber += 1;
        const attemptStartedAt = now();
        this.#emitEvent({ type: 'request-start', streaming: options.stream, attempt: attemptNumber, model: options.model, credentialId: lease.id });
        let result: AttemptResult | undefined;
        try {
          result = await this.#attempt(lease, options, Math.min(timeoutMs, deadlineAt - attemptStartedAt), timeoutMs, deadlineAt, attemptStartedAt);
        } catch (thrown) {
          const error = toKitError(thrown);
          lastError = error;
          if (error.code === 'aborted' || signal?.aborted) {
            this.#emitRequestError(error, attemptStartedAt, lease.id, options, false);
            throw signal?.aborted ? abortedError(provider) : error;
          }
          if (error.code === 'authentication' && credentials.onUnauthorized && !refreshed?.has(lease.id)) {
            refreshed ??= new Set();
            refreshed.add(lease.id);
            const refreshedOk = await credentials.onUnauthorized(lease.id, { secret: lease.secret }).catch(() => false);
            if (refreshedOk) {
              this.#emitRequestError(error, attemptStartedAt, lease.id, options, true);
              preferId = lease.id;
              continue;
            }
          }
          this.#reportFailure(lease, error);
          failedWith ??= new Map();
          failedWith.set(lease.id, error);
          const policy = policyOf(error.code);
          const canRetry =
            (policy.switchesCredential || policy.transient) &&
            !(error.code === 'invalid_response' && invalidResponseRetried) &&
            !mayBeGenerating.has(error) &&
            (!policy.transient || (retriesUsed < maxRetries && now() + retryDelayMs(retriesUsed, error.retryAfterMs, () => 0) < deadlineAt));
          this.#emitRequestError(error, attemptStartedAt, lease.id, options, canRetry);
          if (!canRetry) throw error;
          if (error.code === 'invalid_response') invalidResponseRetried = true;
          waited = false;
          freePoolWait = policy.transient || policy.excludesCredential;
          if (policy.excludesCredential) {
            failedForGood ??= new Set();
            failedForGood.add(lease.id);
          }
          // A credential fault moves to the next credential at once; a transient one spends a retry and backs off
          // (500 ms × 2ⁿ, or the server's hint), then goes to whichever credential the pool hands out.
          if (policy.transient) {
            retriesUsed += 1;
            await waitOrThrow(retryDelayMs(retriesUsed - 1, error.retryAfterMs, this.#config.random), error);
          }
        }
        // The success path returns here, at the end of the loop (V8 tiers a function up by how far into its code a
        // call returns: from here #run reaches Maglev after ~500 calls, from inside the try after ~1 000).
        if (result) return { result, attempts: attemptNumber };
      }
    } catch (thrown) {
      const error = signal?.aborted ? abortedError(provider) : toKitError(thrown);
      const { code, status, message } = error;
      this.#emitEvent({ type: 'call-error', latencyMs: now() - startedAt, error: { code, status, message }, attempts: attemptNumber, model: options.model });
      throw error;
    }
  }

  /** Stamps `at` and `provider` on an event object built for this call (not copied: a spread of events of every shape is slow). */
  #emitEvent(event: KitEventInput): void {
    const stamped = event as KitEvent;
    stamped.at = Date.now();
    stamped.provider = this.#config.provider;
    this.#config.emit(stamped);
  }

  #emitRequestError(error: KitError, startedAt: number, credentialId: string, options: ResolvedGenerateOptions, willRetry: boolean) {
    const { code, status, message, requestId } = error;
    this.#emitEvent({
      type: 'request-error',
      latencyMs: this.#now() - startedAt,
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
    deadlineAt: number,
    startedAt: number,
  ): Promise<AttemptResult> {
    const { provider, definition } = this.#config;
    const context: RequestContext = {
      provider,
      model: options.model,
      stream: options.stream,
      credential: withoutSecret(lease),
      refineError: definition.refineError,
    };
    let request: WireRequest;
    try {
      request = definition.chat.buildRequest(options, context);
    } catch (error) {
      // A bug in request mapping is no network fault: not retried, not the credential's fault.
      throw fromRequestBuilder(error, provider);
    }
    const attempt = new Attempt(options.signal, firstByteTimeoutMs, provider, idleTimeoutMs, this.#deadlines, this.#now, startedAt);
    try {
      const response = await this.#dispatch(lease, request, { headers: options.headers, stream: options.stream, signal: attempt.controller.signal });
      const refused = this.#accepted(response, lease, options.model);
      if (refused) await refused;
      const requestId = requestIdOf(response.headers);
      // Errors the upstream sends inside the answer carry the request id and get the provider's refinement.
      context.requestId = requestId;
      if (options.stream && response.body) return await this.#readToFirstContent(response, lease, context, attempt, deadlineAt, startedAt);
      // One JSON answer. (The hot path ends here, at the end of the function: V8 tiers a function up by how far into
      // its code a call returns, so the streaming and failure paths live in methods of their own.)
      const text = await response.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (error) {
        throw new KitError('invalid_response', `${provider}: the answer is not JSON: ${(error as Error).message}`, {
          provider,
          credentialId: lease.id,
          secrets: [lease.secret],
        });
      }
      const buffered: StreamEvent[] = [];
      try {
        definition.chat.parseResponse(body, context, (event) => buffered.push(event));
      } catch (error) {
        throw fromMapper(error, provider, lease.id, [lease.secret]);
      }
      attempt.dispose(true);
      return { lease, buffered, attempt, startedAt, requestId };
    } catch (error) {
      throw attemptFailed(error, attempt, lease, options, provider);
    }
  }

  /**
   * Reads a streamed answer (`response.body` is set: the caller checked) up to its first content event (or its end): a
   * stream may fail over only before that.
   * From here the timer counts only while a read waits for an event, and, until the first content event, never past
   * the call's deadline (keep-alive comments are not progress).
   */
  async #readToFirstContent(
    response: Response,
    lease: CredentialLease,
    context: RequestContext,
    attempt: Attempt,
    deadlineAt: number,
    startedAt: number,
  ): Promise<AttemptResult> {
    const { provider, definition } = this.#config;
    const { controller } = attempt;
    const { requestId } = context;
    attempt.progressed();
    attempt.bindContentDeadline(deadlineAt);
    const reader = new WireEventReader(
      response.body as ReadableStream<Uint8Array>,
      definition.chat.framing,
      definition.chat.createStreamMapper(context),
      { waiting: () => attempt.waiting(), progressed: () => attempt.progressed() },
      (error) => fromMapper(error, provider, lease.id, [lease.secret]),
    );
    controller.signal.addEventListener('abort', () => reader.cancel(controller.signal.reason), { once: true });
    const buffered: StreamEvent[] = [];
    let finished = false;
    for (;;) {
      const event = reader.take();
      if (event === undefined) {
        if (reader.done) break;
        await reader.fill();
        continue;
      }
      buffered.push(event);
      if (isContentEvent(event)) {
        attempt.contentStarted();
        return { lease, buffered, reader, attempt, startedAt, requestId, firstContentAt: this.#now() };
      }
      if (event.type === 'finish') finished = true;
    }
    if (!finished) {
      // Empty 200, comments only, a JSON body for a stream request: an attempt failure like any other before content.
      const contentType = response.headers.get('content-type') ?? 'none';
      throw new KitError('invalid_response', `${provider}: the stream ended before any content (content-type ${contentType})`, {
        provider,
        credentialId: lease.id,
      });
    }
    return { lease, buffered, reader, attempt, startedAt, requestId };
  }

  /** A response's rate limits, for the listeners and the credential source; its headers are not read when nobody would. */
  #readRateLimits(credentialId: string, response: Response, model: string | undefined): void {
    const { definition, credentials, eventsObserved } = this.#config;
    if (!definition.rateLimits || (eventsObserved === false && !credentials.reportRateLimit)) return;
    const info = definition.rateLimits(response.headers, Date.now());
    if (!info) return;
    this.#emitEvent({ type: 'rate-limit', rateLimit: info, credentialId, model });
    safely(() => this.#config.credentials.reportRateLimit?.(credentialId, info));
  }

  #reportSuccess(
    result: AttemptResult,
    options: ResolvedGenerateOptions,
    finish: { usage: Usage; finishReason: FinishReason; serverTimings?: ServerTimings | undefined },
    firstContentAt?: number,
  ): void {
    const { credentials } = this.#config;
    const { lease, attempt, startedAt } = result;
    attempt.dispose(true);
    const latencyMs = this.#now() - startedAt;
    const { usage, finishReason, serverTimings } = finish;
    const { id, sequence } = lease;
    safely(() => credentials.reportSuccess(id, { latencyMs, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, sequence }));
    const event: KitEventInput & { serverTimings?: ServerTimings } = {
      type: 'request-success',
      latencyMs,
      usage,
      streaming: options.stream,
      finishReason,
      model: options.model,
      credentialId: id,
      requestId: result.requestId,
      ttftMs: options.stream && firstContentAt ? firstContentAt - startedAt : undefined,
    };
    if (serverTimings) event.serverTimings = serverTimings;
    this.#emitEvent(event);
  }

  /** Tells the credential source an attempt of this credential failed; a mapper bug is nobody's fault but the mapper's. */
  #reportFailure(lease: CredentialLease, error: KitError): void {
    if (isMapperFault(error)) return;
    const { id, sequence } = lease;
    safely(() => this.#config.credentials.reportFailure(id, error, { sequence }));
  }

  /** A stream that broke after its first content (or an answer that could not be assembled): the call has failed. */
  #reportStreamError(result: AttemptResult, options: ResolvedGenerateOptions, attempts: number, error: KitError): void {
    const { lease, startedAt } = result;
    this.#emitRequestError(error, startedAt, lease.id, options, false);
    if (error.code === 'aborted') return;
    this.#reportFailure(lease, error);
    const { code, status, message } = error;
    this.#emitEvent({ type: 'call-error', latencyMs: this.#now() - startedAt, error: { code, status, message }, attempts, model: options.model });
  }

  #toChatStream(result: AttemptResult, options: ResolvedGenerateOptions, attempts: number): KitChatStream {
    const { provider } = this.#config;
    const { lease, reader, attempt, startedAt } = result;
    const { controller } = attempt;
    let firstContentAt = result.firstContentAt;
    return new KitChatStream({
      provider,
      model: options.model,
      credentialId: lease.id,
      requestId: result.requestId,
      buffered: result.buffered,
      answer: { toolInputSchemas: options.toolInputSchemas, responseFormat: options.responseFormat, outputSchema: options.outputSchema },
      feed: reader,
      classify: (error) => classifyThrown(error, controller.signal, provider, lease),
      // Called when the first content event is handed out; the time is when it arrived (usually while peeking).
      onFirstContent: () => {
        firstContentAt ??= this.#now();
        if (options.stream) {
          this.#emitEvent({ type: 'stream-first-token', ttftMs: firstContentAt - startedAt, model: options.model, credentialId: lease.id });
        }
      },
      onSuccess: (finish) => this.#reportSuccess(result, options, finish, firstContentAt),
      onError: (error) => this.#reportStreamError(result, options, attempts, error),
      // The attempt stays linked to the caller's signal until the stream ends.
      release: (reason) => {
        attempt.dispose();
        if (!controller.signal.aborted) controller.abort(reason);
      },
    });
  }
}

/** What a request builder sees of a lease: its fields but the secret, named one by one (a rest copy is a generic, slow one). */
function withoutSecret({ id, kind, baseURL, projectId, sequence }: CredentialLease): RequestContext['credential'] {
  return { id, kind, baseURL, projectId, sequence };
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * What an attempt threw, classified; the attempt is aborted with it and ends. A non-streaming request whose own timer
 * ran out is marked as possibly still generating (not re-sent unless the call passes `resendOnTimeout`); a 408 or 504
 * the server answered is a `timeout` that retries, as in the official SDKs.
 */
function attemptFailed(error: unknown, attempt: Attempt, lease: CredentialLease, options: ResolvedGenerateOptions, provider: string): KitError {
  const { controller } = attempt;
  const classified = classifyThrown(error, controller.signal, provider, lease);
  // The attempt's timer aborts its controller with the `timeout` it reports: that error is the signal's reason (a
  // new one per attempt, and each attempt fails here once: never marked twice).
  if (classified === controller.signal.reason && classified.code === 'timeout' && !options.stream && !options.resendOnTimeout) {
    mayBeGenerating.add(classified);
    classified.message += ' (not re-sent: it may still be generating; see resendOnTimeout)';
  }
  controller.abort(classified);
  attempt.dispose();
  return classified;
}
