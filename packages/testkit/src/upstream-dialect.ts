import type { IncomingHttpHeaders } from 'node:http';
import type { RecordedRequest } from './record-request';
import type { StreamErrorDescription, TextBehaviour, ToolCallsBehaviour, UpstreamFault } from './upstream-script';

/** The wire dialects a mock upstream can speak. */
export type DialectName = 'openai';

/** The endpoints every dialect serves: a generation call and the model list. */
export type UpstreamRoute = 'generate' | 'models';

/** A model the mock lists. */
export interface MockModel {
  id: string;
  ownedBy?: string;
}

/** What the server knows about the exchange it is answering; dialects render from it. */
export interface ExchangeContext {
  /** The masked record of the request. */
  request: RecordedRequest;
  method: string;
  pathname: string;
  /** The request's model, or the upstream's default model. */
  model: string;
  /** The client asked for a stream. */
  stream: boolean;
  /** The client asked for a usage chunk at the end of the stream. */
  includeUsage: boolean;
  /** Counts answers from 1; dialects build response ids from it (OpenAI: `chatcmpl-<n>`). */
  responseNumber: number;
  /** When the answer started (epoch ms). */
  createdAt: number;
  /** Rough input token count: the words of the request. */
  inputTokens: number;
}

/** What a dialect reads from a request's body and URL. */
export interface RequestDescription {
  model?: string;
  stream: boolean;
  includeUsage: boolean;
  /** Rough input token count (the words of the prompt). */
  inputTokens: number;
}

/** A successful reply rendered both ways. Frames are fully encoded (`data: …\n\n` for SSE). */
export interface RenderedReply {
  /** Frames before the first content delta (OpenAI: the role chunk). */
  preamble: string[];
  /** One frame per content delta (reasoning, text, tool-call pieces): the chunks faults count. */
  content: string[];
  /** Frames after the content: finish reason, usage, terminator. */
  epilogue: string[];
  /** The non-streaming answer body. */
  json: unknown;
}

/** Error kinds the server itself needs rendered, besides the scripted faults. */
export type ServerErrorKind = 'invalid-json' | 'unknown-route' | 'payload-too-large' | 'internal';

/** What the dialect needs to render an error answer. */
export interface ErrorRenderingInput {
  status: number;
  /** Default: chosen from `status`. */
  fault?: UpstreamFault | ServerErrorKind;
  /** Replaces the dialect's default message. */
  message?: string;
  /** From the answer's `retry-after(-ms)` header, for messages like "try again in 20s". */
  retryAfterMs?: number;
}

/** An error answer: status and body (sent as JSON). */
export interface RenderedError {
  status: number;
  body: unknown;
}

/**
 * The wire knowledge of one dialect. Everything else (server, credentials, scripts, fault timing,
 * recording) is shared, so a new dialect is one more implementation of this interface.
 */
export interface UpstreamDialect {
  readonly name: DialectName;
  /** Prefix of every route, part of the upstream's `url` (OpenAI: `/v1`). */
  readonly basePath: string;
  /** Content type of streamed answers. */
  readonly streamContentType: string;
  /** The in-stream error sent by `error-mid-stream` when the script names none. */
  readonly defaultStreamError: StreamErrorDescription;
  /** Which endpoint `method` + `pathname` (below `basePath` included) is, if any. */
  route(method: string, pathname: string): UpstreamRoute | undefined;
  /** The credential the request presents, if any. */
  readSecret(headers: IncomingHttpHeaders, url: URL): string | undefined;
  /** Model, stream flags and input size of a generation request. */
  describeRequest(body: unknown, url: URL): RequestDescription;
  renderReply(reply: TextBehaviour | ToolCallsBehaviour, context: ExchangeContext): RenderedReply;
  renderError(input: ErrorRenderingInput, context: ExchangeContext): RenderedError;
  /** The error object an upstream sends once it has already answered 2xx (OpenAI: `{ error: {…} }`). */
  renderErrorBody(error: StreamErrorDescription, context: ExchangeContext): unknown;
  /** One encoded frame carrying `renderErrorBody` inside a started stream. */
  renderStreamError(error: StreamErrorDescription, context: ExchangeContext): string;
  /** One encoded frame whose payload is not valid JSON. */
  renderMalformedFrame(context: ExchangeContext): string;
  /** The model list body. */
  renderModels(models: readonly MockModel[], context: ExchangeContext): unknown;
}
