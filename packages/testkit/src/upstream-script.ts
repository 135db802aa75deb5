import type { RecordedRequest } from './record-request';

/** Token counts a scripted reply reports; without them the mock estimates (request words in, deltas out). */
export interface ScriptedUsage {
  inputTokens: number;
  outputTokens: number;
  /** Reported as the dialect's cached-input field (OpenAI: `prompt_tokens_details.cached_tokens`). */
  cachedInputTokens?: number;
  /** Reported as the dialect's reasoning field (OpenAI: `completion_tokens_details.reasoning_tokens`, Gemini: `thoughtsTokenCount`). */
  reasoningTokens?: number;
  /** Anthropic: `cache_creation_input_tokens` (other dialects have no such field). */
  cacheCreationInputTokens?: number;
}

/**
 * How a successful text reply ended, in OpenAI's wire words (other dialects translate them: Anthropic
 * `end_turn` / `max_tokens` / `refusal`, Gemini `STOP` / `MAX_TOKENS` / `SAFETY`). Any other string is sent
 * as it is, for a dialect's own words (`'stop_sequence'`, `'RECITATION'`, `'PROHIBITED_CONTENT'`, …).
 */
export type ScriptedFinishReason = 'stop' | 'length' | 'content_filter' | (string & {});

/** A tool call the upstream makes. `arguments` is the complete JSON text. */
export interface ScriptedToolCall {
  /** Default: `call_<response number>_<index>`. */
  id?: string;
  name: string;
  arguments: string;
  /** Gemini: the `thoughtSignature` of this call's `functionCall` part (other dialects ignore it). */
  signature?: string;
}

/**
 * The dialect-agnostic meaning of an error answer. A `status` behaviour that names one gets that
 * dialect's realistic error body; without one the body is chosen from the status code.
 */
export type UpstreamFault =
  | 'unauthorized'
  | 'forbidden'
  | 'rate-limited'
  | 'insufficient-quota'
  | 'payment-required'
  | 'server-error'
  | 'overloaded'
  | 'bad-request'
  | 'context-length'
  | 'not-found';

/** A complete text answer (streamed as deltas when the request asks for a stream). */
export interface TextBehaviour {
  kind: 'text';
  text: string;
  /** Split `text` into this many deltas; default one delta per word. */
  chunks?: number;
  /**
   * Reasoning sent before the text, one delta per word (OpenAI-compatible: `reasoning_content`; Anthropic:
   * a `thinking` block; Gemini: `thought: true` parts).
   */
  reasoning?: string;
  /**
   * The reasoning's signature. Anthropic: the thinking block's `signature` (default: a generated one);
   * Gemini: `thoughtSignature` on the first answer part (default: none). OpenAI ignores it.
   */
  reasoningSignature?: string;
  usage?: ScriptedUsage;
  /** Default `'stop'`. */
  finishReason?: ScriptedFinishReason;
  /**
   * Gemini: the prompt is blocked: no candidates, only `promptFeedback.blockReason` (e.g. `'SAFETY'`,
   * `'PROHIBITED_CONTENT'`). Other dialects ignore it.
   */
  promptBlockReason?: string;
}

/** One or more tool calls, optionally after some text; parallel calls' argument pieces are interleaved. */
export interface ToolCallsBehaviour {
  kind: 'tool-calls';
  calls: ScriptedToolCall[];
  /** Each call's arguments are split across this many chunks; default 3. */
  splitArguments?: number;
  /** Text streamed before the calls. */
  text?: string;
  /** Anthropic and Gemini: reasoning before the text and calls (a thinking block, thought parts). OpenAI ignores it. */
  reasoning?: string;
  /** Anthropic and Gemini: the reasoning's signature, as for `TextBehaviour`. */
  reasoningSignature?: string;
  /** Gemini: how many `functionCall` parts share one streamed chunk; default 1 (each call its own chunk). */
  callsPerChunk?: number;
  usage?: ScriptedUsage;
}

/** An HTTP error answer: the dialect's error body for `fault` (or for `status`) unless `body` is given. */
export interface StatusBehaviour {
  kind: 'status';
  status: number;
  /** The exact body to send (objects are sent as JSON, strings as they are). */
  body?: unknown;
  headers?: Record<string, string>;
  /** Which realistic error body to render; default chosen from `status`. */
  fault?: UpstreamFault;
  /** Replaces the message inside the rendered error body. */
  message?: string;
}

