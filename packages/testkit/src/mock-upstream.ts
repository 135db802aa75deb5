import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { anthropicDialect } from './anthropic-dialect';
import { azureDialect } from './azure-dialect';
import { runBehaviour, sendError, type Exchange } from './behaviour-runner';
import { CredentialScripts, type MockCredential } from './credential-scripts';
import { toUpstreamDialect, type CustomDialect } from './custom-dialect';
import type { CodeAssistOptions } from './gemini-code-assist';
import { geminiDialect } from './gemini-dialect';
import { ollamaDialect } from './ollama-dialect';
import { openAIDialect } from './openai-dialect';
import { vertexDialect } from './vertex-dialect';
import { recordRequest, type RecordedRequest } from './record-request';
import type { DialectName, DialectSession, ExchangeContext, MockModel, UpstreamDialect, UpstreamRoute } from './upstream-dialect';
import { behaviourAt, type Behaviour, type Script } from './upstream-script';
import { listenOnLoopback } from './loopback-server';

/** Options of `createMockUpstream`. */
export interface MockUpstreamOptions {
  /** The wire format to speak: a built-in dialect's name, or a third party's `CustomDialect`. */
  dialect: DialectName | CustomDialect;
  /**
   * Accepted credentials, each with an optional script. When given (non-empty), a request whose key
   * matches none gets the dialect's 401 invalid-key answer.
   */
  credentials?: MockCredential[];
  /** The script of requests without a scripted credential (any key, or none, when no credentials are configured). */
  defaultScript?: Script;
  /** What the model list returns (paginated where the dialect paginates); default `[{ id: model }]`. */
  models?: MockModel[];
  /** Headers added to every 2xx answer (a function gets the request's credential id). */
  rateLimitHeaders?: Record<string, string> | ((credentialId?: string) => Record<string, string>);
  /**
   * The model echoed when a request names none; default: the first of `models`, else the dialect's
   * (`'gpt-4o-mini'`, `'claude-sonnet-4-5'`, `'gemini-2.5-flash'`).
   */
  model?: string;
  /** Gap between streamed frames; default 0, meaning one `setImmediate` turn. */
  chunkDelayMs?: number;
  /**
   * Script of the model-list endpoint (its own counter); `text`/`tool-calls` behaviours answer the
   * list. Default: always the list. Generation scripts are not consumed by model-list requests.
   */
  modelsScript?: Script;
  /** Larger request bodies get a 413 answer; default 32 MiB. */
  maxBodyBytes?: number;
  /**
   * Script of the dialect's control endpoints (Gemini Code Assist: `loadCodeAssist`, `onboardUser`,
   * operations), with its own counter. `text`/`tool-calls` behaviours give the normal answer; faults work
   * as usual. Default: always the normal answer.
   */
  controlScript?: Script;
  /** Gemini Code Assist onboarding (see `CodeAssistOptions`). */
  codeAssist?: CodeAssistOptions;
}

/** A running fake upstream on 127.0.0.1. */
export interface MockUpstream {
  /** Base URL including the dialect's path prefix, e.g. `http://127.0.0.1:PORT/v1` (Gemini: `…/v1beta`). */
  readonly url: string;
  /** `http://127.0.0.1:PORT`, without a path: the base of routes outside `url` (Gemini Code Assist's `/v1internal:…`). */
  readonly origin: string;
  readonly port: number;
  /** The dialect's name (a custom dialect's `name`). */
  readonly dialect: DialectName | (string & {});
  /** Every request received, in order, with secrets masked. */
  readonly requests: RecordedRequest[];
  /** Replaces the script of a credential, or with `'default'` the default script, and restarts its counter. */
  setScript(credentialIdOrDefault: string, script: Script): void;
  /** Clears `requests` and every per-credential counter. */
  reset(): void;
  /** Client connections currently open (kept-alive ones included). */
  openConnections(): number;
  /** Resolves once at least `count` requests have been recorded (since the last `reset`). */
  waitForRequests(count: number): Promise<RecordedRequest[]>;
  /** Resolves once no answer is in progress (every received request finished, failed or was aborted). */
  waitForIdle(): Promise<void>;
  /** Stops listening and destroys every open socket, so hanging and stalled requests end. */
  close(): Promise<void>;
}

const dialects: Record<DialectName, UpstreamDialect> = {
  openai: openAIDialect,
  anthropic: anthropicDialect,
  gemini: geminiDialect,
  ollama: ollamaDialect,
  azure: azureDialect,
  vertex: vertexDialect,
};

const defaultModelId = 'gpt-4o-mini';
const defaultMaxBodyBytes = 32 * 1024 * 1024;

type BodyResult = { kind: 'complete'; bytes: Buffer } | { kind: 'too-large' } | { kind: 'gone' };

function readBody(request: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyResult): void => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        chunks.length = 0;
        settle({ kind: 'too-large' });
      } else if (!settled) {
        chunks.push(chunk);
      }
    });
    request.on('end', () => settle({ kind: 'complete', bytes: Buffer.concat(chunks) }));
    request.on('error', () => settle({ kind: 'gone' }));
    request.on('close', () => settle({ kind: 'gone' }));
  });
}

