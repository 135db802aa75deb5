import type { ServerResponse } from 'node:http';
import { pause, StreamWriter, untilAborted } from './stream-writer';
import { fillerText } from './text-pieces';
import type { ControlAnswer, ErrorRenderingInput, ExchangeContext, MockModel, RenderedReply, UpstreamDialect, UpstreamRoute } from './upstream-dialect';
import type { Behaviour, StatusBehaviour } from './upstream-script';

/** One request being answered: everything a behaviour needs, whatever the dialect. */
export interface Exchange {
  readonly response: ServerResponse;
  readonly dialect: UpstreamDialect;
  readonly route: UpstreamRoute;
  readonly context: ExchangeContext;
  /** Aborts when the exchange ends: the client went away or the upstream is closing. */
  readonly signal: AbortSignal;
  readonly chunkDelayMs: number;
  readonly models: readonly MockModel[];
  /** Headers on every answer (request id). */
  readonly commonHeaders: Record<string, string>;
  /** Headers added to 2xx answers (rate-limit headers). */
  successHeaders(): Record<string, string>;
  /** Ends the exchange from the upstream's side: the socket is destroyed (this is no client abort). */
  destroySocket(): void;
  /** The dialect session's answer to a `control` route (called only for successful behaviours). */
  answerControl?(): ControlAnswer;
}

const jsonContentType = 'application/json';

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

/** The headers of an answer: common, then 2xx extras, then the behaviour's own (which win). */
function answerHeaders(exchange: Exchange, status: number, own: Record<string, string>): Record<string, string> {
  return { ...exchange.commonHeaders, ...(isSuccess(status) ? exchange.successHeaders() : {}), ...own };
}

/** Sends a complete answer in one go. */
function sendComplete(exchange: Exchange, status: number, headers: Record<string, string>, body: string): void {
  const { response } = exchange;
  if (exchange.signal.aborted || response.headersSent) return;
  const allHeaders = { ...headers };
  if (!hasHeader(allHeaders, 'content-length')) allHeaders['content-length'] = String(Buffer.byteLength(body));
  response.writeHead(status, allHeaders);
  response.end(body);
}

/** Sends a 200 head announcing `fullBody`'s length, then only `sentBody`: the rest never comes. */
function sendPartial(exchange: Exchange, headers: Record<string, string>, fullBody: string, sentBody: string): Promise<boolean> {
  const { response } = exchange;
  if (exchange.signal.aborted) return Promise.resolve(false);
  response.writeHead(200, { ...headers, 'content-length': String(Buffer.byteLength(fullBody)) });
  return new StreamWriter(response, exchange.signal, exchange.chunkDelayMs).write([sentBody]);
}

function retryAfterMs(headers: Record<string, string>): number | undefined {
  const entries = Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value] as const);
  const milliseconds = entries.find(([name]) => name === 'retry-after-ms')?.[1];
  if (milliseconds !== undefined && Number.isFinite(Number(milliseconds))) return Number(milliseconds);
  const seconds = entries.find(([name]) => name === 'retry-after')?.[1];
  if (seconds !== undefined && Number.isFinite(Number(seconds))) return Number(seconds) * 1000;
  return undefined;
}

function withoutHeaders(headers: Record<string, string>, names: readonly string[]): Record<string, string> {
  if (names.length === 0) return headers;
  const removed = new Set(names.map((name) => name.toLowerCase()));
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !removed.has(name.toLowerCase())));
}

/**
 * Sends the dialect's error answer (or the scripted body). A rendered error may change the status and
 * the headers (Anthropic answers `overloaded` with 529; Gemini moves `retry-after` into the body).
 */