/** Waits `delayMs` before sending anything (not even headers), then behaves like `then`. */
export interface SlowFirstByteBehaviour {
  kind: 'slow-first-byte';
  delayMs: number;
  then: Behaviour;
}

/** Accepts the request and never answers, until the client gives up or the upstream closes. */
export interface HangBehaviour {
  kind: 'hang';
}

/**
 * Sends the headers and `afterChunks` content chunks, then destroys the socket.
 * Non-streaming: half of the JSON body, then the socket is destroyed.
 */
export interface ResetMidStreamBehaviour {
  kind: 'reset-mid-stream';
  afterChunks: number;
  /** The text whose deltas are sent (default: filler words). */
  text?: string;
}

/**
 * Sends `afterChunks` (default 0) content chunks, then a data line holding invalid JSON, then ends.
 * Non-streaming: a 200 answer whose JSON body is cut short.
 */
export interface MalformedSseBehaviour {
  kind: 'malformed-sse';
  afterChunks?: number;
}

/**
 * The error an upstream reports inside a stream that had already started. OpenAI and Anthropic send
 * `type` as the error's `type`; Gemini sends it as `status` (e.g. `'UNAVAILABLE'`) and `code` as the
 * numeric `code` (default: the HTTP status that goes with `status`).
 */
export interface StreamErrorDescription {
  type: string;
  message: string;
  code?: string;
}

/**
 * Sends `afterChunks` content chunks, then the dialect's in-stream error event (OpenAI:
 * `data: {"error":{...}}`), then ends. Non-streaming: a 200 answer whose body is that error object.
 */
export interface ErrorMidStreamBehaviour {
  kind: 'error-mid-stream';
  afterChunks: number;
  /** Default: the dialect's (OpenAI `server_error`, Anthropic `overloaded_error`, Gemini `UNAVAILABLE`). */
  error?: StreamErrorDescription;
}

/**
 * Sends `afterChunks` content chunks, then goes silent without closing (until the client gives up
 * or the upstream closes). Non-streaming: headers and half of the body, then silence.
 */
export interface StallMidStreamBehaviour {
  kind: 'stall-mid-stream';
  afterChunks: number;
}

/** Exactly these bytes, whatever the dialect (default status 200, no headers added). */
export interface RawBehaviour {
  kind: 'raw';
  status?: number;
  headers?: Record<string, string>;
  body: string;
}

/** What the mock upstream does with one request. */
export type Behaviour =
  | TextBehaviour
  | ToolCallsBehaviour
  | StatusBehaviour
  | SlowFirstByteBehaviour
  | HangBehaviour
  | ResetMidStreamBehaviour
  | MalformedSseBehaviour
  | ErrorMidStreamBehaviour
  | StallMidStreamBehaviour
  | RawBehaviour;

/** Chooses the behaviour for a request; `n` counts this credential's scripted requests from 0. */
export type ScriptFunction = (request: RecordedRequest, n: number) => Behaviour;

/**
 * One behaviour for every request, a list consumed one per request (the last one repeats), or a
 * function of the request and its number.
 */
export type Script = Behaviour | readonly Behaviour[] | ScriptFunction;

/** The behaviour `script` prescribes for the `n`-th request (0-based). */
export function behaviourAt(script: Script, request: RecordedRequest, n: number): Behaviour {
  if (typeof script === 'function') return script(request, n);
  if (isBehaviourList(script)) {
    if (script.length === 0) throw new Error('mock upstream: a script list needs at least one behaviour');
    return script[Math.min(n, script.length - 1)] as Behaviour;
  }
  return script;
}

function isBehaviourList(script: Behaviour | readonly Behaviour[]): script is readonly Behaviour[] {
  return Array.isArray(script);
}

/** Builders for successful answers. */
export const replies = {
  /** A text answer; `options` adds chunking, reasoning, usage or a finish reason. */
  text(text: string, options: Omit<TextBehaviour, 'kind' | 'text'> = {}): TextBehaviour {
    return { kind: 'text', text, ...options };
  },
  /** One or more tool calls (two or more are parallel calls, interleaved on the wire). */
  toolCalls(calls: ScriptedToolCall[], options: Omit<ToolCallsBehaviour, 'kind' | 'calls'> = {}): ToolCallsBehaviour {
    return { kind: 'tool-calls', calls, ...options };
  },
} as const;

