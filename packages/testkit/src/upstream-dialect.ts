import type { IncomingHttpHeaders } from 'node:http';
import type { MockCredential } from './credential-scripts';
import type { MockUpstreamOptions } from './mock-upstream';
import type { RecordedRequest } from './record-request';
import type { StreamErrorDescription, TextBehaviour, ToolCallsBehaviour, UpstreamFault } from './upstream-script';

/** The wire dialects a mock upstream can speak. */
export type DialectName = 'openai' | 'anthropic' | 'gemini' | 'ollama' | 'azure' | 'vertex';

/**
 * The endpoints a dialect serves: a generation call, the model list, and `control` endpoints a dialect's
 * session answers itself (Gemini Code Assist's `loadCodeAssist`, `onboardUser`, operations).
 */
export type UpstreamRoute = 'generate' | 'models' | 'control';

/** A model the mock lists. Fields a dialect has no use for are ignored. */
export interface MockModel {
  /** The model id (Gemini lists it as `models/<id>`). */
  id: string;
  /** OpenAI `owned_by`; default `'openai'`. */
  ownedBy?: string;
  /** Anthropic `display_name`, Gemini `displayName`; default: the id. */
  displayName?: string;
  /** Anthropic `created_at` (RFC 3339); default `'2025-01-01T00:00:00Z'`. */
  createdAt?: string;
  /** Gemini `inputTokenLimit`; default 1 048 576. */
  inputTokenLimit?: number;
  /** Gemini `outputTokenLimit`; default 65 536. */
  outputTokenLimit?: number;
  /** Gemini `supportedGenerationMethods`; default `['generateContent', 'countTokens']`. */
  supportedGenerationMethods?: string[];
}

/** What the server knows about the exchange it is answering; dialects render from it. */
export interface ExchangeContext {
  /** The masked record of the request. */
  request: RecordedRequest;
  method: string;
  pathname: string;
  /** The query parameters (from the masked path: credential values read `***`). */
  searchParams: URLSearchParams;
  /** The id sent in the request-id header (`req_mock_<n>`); Anthropic error bodies repeat it. */
  requestId: string;
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

/**
 * One content event of a stream: a delta that mid-stream faults count. Either one encoded frame, or several
 * frames written one after another when a delta brings framing events with it (Anthropic: the
 * `content_block_start` before a block's first delta, `ping`s, the `content_block_stop` after its last).
 */
export type ContentEvent = string | readonly string[];

/** A successful reply rendered both ways. Frames are fully encoded (`data: …\n\n` for SSE). */
export interface RenderedReply {
  /** Frames before the first content delta (OpenAI: the role chunk; Anthropic: `message_start`). */
  preamble: string[];
  /** One entry per content delta (reasoning, text, tool-call pieces): the events faults count. */
  content: ContentEvent[];
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
  /** The status sent; a dialect may replace the scripted one (Anthropic sends `overloaded` as 529). */
  status: number;
  body: unknown;
  /** Headers added to the answer (they win over the scripted ones). */
  headers?: Record<string, string>;
  /** Scripted headers this dialect does not send (Gemini moves `retry-after` into the body's `RetryInfo`). */
  removeHeaders?: readonly string[];
}

/** What a dialect may look at to refuse a request before any script runs. */
export interface IncomingRequest {
  method: string;
  url: URL;
  route: UpstreamRoute;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, or `undefined` (none, or not JSON). */
  body: unknown;
}

/** A request routed to a dialect's session, after the credential check. */
export interface SessionRequest {
  url: URL;
  body: unknown;
  /** The configured credential the request authenticated as (none when no credentials are configured). */
  credential?: MockCredential;
  context: ExchangeContext;
}

/** A complete JSON answer a session gives to a `control` route. */
export interface ControlAnswer {
  status: number;
  body: unknown;
}

/** Per-upstream state of a dialect: created once per `createMockUpstream`. */
export interface DialectSession {
  /** Answers a `control` route; called only when the request's behaviour is a successful reply. */
  answerControl(request: SessionRequest): ControlAnswer;
  /** Refuses an authenticated generation request before its script runs, e.g. for a project the account does not own. */
  refuseGenerate?(request: SessionRequest): RenderedError | undefined;
}

/**
 * The wire knowledge of one dialect. Everything else (server, credentials, scripts, fault timing,
 * recording) is shared, so a new dialect is one more implementation of this interface.
 */
export interface UpstreamDialect {
  /** A built-in dialect's name, or a custom dialect's. */
  readonly name: DialectName | (string & {});
  /** Prefix of the main routes, part of the upstream's `url` (OpenAI: `/v1`, Gemini: `/v1beta`). */
  readonly basePath: string;
  /** The model echoed when neither the request nor the options name one; default `'gpt-4o-mini'`. */
  readonly defaultModel?: string;
  /** The header carrying the request id on every answer; default `'x-request-id'`. */
  readonly requestIdHeader?: string;
  /** Content type of streamed answers. */
  readonly streamContentType: string;
  /** The in-stream error sent by `error-mid-stream` when the script names none. */
  readonly defaultStreamError: StreamErrorDescription;
  /** Which endpoint `method` + `pathname` (below `basePath` included) is, if any. */
  route(method: string, pathname: string): UpstreamRoute | undefined;
  /** The credential the request presents, if any. */
  readSecret(headers: IncomingHttpHeaders, url: URL): string | undefined;
  /**
   * A reason to refuse the request before the credential check (a missing required header, a key in the
   * URL, a body missing a required field); `undefined` lets it through.
   */
  refuse?(request: IncomingRequest, context: ExchangeContext): RenderedError | undefined;
  /** Creates the per-upstream state behind `control` routes and generation checks. */
  createSession?(setup: { credentials: readonly MockCredential[]; options: MockUpstreamOptions }): DialectSession;
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
