import type { IncomingHttpHeaders } from 'node:http';
import { faultForStatus } from './openai-errors';
import { countWords, splitText } from './text-pieces';
import type {
  ErrorRenderingInput,
  ExchangeContext,
  MockModel,
  RenderedError,
  RenderedReply,
  RequestDescription,
  ServerErrorKind,
  UpstreamDialect,
} from './upstream-dialect';
import type { ScriptedFinishReason, StreamErrorDescription, TextBehaviour, ToolCallsBehaviour, UpstreamFault } from './upstream-script';

/**
 * One frame of a streamed answer: `data` is sent as JSON. With SSE framing `event` names the event (`event: <name>`);
 * NDJSON has no event names, so it is ignored there.
 */
export interface CustomFrame {
  event?: string;
  data: unknown;
}

/** What a custom dialect knows about the answer it renders. */
export interface CustomReplyContext {
  /** An id for the answer: `<dialect name>-<n>`, n counting answers from 1. */
  id: string;
  /** The request's model, or the upstream's default model. */
  model: string;
  /** The id sent in the request-id header of this answer. */
  requestId: string;
}

/** Token counts of an answer: the scripted ones, or the mock's estimate (words of the request in, deltas out). */
export interface CustomUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
  reasoningTokens?: number;
}

/** One piece of a streamed tool call. Parallel calls' pieces are interleaved, so a client must assemble by `index`. */
export interface CustomToolCallDelta {
  /** Which call of the answer (0, 1, …). */
  index: number;
  id: string;
  name: string;
  /** The next piece of the call's JSON arguments (`''` when a call has no arguments). */
  argumentsDelta: string;
  /** The call's first piece: a wire that names a call once sends `id` and `name` here only. */
  first: boolean;
}

/**
 * How an answer ended: `'stop'`, `'length'`, `'content_filter'` (the scripted `finishReason`, in OpenAI's words, or any
 * word a script gives), or `'tool_calls'` for a tool-call answer. Translate it into your API's own words.
 */
export type CustomFinishReason = ScriptedFinishReason | 'tool_calls';

/** The end of a streamed answer. */
export interface CustomFinish {
  finishReason: CustomFinishReason;
  usage: CustomUsage;
}

/** A complete answer, for the non-streaming body. */
export interface CustomAnswer {
  text: string;
  reasoning?: string;
  toolCalls: { id: string; name: string; arguments: string }[];
  finishReason: CustomFinishReason;
  usage: CustomUsage;
}

/** An error the upstream answers with: scripted (`faults.*`), or one the server needs (bad JSON, unknown route). */
export interface CustomDialectError {
  /** The HTTP status the answer is sent with (for an error inside a started stream: 500). */
  status: number;
  /** What went wrong, when known: a scripted fault, or the server's own reason. */
  fault?: UpstreamFault | ServerErrorKind;
  /** The scripted message, or a plain default for the fault. Put it in your error body as your API would. */
  message: string;
  /** From the scripted `retry-after` / `retry-after-ms` header, for an API that repeats it in the body. */
  retryAfterMs?: number;
  /** An error inside a started stream: the scripted error type (`faults.errorMidStream(n, { type, message })`). */
  type?: string;
}

/** An error answer: its body (sent as JSON), and optionally another status or extra headers. */
export interface CustomErrorAnswer {
  body: unknown;
  /** Default: `CustomDialectError.status`. */
  status?: number;
  headers?: Record<string, string>;
}

/**
 * A third party's wire dialect: how its API routes, authenticates, streams and fails. `createMockUpstream({ dialect })`
 * takes it where it takes a built-in dialect's name, and gives it everything the built-in dialects get — per-credential
 * scripts, every `faults.*` (HTTP errors, hangs, slow first bytes, resets, malformed frames, errors and stalls
 * mid-stream), the masked recording of requests. The dialect only renders: the mock splits text into deltas, tool-call
 * arguments into pieces, counts usage, and times the frames.
 *
 * @example
 * const echoDialect: CustomDialect = {
 *   name: 'echo',
 *   framing: 'ndjson',
 *   route: (method, path) => (method === 'POST' && path === '/v1/echo' ? 'generate' : undefined),
 *   readSecret: (headers) => headers['x-echo-key'],
 *   textDelta: (text) => ({ data: { type: 'text', text } }),
 *   toolCallDelta: (call) => ({ data: { type: 'tool', ...call } }),
 *   finish: ({ finishReason, usage }) => ({ data: { type: 'done', reason: finishReason, usage } }),
 *   response: (answer) => answer,
 *   error: (error) => ({ body: { failure: { reason: error.fault ?? 'unknown', detail: error.message } } }),
 * };
 */