/** Options of `faults.rateLimited`. */
export interface RateLimitedOptions {
  /** Sent as `retry-after` (seconds). */
  retryAfterSeconds?: number;
  /** Sent as `retry-after-ms`. */
  retryAfterMs?: number;
  message?: string;
}

function statusFault(status: number, fault: UpstreamFault, message?: string): StatusBehaviour {
  return message === undefined ? { kind: 'status', status, fault } : { kind: 'status', status, fault, message };
}

/** Builders for failures: HTTP errors with realistic bodies, and transport-level faults. */
export const faults = {
  /** 401, invalid API key. */
  unauthorized: (message?: string): StatusBehaviour => statusFault(401, 'unauthorized', message),
  /** 403, the credential may not use this API. */
  forbidden: (message?: string): StatusBehaviour => statusFault(403, 'forbidden', message),
  /** 429 rate limit, with `retry-after` / `retry-after-ms` headers when asked. */
  rateLimited(options: RateLimitedOptions = {}): StatusBehaviour {
    const headers: Record<string, string> = {};
    if (options.retryAfterSeconds !== undefined) headers['retry-after'] = String(options.retryAfterSeconds);
    if (options.retryAfterMs !== undefined) headers['retry-after-ms'] = String(options.retryAfterMs);
    return { ...statusFault(429, 'rate-limited', options.message), headers };
  },
  /** 429 with the "exceeded your current quota" body (a quota problem, not a rate limit). */
  insufficientQuota: (message?: string): StatusBehaviour => statusFault(429, 'insufficient-quota', message),
  /** 402, out of credits. */
  paymentRequired: (message?: string): StatusBehaviour => statusFault(402, 'payment-required', message),
  /** A 5xx server error (default 500). */
  serverError: (status = 500, message?: string): StatusBehaviour => statusFault(status, 'server-error', message),
  /** 503, the model is overloaded (the Anthropic dialect answers 529 `overloaded_error`). */
  overloaded: (message?: string): StatusBehaviour => statusFault(503, 'overloaded', message),
  /** 400, invalid request. */
  badRequest: (message?: string): StatusBehaviour => statusFault(400, 'bad-request', message),
  /** 400, the prompt exceeds the model's context window. */
  contextLength: (message?: string): StatusBehaviour => statusFault(400, 'context-length', message),
  /** 404, unknown model. */
  notFound: (message?: string): StatusBehaviour => statusFault(404, 'not-found', message),
  /** Never answers. */
  hang: (): HangBehaviour => ({ kind: 'hang' }),
  /** Waits `delayMs` before the first byte, then behaves like `then`. */
  slowFirstByte: (delayMs: number, then: Behaviour): SlowFirstByteBehaviour => ({ kind: 'slow-first-byte', delayMs, then }),
  /** Sends `afterChunks` content chunks, then destroys the socket. */
  resetMidStream: (afterChunks: number, text?: string): ResetMidStreamBehaviour =>
    text === undefined ? { kind: 'reset-mid-stream', afterChunks } : { kind: 'reset-mid-stream', afterChunks, text },
  /** Invalid JSON in a data line (or a cut-short JSON body when not streaming). */
  malformed: (afterChunks = 0): MalformedSseBehaviour => ({ kind: 'malformed-sse', afterChunks }),
  /** Sends `afterChunks` content chunks, then an in-stream error event. */
  errorMidStream: (afterChunks: number, error?: StreamErrorDescription): ErrorMidStreamBehaviour =>
    error === undefined ? { kind: 'error-mid-stream', afterChunks } : { kind: 'error-mid-stream', afterChunks, error },
  /** Sends `afterChunks` content chunks, then goes silent without closing. */
  stallMidStream: (afterChunks: number): StallMidStreamBehaviour => ({ kind: 'stall-mid-stream', afterChunks }),
  /** Exactly these bytes. */
  raw: (body: string, options: Omit<RawBehaviour, 'kind' | 'body'> = {}): RawBehaviour => ({ kind: 'raw', body, ...options }),
} as const;

/** The answer when nothing is scripted. */
export const defaultBehaviour: Behaviour = replies.text('Hello from the mock upstream.');