export function sendError(exchange: Exchange, input: ErrorRenderingInput & { body?: unknown; headers?: Record<string, string> }): void {
  let own = input.headers ?? {};
  let status = input.status;
  let body = input.body;
  if (body === undefined) {
    const rendering: ErrorRenderingInput = { status: input.status };
    if (input.fault !== undefined) rendering.fault = input.fault;
    if (input.message !== undefined) rendering.message = input.message;
    const retryAfter = input.retryAfterMs ?? retryAfterMs(own);
    if (retryAfter !== undefined) rendering.retryAfterMs = retryAfter;
    const rendered = exchange.dialect.renderError(rendering, exchange.context);
    status = rendered.status;
    body = rendered.body;
    own = { ...withoutHeaders(own, rendered.removeHeaders ?? []), ...rendered.headers };
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const contentType = typeof body === 'string' ? 'text/plain; charset=utf-8' : jsonContentType;
  sendComplete(exchange, status, answerHeaders(exchange, status, { 'content-type': contentType, ...own }), text);
}

function sendStatus(exchange: Exchange, behaviour: StatusBehaviour): void {
  const input: Parameters<typeof sendError>[1] = { status: behaviour.status };
  if (behaviour.fault !== undefined) input.fault = behaviour.fault;
  if (behaviour.message !== undefined) input.message = behaviour.message;
  if (behaviour.body !== undefined) input.body = behaviour.body;
  if (behaviour.headers !== undefined) input.headers = behaviour.headers;
  sendError(exchange, input);
}

function streams(exchange: Exchange): boolean {
  return exchange.route === 'generate' && exchange.context.stream;
}

/** Starts a 200 streaming answer and returns its writer. */
function startStream(exchange: Exchange): StreamWriter | undefined {
  const { response } = exchange;
  if (exchange.signal.aborted) return undefined;
  response.writeHead(200, answerHeaders(exchange, 200, { 'content-type': exchange.dialect.streamContentType, 'cache-control': 'no-cache' }));
  response.flushHeaders();
  return new StreamWriter(response, exchange.signal, exchange.chunkDelayMs);
}

/** The JSON text a successful non-streaming answer to this route has. */
function successJson(exchange: Exchange, reply: RenderedReply | undefined): string {
  if (exchange.route === 'models') return JSON.stringify(exchange.dialect.renderModels(exchange.models, exchange.context));
  return JSON.stringify(reply?.json ?? null);
}

function jsonHeaders(exchange: Exchange): Record<string, string> {
  return answerHeaders(exchange, 200, { 'content-type': jsonContentType });
}

/** The reply a mid-stream fault interrupts. */
function interruptedReply(exchange: Exchange, afterChunks: number, text?: string): RenderedReply {
  return exchange.dialect.renderReply({ kind: 'text', text: text ?? fillerText(afterChunks + 3) }, exchange.context);
}

/** Starts a stream and sends the preamble plus `afterChunks` content frames; `undefined` if the exchange ended. */
async function streamUntil(exchange: Exchange, reply: RenderedReply, afterChunks: number): Promise<StreamWriter | undefined> {
  const writer = startStream(exchange);
  if (!writer) return undefined;
  const sent = await writer.write([...reply.preamble, ...reply.content.slice(0, Math.max(0, afterChunks)).flat()]);
  return sent ? writer : undefined;
}

function endStream(exchange: Exchange): void {
  if (!exchange.signal.aborted) exchange.response.end();
}

/** Answers the exchange the way `behaviour` says. Never throws for a closed connection. */
export async function runBehaviour(behaviour: Behaviour, exchange: Exchange): Promise<void> {
  switch (behaviour.kind) {
    case 'slow-first-byte': {
      if (await pause(Math.max(0, behaviour.delayMs), exchange.signal)) await runBehaviour(behaviour.then, exchange);
      return;
    }
    case 'hang':
      return untilAborted(exchange.signal);
    case 'raw':
      sendComplete(exchange, behaviour.status ?? 200, behaviour.headers ?? {}, behaviour.body);
      return;
    case 'status':
      sendStatus(exchange, behaviour);
      return;
    case 'text':
    case 'tool-calls': {
      if (exchange.route === 'control' && exchange.answerControl) {
        const answer = exchange.answerControl();
        const headers = answerHeaders(exchange, answer.status, { 'content-type': jsonContentType });
        sendComplete(exchange, answer.status, headers, JSON.stringify(answer.body));
        return;
      }
      const reply = exchange.route === 'generate' ? exchange.dialect.renderReply(behaviour, exchange.context) : undefined;
      if (reply && streams(exchange)) {
        const writer = startStream(exchange);
        if (writer && (await writer.write([...reply.preamble, ...reply.content.flat(), ...reply.epilogue]))) endStream(exchange);
        return;
      }
      sendComplete(exchange, 200, jsonHeaders(exchange), successJson(exchange, reply));
      return;
    }
    case 'reset-mid-stream': {
      const reply = interruptedReply(exchange, behaviour.afterChunks, behaviour.text);
      if (streams(exchange)) {
        if (await streamUntil(exchange, reply, behaviour.afterChunks)) exchange.destroySocket();
        return;
      }
      const body = successJson(exchange, reply);
      if (await sendPartial(exchange, jsonHeaders(exchange), body, body.slice(0, Math.floor(body.length / 2)))) {
        exchange.destroySocket();
      }
      return;
    }
    case 'malformed-sse': {
      const afterChunks = behaviour.afterChunks ?? 0;
      const reply = interruptedReply(exchange, afterChunks);
      if (streams(exchange)) {
        const writer = await streamUntil(exchange, reply, afterChunks);
        const terminator = reply.epilogue.slice(-1);
        if (writer && (await writer.write([exchange.dialect.renderMalformedFrame(exchange.context), ...terminator]))) {
          endStream(exchange);
        }
        return;
      }
      const body = successJson(exchange, reply);
      sendComplete(exchange, 200, jsonHeaders(exchange), body.slice(0, Math.floor(body.length / 2)));
      return;
    }
    case 'error-mid-stream': {
      const error = behaviour.error ?? exchange.dialect.defaultStreamError;
      const reply = interruptedReply(exchange, behaviour.afterChunks);
      if (streams(exchange)) {
        const writer = await streamUntil(exchange, reply, behaviour.afterChunks);
        if (writer && (await writer.write([exchange.dialect.renderStreamError(error, exchange.context)]))) endStream(exchange);
        return;
      }
      const body = JSON.stringify(exchange.dialect.renderErrorBody(error, exchange.context));
      sendComplete(exchange, 200, jsonHeaders(exchange), body);
      return;
    }
    case 'stall-mid-stream': {
      const reply = interruptedReply(exchange, behaviour.afterChunks);
      if (streams(exchange)) {
        if (await streamUntil(exchange, reply, behaviour.afterChunks)) await untilAborted(exchange.signal);
        return;
      }
      const body = successJson(exchange, reply);
      if (await sendPartial(exchange, jsonHeaders(exchange), body, body.slice(0, Math.floor(body.length / 2)))) {
        await untilAborted(exchange.signal);
      }
      return;
    }
    default: {
      const unknown: { kind?: unknown } = behaviour;
      throw new Error(`mock upstream: unknown behaviour kind ${JSON.stringify(unknown.kind)}`);
    }
  }
}
