import type { IncomingHttpHeaders } from 'node:http';
import { countWords, splitText } from './text-pieces';
import type {
  ContentEvent,
  ErrorRenderingInput,
  ExchangeContext,
  MockModel,
  RenderedError,
  RenderedReply,
  RequestDescription,
  ServerErrorKind,
  UpstreamDialect,
} from './upstream-dialect';
import type { ScriptedFinishReason, ScriptedUsage, TextBehaviour, ToolCallsBehaviour, UpstreamFault } from './upstream-script';

// Ollama's native API (`POST /api/chat`, `GET /api/tags`, `GET /api/ps`, `GET /api/version`), as its API reference
// (docs/api.md, docs.ollama.com/api) shows it: NDJSON objects `{ model, created_at, message, done }`, the last one
// with `done: true`, `done_reason` and the counts and durations (nanoseconds); errors as `{ "error": "…" }`, mid-stream
// too (docs.ollama.com/api/errors); tool calls whole, with their `arguments` as an object.

type WireObject = Record<string, unknown>;

/** The version `GET /api/version` reports. */
export const OLLAMA_MOCK_VERSION = '0.12.6';

/** One NDJSON line. */
function line(data: unknown): string {
  return `${JSON.stringify(data)}\n`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `done_reason` for a scripted finish: Ollama knows `stop` and `length`; anything else is sent as it is. */
function doneReason(finishReason: ScriptedFinishReason | undefined): string {
  return finishReason ?? 'stop';
}

/** The tool input as an object, as Ollama sends it; arguments that are not a JSON object are sent as the raw string. */
function argumentsObject(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : text;
  } catch {
    return text;
  }
}

/** Renders the lines and the whole answer of one reply. */
class OllamaReplyRenderer {
  private readonly createdAt: string;

  constructor(private readonly context: ExchangeContext) {
    this.createdAt = new Date(context.createdAt).toISOString();
  }

  chunk(message: WireObject): string {
    return line({ model: this.context.model, created_at: this.createdAt, message: { role: 'assistant', content: '', ...message }, done: false });
  }

  /** The counts and durations of the final object (durations in nanoseconds, made up but plausible). */
  stats(scripted: ScriptedUsage | undefined, deltas: number): WireObject {
    const promptTokens = scripted?.inputTokens ?? this.context.inputTokens;
    const outputTokens = scripted?.outputTokens ?? deltas;
    return {
      total_duration: 1_000_000 * (12 + promptTokens + outputTokens),
      load_duration: 2_000_000,
      prompt_eval_count: promptTokens,
      prompt_eval_duration: 1_000_000 * promptTokens,
      eval_count: outputTokens,
      eval_duration: 1_000_000 * outputTokens,
    };
  }

  final(reason: string, stats: WireObject, message: WireObject = {}): WireObject {
    return {
      model: this.context.model,
      created_at: this.createdAt,
      message: { role: 'assistant', content: '', ...message },
      done: true,
      done_reason: reason,
      ...stats,
    };
  }
}

function renderText(reply: TextBehaviour, context: ExchangeContext): RenderedReply {
  const renderer = new OllamaReplyRenderer(context);
  const content: ContentEvent[] = [
    ...(reply.reasoning ? splitText(reply.reasoning) : []).map((piece) => renderer.chunk({ thinking: piece })),
    ...splitText(reply.text, reply.chunks).map((piece) => renderer.chunk({ content: piece })),
  ];
  const stats = renderer.stats(reply.usage, content.length);
  const reason = doneReason(reply.finishReason);
  const whole: WireObject = { content: reply.text };
  if (reply.reasoning) whole.thinking = reply.reasoning;
  return { preamble: [], content, epilogue: [line(renderer.final(reason, stats))], json: renderer.final(reason, stats, whole) };
}

/**
 * Tool calls: optional thinking and text first, then one line per call carrying the whole call (Ollama parses a
 * call before sending it, so its `arguments` never arrive in pieces: `splitArguments` does not apply). A call has
 * an `id` only when the script gives one, so clients must make one up otherwise. `done_reason` is `stop`.
 */
function renderToolCalls(reply: ToolCallsBehaviour, context: ExchangeContext): RenderedReply {
  const renderer = new OllamaReplyRenderer(context);
  const calls = reply.calls.map((call, index) => {
    const wire: WireObject = { function: { index, name: call.name, arguments: argumentsObject(call.arguments) } };
    if (call.id !== undefined) wire.id = call.id;
    return wire;
  });
  const content: ContentEvent[] = [
    ...(reply.reasoning ? splitText(reply.reasoning) : []).map((piece) => renderer.chunk({ thinking: piece })),
    ...(reply.text ? splitText(reply.text) : []).map((piece) => renderer.chunk({ content: piece })),
    ...calls.map((call) => renderer.chunk({ tool_calls: [call] })),
  ];
  const stats = renderer.stats(reply.usage, content.length);
  const whole: WireObject = { content: reply.text ?? '', tool_calls: calls };
  if (reply.reasoning) whole.thinking = reply.reasoning;
  return { preamble: [], content, epilogue: [line(renderer.final('stop', stats))], json: renderer.final('stop', stats, whole) };
}