export interface CustomDialect {
  /** Its name, shown as `upstream.dialect`. */
  name: string;
  /** How streamed answers are framed: server-sent events (`data: <json>\n\n`) or one JSON object per line. */
  framing: 'sse' | 'ndjson';
  /** A path prefix that is part of `upstream.url` (e.g. `'/v1'`); default none. */
  basePath?: string;
  /** Which endpoint `method` + `pathname` (the full path, `basePath` included) is: the chat call, the model list, or none (404). */
  route(method: string, pathname: string): 'generate' | 'models' | undefined;
  /** The key a request presents (your auth header, lower-case names), or `undefined`. */
  readSecret(headers: Readonly<Record<string, string | undefined>>, url: URL): string | undefined;
  /** The model a chat request names and whether it asks for a stream; default: `body.model`, `body.stream === true`. */
  readRequest?(body: unknown, url: URL): { model?: string; stream: boolean };
  /** The model echoed when a request names none (and `createMockUpstream`'s `model` is not set); default `'mock-model'`. */
  defaultModel?: string;
  /** The header carrying the request id on every answer; default `'x-request-id'`. */
  requestIdHeader?: string;
  /** Content type of streamed answers; default `text/event-stream` (SSE) or `application/x-ndjson`. */
  streamContentType?: string;
  /** A frame before the first delta (a "message started" event); default none. */
  start?(reply: CustomReplyContext): CustomFrame | undefined;
  /** One text delta. */
  textDelta(text: string, reply: CustomReplyContext): CustomFrame;
  /** One reasoning delta; without it, scripted reasoning is not sent. */
  reasoningDelta?(text: string, reply: CustomReplyContext): CustomFrame;
  /** One piece of a tool call. */
  toolCallDelta(delta: CustomToolCallDelta, reply: CustomReplyContext): CustomFrame;
  /** The frames after the last delta: finish reason and usage. */
  finish(finish: CustomFinish, reply: CustomReplyContext): CustomFrame | readonly CustomFrame[];
  /** Raw text sent after the last frame (an SSE `data: [DONE]\n\n`); default none. */
  terminator?: string;
  /** The body of a non-streaming answer. */
  response(answer: CustomAnswer, reply: CustomReplyContext): unknown;
  /** The answer to an error: for every `faults.*` status, a wrong key (401, `fault: 'unauthorized'`), bad JSON, an unknown route. */
  error(error: CustomDialectError, reply: CustomReplyContext): CustomErrorAnswer;
  /** The frame carrying an error inside a started stream; default a frame holding `error(…).body`. */
  streamError?(error: CustomDialectError, reply: CustomReplyContext): CustomFrame;
  /** The model list body; default `{ models: [{ id }] }`. */
  models?(models: readonly MockModel[]): unknown;
}

/** The in-stream error `faults.errorMidStream(n)` sends when the script names none. */
const defaultStreamError: StreamErrorDescription = { type: 'server_error', message: 'The upstream failed while streaming the answer.' };

/** Plain default messages, for scripts that give none. */
const faultMessages: Partial<Record<UpstreamFault | ServerErrorKind, string>> = {
  unauthorized: 'The API key is not valid.',
  forbidden: 'This key may not use this model.',
  'rate-limited': 'Too many requests: slow down.',
  'insufficient-quota': 'You have used up your quota: check your plan and billing details.',
  'payment-required': 'Your credit balance is too low.',
  'server-error': 'The server had an error while processing your request.',
  overloaded: 'The model is overloaded: try again later.',
  'bad-request': 'The request is not valid.',
  'context-length': 'The prompt is longer than the model’s context window.',
  'not-found': 'No such model.',
  'invalid-json': 'The request body is not valid JSON.',
  'unknown-route': 'No such endpoint.',
  'payload-too-large': 'The request body is too large.',
  internal: 'The mock upstream failed while answering.',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstValues(headers: IncomingHttpHeaders): Record<string, string | undefined> {
  const result: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) result[name.toLowerCase()] = Array.isArray(value) ? value[0] : value;
  return result;
}