function parseJson(bytes: Buffer): { ok: true; value: unknown } | { ok: false } {
  if (bytes.length === 0) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) as unknown };
  } catch {
    return { ok: false };
  }
}

const credentialQueryNames = ['key', 'api_key', 'apikey', 'api-key', 'access_token', 'token'];

/** Credentials a client put in the query string: never stored anywhere in the recording. */
function querySecrets(url: URL): string[] {
  return credentialQueryNames.flatMap((name) => url.searchParams.getAll(name)).filter((value) => value !== '');
}

function parseUrl(raw: string | undefined): URL {
  try {
    return new URL(raw ?? '/', 'http://127.0.0.1');
  } catch {
    return new URL('http://127.0.0.1/');
  }
}

function validateOptions(options: MockUpstreamOptions): UpstreamDialect {
  const dialect = typeof options.dialect === 'object' ? toUpstreamDialect(options.dialect) : dialects[options.dialect];
  if (!dialect) {
    throw new Error(`mock upstream: unknown dialect "${String(options.dialect)}" (supported: ${Object.keys(dialects).join(', ')})`);
  }
  if (options.chunkDelayMs !== undefined && !(options.chunkDelayMs >= 0)) {
    throw new Error('mock upstream: chunkDelayMs must be a number ≥ 0');
  }
  return dialect;
}

/** Per-request bookkeeping the server keeps until the answer's connection closes. */
interface ExchangeState {
  readonly controller: AbortController;
  /** The upstream ended the exchange itself (reset, close()): not a client abort. */
  endedByUpstream: boolean;
  record?: RecordedRequest;
  closed: boolean;
}

/**
 * Starts a fake LLM upstream: a real HTTP server on 127.0.0.1 (random port) speaking a provider's
 * wire format, with per-credential scripts of replies and faults, and a masked recording of every
 * request. Always `close()` it (it destroys open sockets, so hung requests end too).
 */