/** The status a fault is sent with, and its message. */
function errorFor(
  fault: UpstreamFault | ServerErrorKind | undefined,
  input: ErrorRenderingInput,
  context: ExchangeContext,
): { status: number; message: string } {
  switch (fault) {
    case 'unauthorized':
      return { status: 401, message: 'unauthorized' };
    case 'forbidden':
      return { status: 403, message: 'this model requires a subscription' };
    case 'rate-limited':
      return { status: 429, message: 'too many requests, please try again later' };
    case 'insufficient-quota':
    case 'payment-required':
      return { status: input.status, message: 'you have reached your usage limit, upgrade for higher limits' };
    case 'not-found':
      return { status: 404, message: `model "${context.model}" not found, try pulling it first` };
    case 'bad-request':
      return { status: 400, message: 'invalid message format' };
    case 'context-length':
      return { status: 400, message: 'the input length exceeds the context length' };
    case 'overloaded':
      return { status: 503, message: 'server busy, please try again.  maximum pending requests exceeded' };
    case 'server-error':
      return { status: input.status, message: 'an error was encountered while running the model' };
    case 'invalid-json':
      return { status: 400, message: 'invalid character in request body' };
    case 'unknown-route':
      return { status: 404, message: '404 page not found' };
    case 'payload-too-large':
      return { status: 413, message: 'request body too large' };
    case 'internal':
      return { status: 500, message: 'the mock upstream failed while answering' };
    default:
      return { status: input.status, message: input.status >= 500 ? 'an error was encountered while running the model' : `HTTP ${input.status}` };
  }
}

function faultForStatus(status: number): UpstreamFault | undefined {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 429) return 'rate-limited';
  if (status === 400) return 'bad-request';
  if (status === 503) return 'overloaded';
  if (status >= 500) return 'server-error';
  return undefined;
}

/** Ollama's `{ "error": "…" }` answer for a fault (or a bare status). */
export function renderOllamaError(input: ErrorRenderingInput, context: ExchangeContext): RenderedError {
  const { status, message } = errorFor(input.fault ?? faultForStatus(input.status), input, context);
  return { status, body: { error: input.message ?? message } };
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function modelDetails(model: MockModel): WireObject {
  const family = model.id.split(/[:/.\d]/)[0] || 'llama';
  return { parent_model: '', format: 'gguf', family, families: [family], parameter_size: '3.2B', quantization_level: 'Q4_K_M' };
}

/** Ollama's native API (`/api/chat` NDJSON, `/api/tags`, `/api/ps`, `/api/version`; Bearer keys for ollama.com). */
export const ollamaDialect: UpstreamDialect = {
  name: 'ollama',
  basePath: '',
  defaultModel: 'llama3.2',
  streamContentType: 'application/x-ndjson',
  defaultStreamError: { type: 'server_error', message: 'an error was encountered while running the model' },

  route(method, pathname) {
    if (method === 'POST' && pathname === '/api/chat') return 'generate';
    if (method === 'GET' && pathname === '/api/tags') return 'models';
    if (method === 'GET' && (pathname === '/api/ps' || pathname === '/api/version')) return 'control';
    return undefined;
  },

  readSecret(headers) {
    const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header(headers, 'authorization') ?? '');
    return match?.[1];
  },

  refuse(request) {
    if (request.route === 'generate' && isRecord(request.body) && (typeof request.body.model !== 'string' || request.body.model === '')) {
      return { status: 400, body: { error: 'model is required' } };
    }
    return undefined;
  },

  createSession({ options }) {
    const models: readonly MockModel[] = options.models ?? [{ id: options.model ?? 'llama3.2' }];
    return {
      answerControl({ url, context }) {
        if (url.pathname === '/api/version') return { status: 200, body: { version: OLLAMA_MOCK_VERSION } };
        // `/api/ps`: every listed model is loaded, unloading five minutes after this answer.
        const expiresAt = new Date(context.createdAt + 5 * 60_000).toISOString();
        return {
          status: 200,
          body: {
            models: models.map((model) => ({
              name: model.id,
              model: model.id,
              size: 3_338_801_804,
              digest: 'a2af6cc3eb7fa8be8504abaf9b04e88f17a119ec3f04a3addf55f92841195f5a',
              details: modelDetails(model),
              expires_at: expiresAt,
              size_vram: 3_338_801_804,
              context_length: model.inputTokenLimit ?? 4096,
            })),
          },
        };
      },
    };
  },

  describeRequest(body): RequestDescription {
    if (!isRecord(body)) return { stream: true, includeUsage: true, inputTokens: 0 };
    const messages = Array.isArray(body.messages) ? body.messages : [];
    const description: RequestDescription = {
      // Ollama streams unless told `"stream": false`; the final object always carries the counts.
      stream: body.stream !== false,
      includeUsage: true,
      inputTokens: countWords(messages.map((message: unknown) => (isRecord(message) ? message.content : undefined))),
    };
    if (typeof body.model === 'string' && body.model !== '') description.model = body.model;
    return description;
  },

  renderReply(reply, context) {
    return reply.kind === 'text' ? renderText(reply, context) : renderToolCalls(reply, context);
  },

  renderError: renderOllamaError,

  renderErrorBody(error) {
    return { error: error.message };
  },

  renderStreamError(error) {
    return line({ error: error.message });
  },

  renderMalformedFrame(context) {
    return `{"model":"${context.model}","message":{"role":"assistant","content":"trunc\n`;
  },

  renderModels(models) {
    return {
      models: models.map((model) => ({
        name: model.id,
        model: model.id,
        modified_at: model.createdAt ?? '2025-10-03T23:34:03.409490317-07:00',
        size: 3_338_801_804,
        digest: 'a2af6cc3eb7fa8be8504abaf9b04e88f17a119ec3f04a3addf55f92841195f5a',
        details: modelDetails(model),
      })),
    };
  },
};