/** Encodes frames the dialect's way. */
function frameEncoder(framing: CustomDialect['framing']): (frame: CustomFrame) => string {
  if (framing === 'ndjson') return (frame) => `${JSON.stringify(frame.data)}\n`;
  return (frame) => `${frame.event === undefined ? '' : `event: ${frame.event}\n`}data: ${JSON.stringify(frame.data)}\n\n`;
}

function usageOf(scripted: CustomUsage | undefined, context: ExchangeContext, deltas: number): CustomUsage {
  if (scripted) return { ...scripted };
  return { inputTokens: context.inputTokens, outputTokens: deltas };
}

/** Checks a dialect description once, so a mistake fails `createMockUpstream` and not a request. */
function checkDialect(custom: CustomDialect): void {
  if (!isRecord(custom)) throw new Error('mock upstream: a custom dialect must be an object');
  if (typeof custom.name !== 'string' || custom.name === '') throw new Error('mock upstream: a custom dialect needs a non-empty name');
  if (custom.framing !== 'sse' && custom.framing !== 'ndjson') {
    throw new Error(`mock upstream: custom dialect "${custom.name}": framing must be 'sse' or 'ndjson'`);
  }
  for (const method of ['route', 'readSecret', 'textDelta', 'toolCallDelta', 'finish', 'response', 'error'] as const) {
    if (typeof custom[method] !== 'function') throw new Error(`mock upstream: custom dialect "${custom.name}": ${method} must be a function`);
  }
}

/**
 * The `UpstreamDialect` the server runs for a third party's `CustomDialect`: the shared machinery (scripts, faults,
 * timing, recording) with the custom dialect's routes, key and rendering.
 */