export async function createMockUpstream(options: MockUpstreamOptions): Promise<MockUpstream> {
  const dialect = validateOptions(options);
  const scripts = new CredentialScripts(options.credentials ?? [], options.defaultScript);
  const defaultModel = options.model ?? options.models?.[0]?.id ?? dialect.defaultModel ?? defaultModelId;
  const models: MockModel[] = (options.models ?? [{ id: defaultModel }]).map((model) => ({ ...model }));
  const chunkDelayMs = options.chunkDelayMs ?? 0;
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;
  const modelsScript = options.modelsScript;
  const controlScript = options.controlScript;
  const session: DialectSession | undefined = dialect.createSession?.({ credentials: options.credentials ?? [], options });
  const requestIdHeader = dialect.requestIdHeader ?? 'x-request-id';

  const requests: RecordedRequest[] = [];
  const inFlight = new Set<ExchangeState>();
  let requestWaiters: { count: number; resolve: (records: RecordedRequest[]) => void; reject: (error: Error) => void }[] = [];
  let idleWaiters: (() => void)[] = [];
  let responseNumber = 0;
  let modelsCount = 0;
  let controlCount = 0;

  const notifyRequests = (): void => {
    const ready = requestWaiters.filter((waiter) => requests.length >= waiter.count);
    requestWaiters = requestWaiters.filter((waiter) => requests.length < waiter.count);
    for (const waiter of ready) waiter.resolve([...requests]);
  };
  const notifyIdle = (): void => {
    if (inFlight.size > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const rateLimitHeadersFor = (credentialId: string | undefined): Record<string, string> => {
    const configured = options.rateLimitHeaders;
    if (configured === undefined) return {};
    return typeof configured === 'function' ? configured(credentialId) : configured;
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const at = Date.now();
    const state: ExchangeState = { controller: new AbortController(), endedByUpstream: false, closed: false };
    inFlight.add(state);
    response.on('error', () => {});
    request.on('error', () => {});
    response.on('close', () => {
      state.closed = true;
      if (!response.writableFinished && !state.endedByUpstream && state.record) state.record.aborted = true;
      state.controller.abort();
      inFlight.delete(state);
      notifyIdle();
    });

    const method = (request.method ?? 'GET').toUpperCase();
    const url = parseUrl(request.url);
    const route: UpstreamRoute | undefined = dialect.route(method, url.pathname);
    const bodyResult = await readBody(request, maxBodyBytes);
    const parsed = bodyResult.kind === 'complete' ? parseJson(bodyResult.bytes) : { ok: true as const, value: undefined };
    const body = parsed.ok ? parsed.value : undefined;

    const presentedSecret = dialect.readSecret(request.headers, url);
    const credential = scripts.find(presentedSecret);
    const record = recordRequest({
      method,
      url: request.url ?? '/',
      headers: request.headers,
      body,
      ...(credential ? { credentialId: credential.id } : {}),
      at,
      secrets: [...scripts.secrets(), ...(presentedSecret === undefined ? [] : [presentedSecret]), ...querySecrets(url)],
    });
    // A client that left before its request was recorded aborted it.
    record.aborted = state.closed && !state.endedByUpstream;
    state.record = record;
    requests.push(record);
    notifyRequests();
    if (state.closed || bodyResult.kind === 'gone') return;

    const description = route === 'generate' ? dialect.describeRequest(body, url) : { stream: false, includeUsage: false, inputTokens: 0 };
    responseNumber += 1;
    const requestId = `req_mock_${responseNumber}`;
    const context: ExchangeContext = {
      request: record,
      method,
      pathname: url.pathname,
      searchParams: parseUrl(record.path).searchParams,
      requestId,
      model: description.model ?? defaultModel,
      stream: description.stream,
      includeUsage: description.includeUsage,
      responseNumber,
      createdAt: Date.now(),
      inputTokens: description.inputTokens,
    };
    const exchange: Exchange = {
      response,
      dialect,
      route: route ?? 'generate',
      context,
      signal: state.controller.signal,
      chunkDelayMs,
      models,
      commonHeaders: { [requestIdHeader]: requestId },
      successHeaders: () => rateLimitHeadersFor(credential?.id),
      destroySocket: () => {
        state.endedByUpstream = true;
        response.destroy();
        request.socket.destroy();
      },
    };
    if (route === 'control' && session) {
      exchange.answerControl = () => session.answerControl({ url, body, ...(credential ? { credential } : {}), context });
    }

    if (bodyResult.kind === 'too-large') {
      sendError(exchange, { status: 413, fault: 'payload-too-large', headers: { connection: 'close' } });
      return;
    }
    if (route === undefined || (route === 'control' && !session)) {
      sendError(exchange, { status: 404, fault: 'unknown-route' });
      return;
    }
    const refusal = dialect.refuse?.({ method, url, route, headers: request.headers, body }, context);
    if (refusal) {
      sendError(exchange, { status: refusal.status, body: refusal.body, ...(refusal.headers ? { headers: refusal.headers } : {}) });
      return;
    }
    if (scripts.checksKeys && !credential) {
      sendError(exchange, { status: 401, fault: 'unauthorized' });
      return;
    }
    const needsJsonObject = route === 'generate' || (route === 'control' && method === 'POST');
    if (needsJsonObject && (!parsed.ok || typeof body !== 'object' || body === null || Array.isArray(body))) {
      sendError(exchange, { status: 400, fault: 'invalid-json' });
      return;
    }
    const generateRefusal = route === 'generate' ? session?.refuseGenerate?.({ url, body, ...(credential ? { credential } : {}), context }) : undefined;
    if (generateRefusal) {
      const headers = generateRefusal.headers ? { headers: generateRefusal.headers } : {};
      sendError(exchange, { status: generateRefusal.status, body: generateRefusal.body, ...headers });
      return;
    }

    let behaviour: Behaviour;
    try {
      if (route === 'models') {
        behaviour = modelsScript === undefined ? { kind: 'text', text: '' } : behaviourAt(modelsScript, record, modelsCount);
        modelsCount += 1;
      } else if (route === 'control') {
        behaviour = controlScript === undefined ? { kind: 'text', text: '' } : behaviourAt(controlScript, record, controlCount);
        controlCount += 1;
      } else {
        behaviour = scripts.next(credential?.id, record);
      }
    } catch (error) {
      const message = `mock upstream: the script threw: ${error instanceof Error ? error.message : String(error)}`;
      sendError(exchange, { status: 500, fault: 'internal', message });
      return;
    }
    await runBehaviour(behaviour, exchange);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      // A bug in a behaviour must never take the server down: answer 500 if still possible.
      if (!response.headersSent && !response.destroyed) {
        const message = `mock upstream: ${error instanceof Error ? error.message : String(error)}`;
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message, type: 'server_error', param: null, code: null } }));
      } else {
        response.destroy();
      }
    });
  });
  const listener = await listenOnLoopback(server);
  const { port } = listener;

  const upstream: MockUpstream = {
    url: `http://127.0.0.1:${port}${dialect.basePath}`,
    origin: `http://127.0.0.1:${port}`,
    port,
    dialect: dialect.name,
    requests,
    setScript(credentialIdOrDefault, script) {
      scripts.setScript(credentialIdOrDefault, script);
    },
    reset() {
      requests.length = 0;
      scripts.resetCounters();
      modelsCount = 0;
      controlCount = 0;
    },
    openConnections() {
      return listener.openConnections();
    },
    waitForRequests(count) {
      if (requests.length >= count) return Promise.resolve([...requests]);
      if (listener.closing) return Promise.reject(new Error('mock upstream: closed'));
      return new Promise((resolve, reject) => requestWaiters.push({ count, resolve, reject }));
    },
    waitForIdle() {
      if (inFlight.size === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    close() {
      if (!listener.closing) {
        for (const state of inFlight) {
          state.endedByUpstream = true;
          state.controller.abort();
        }
        const waiters = requestWaiters;
        requestWaiters = [];
        for (const waiter of waiters) waiter.reject(new Error('mock upstream: closed before the expected requests arrived'));
      }
      return listener.close();
    },
  };
  return upstream;
}