export function toUpstreamDialect(custom: CustomDialect): UpstreamDialect {
  checkDialect(custom);
  const encode = frameEncoder(custom.framing);
  const replyContext = (context: ExchangeContext): CustomReplyContext => ({
    id: `${custom.name}-${context.responseNumber}`,
    model: context.model,
    requestId: context.requestId,
  });
  const finishFrames = (finish: CustomFinish, reply: CustomReplyContext): string[] => {
    const frames = custom.finish(finish, reply);
    return [...(Array.isArray(frames) ? frames : [frames]).map(encode), ...(custom.terminator === undefined ? [] : [custom.terminator])];
  };
  const preamble = (reply: CustomReplyContext): string[] => {
    const frame = custom.start?.(reply);
    return frame === undefined ? [] : [encode(frame)];
  };
  const reasoningFrames = (reasoning: string | undefined, reply: CustomReplyContext): string[] => {
    const reasoningDelta = custom.reasoningDelta;
    return reasoning && reasoningDelta ? splitText(reasoning).map((piece) => encode(reasoningDelta(piece, reply))) : [];
  };

  function renderText(behaviour: TextBehaviour, context: ExchangeContext): RenderedReply {
    const reply = replyContext(context);
    const content = [
      ...reasoningFrames(behaviour.reasoning, reply),
      ...splitText(behaviour.text, behaviour.chunks).map((piece) => encode(custom.textDelta(piece, reply))),
    ];
    const finishReason = behaviour.finishReason ?? 'stop';
    const usage = usageOf(behaviour.usage, context, content.length);
    const answer: CustomAnswer = { text: behaviour.text, toolCalls: [], finishReason, usage };
    if (behaviour.reasoning && custom.reasoningDelta) answer.reasoning = behaviour.reasoning;
    return { preamble: preamble(reply), content, epilogue: finishFrames({ finishReason, usage }, reply), json: custom.response(answer, reply) };
  }

  function renderToolCalls(behaviour: ToolCallsBehaviour, context: ExchangeContext): RenderedReply {
    const reply = replyContext(context);
    const calls = behaviour.calls.map((call, index) => ({
      id: call.id ?? `call_${context.responseNumber}_${index}`,
      name: call.name,
      arguments: call.arguments,
      pieces: call.arguments === '' ? [''] : splitText(call.arguments, behaviour.splitArguments ?? 3),
    }));
    const content = [...reasoningFrames(behaviour.reasoning, reply), ...splitText(behaviour.text ?? '').map((piece) => encode(custom.textDelta(piece, reply)))];
    // Interleaved rounds (a0, b0, a1, b1, …): only assembly by index is right.
    const rounds = Math.max(1, ...calls.map((call) => call.pieces.length));
    for (let round = 0; round < rounds; round += 1) {
      calls.forEach((call, index) => {
        const piece = call.pieces[round];
        if (piece === undefined) return;
        content.push(encode(custom.toolCallDelta({ index, id: call.id, name: call.name, argumentsDelta: piece, first: round === 0 }, reply)));
      });
    }
    const usage = usageOf(behaviour.usage, context, content.length);
    const finishReason: CustomFinishReason = 'tool_calls';
    const answer: CustomAnswer = {
      text: behaviour.text ?? '',
      toolCalls: calls.map(({ id, name, arguments: args }) => ({ id, name, arguments: args })),
      finishReason,
      usage,
    };
    if (behaviour.reasoning && custom.reasoningDelta) answer.reasoning = behaviour.reasoning;
    return { preamble: preamble(reply), content, epilogue: finishFrames({ finishReason, usage }, reply), json: custom.response(answer, reply) };
  }

  const streamErrorOf = (error: StreamErrorDescription): CustomDialectError => ({
    status: 500,
    fault: 'server-error',
    message: error.message,
    type: error.type,
  });

  return {
    name: custom.name,
    basePath: custom.basePath ?? '',
    defaultModel: custom.defaultModel ?? 'mock-model',
    requestIdHeader: custom.requestIdHeader ?? 'x-request-id',
    streamContentType: custom.streamContentType ?? (custom.framing === 'sse' ? 'text/event-stream; charset=utf-8' : 'application/x-ndjson'),
    defaultStreamError,
    route: (method, pathname) => custom.route(method, pathname),
    readSecret: (headers, url) => custom.readSecret(firstValues(headers), url),
    describeRequest(body, url): RequestDescription {
      const read = custom.readRequest ? custom.readRequest(body, url) : undefined;
      const model = read ? read.model : isRecord(body) && typeof body.model === 'string' && body.model !== '' ? body.model : undefined;
      const stream = read ? read.stream : isRecord(body) && body.stream === true;
      const description: RequestDescription = { stream, includeUsage: true, inputTokens: countWords(isRecord(body) ? (body.messages ?? body) : body) };
      if (model !== undefined) description.model = model;
      return description;
    },
    renderReply: (reply, context) => (reply.kind === 'text' ? renderText(reply, context) : renderToolCalls(reply, context)),
    renderError(input: ErrorRenderingInput, context): RenderedError {
      const fault = input.fault ?? faultForStatus(input.status);
      const error: CustomDialectError = { status: input.status, message: input.message ?? (fault && faultMessages[fault]) ?? `HTTP ${input.status}` };
      if (fault !== undefined) error.fault = fault;
      if (input.retryAfterMs !== undefined) error.retryAfterMs = input.retryAfterMs;
      const answer = custom.error(error, replyContext(context));
      const rendered: RenderedError = { status: answer.status ?? input.status, body: answer.body };
      if (answer.headers) rendered.headers = answer.headers;
      return rendered;
    },
    renderErrorBody: (error, context) => custom.error(streamErrorOf(error), replyContext(context)).body,
    renderStreamError(error, context) {
      const reply = replyContext(context);
      const description = streamErrorOf(error);
      return encode(custom.streamError ? custom.streamError(description, reply) : { data: custom.error(description, reply).body });
    },
    renderMalformedFrame: (context) =>
      custom.framing === 'ndjson'
        ? `{"id":"${custom.name}-${context.responseNumber}","trunc\n`
        : `data: {"id":"${custom.name}-${context.responseNumber}","trunc\n\n`,
    renderModels: (models) => (custom.models ? custom.models(models) : { models: models.map((model) => ({ id: model.id })) }),
  };
}
