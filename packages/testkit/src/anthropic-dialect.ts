import type { IncomingHttpHeaders } from 'node:http';
import { anthropicErrorBody, renderAnthropicError } from './anthropic-errors';
import { countWords, splitText } from './text-pieces';
import type { ContentEvent, ExchangeContext, MockModel, RenderedError, RenderedReply, RequestDescription, UpstreamDialect } from './upstream-dialect';
import type { ScriptedFinishReason, ScriptedUsage, StreamErrorDescription, TextBehaviour, ToolCallsBehaviour } from './upstream-script';

/** Anthropic's `usage` object. */
interface AnthropicUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
}

type WireObject = Record<string, unknown>;

/** One content block: how it opens in a stream, its deltas, and its complete (non-streaming) form. */
interface ContentBlock {
  start: WireObject;
  deltas: WireObject[];
  complete: WireObject;
}

/** `event: <type>\ndata: {"type":"<type>",…}\n\n`: one named server-sent event. */
function namedEvent(type: string, data: WireObject = {}): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

const pingEvent = namedEvent('ping');

/** A `ping` goes before the first delta and then before every fourth one, as Anthropic sprinkles them. */
function pingsBefore(deltaNumber: number): boolean {
  return deltaNumber % 4 === 0;
}

function stopReason(finishReason: ScriptedFinishReason | undefined): string {
  if (finishReason === undefined || finishReason === 'stop') return 'end_turn';
  if (finishReason === 'length') return 'max_tokens';
  if (finishReason === 'content_filter') return 'refusal';
  return finishReason;
}

/** The tool input as a parsed object; arguments that are not JSON are sent as the raw string. */
function parseInput(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function thinkingBlock(reasoning: string, signature: string): ContentBlock {
  return {
    start: { type: 'thinking', thinking: '' },
    deltas: [...splitText(reasoning).map((piece) => ({ type: 'thinking_delta', thinking: piece })), { type: 'signature_delta', signature }],
    complete: { type: 'thinking', thinking: reasoning, signature },
  };
}

function textBlock(text: string, chunks?: number): ContentBlock {
  return {
    start: { type: 'text', text: '' },
    deltas: splitText(text, chunks).map((piece) => ({ type: 'text_delta', text: piece })),
    complete: { type: 'text', text },
  };
}

/** Renders the events and the message of one answer. */
class AnthropicReplyRenderer {
  readonly id: string;
  private readonly defaultSignature: string;

  constructor(private readonly context: ExchangeContext) {
    this.id = `msg_mock_${context.responseNumber}`;
    this.defaultSignature = btoa(`mock-thinking-signature-${context.responseNumber}`);
  }

  reasoningBlocks(reasoning: string | undefined, signature: string | undefined): ContentBlock[] {
    return reasoning ? [thinkingBlock(reasoning, signature ?? this.defaultSignature)] : [];
  }

  usage(scripted: ScriptedUsage | undefined, deltas: number): AnthropicUsage {
    return {
      input_tokens: scripted?.inputTokens ?? this.context.inputTokens,
      cache_creation_input_tokens: scripted?.cacheCreationInputTokens ?? 0,
      cache_read_input_tokens: scripted?.cachedInputTokens ?? 0,
      output_tokens: scripted?.outputTokens ?? deltas,
    };
  }

  /**
   * `message_start`; each delta (with its block's start before its first delta and its stop after its
   * last, and `ping`s sprinkled in) is one content event; then `message_delta` and `message_stop`.
   */
  render(blocks: ContentBlock[], stop: string, scriptedUsage: ScriptedUsage | undefined): RenderedReply {
    const content: ContentEvent[] = [];
    const trailing: string[] = [];
    blocks.forEach((block, index) => {
      if (block.deltas.length === 0) {
        // An empty block (an empty text answer) opens and closes with no delta in between.
        trailing.push(namedEvent('content_block_start', { index, content_block: block.start }), namedEvent('content_block_stop', { index }));
        return;
      }
      block.deltas.forEach((delta, position) => {
        const frames: string[] = [];
        if (position === 0) frames.push(namedEvent('content_block_start', { index, content_block: block.start }));
        if (pingsBefore(content.length)) frames.push(pingEvent);
        frames.push(namedEvent('content_block_delta', { index, delta }));
        if (position === block.deltas.length - 1) frames.push(namedEvent('content_block_stop', { index }));
        content.push(frames);
      });
    });
    const usage = this.usage(scriptedUsage, content.length);
    const message = {
      id: this.id,
      type: 'message',
      role: 'assistant',
      model: this.context.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...usage, output_tokens: Math.min(1, usage.output_tokens) },
    };
    return {
      preamble: [namedEvent('message_start', { message })],
      content,
      epilogue: [
        ...trailing,
        namedEvent('message_delta', { delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: usage.output_tokens } }),
        namedEvent('message_stop'),
      ],
      json: {
        id: this.id,
        type: 'message',
        role: 'assistant',
        model: this.context.model,
        content: blocks.map((block) => block.complete),
        stop_reason: stop,
        stop_sequence: null,
        usage,
      },
    };
  }
}

function renderText(reply: TextBehaviour, context: ExchangeContext): RenderedReply {
  const renderer = new AnthropicReplyRenderer(context);
  const blocks = [...renderer.reasoningBlocks(reply.reasoning, reply.reasoningSignature), textBlock(reply.text, reply.chunks)];
  return renderer.render(blocks, stopReason(reply.finishReason), reply.usage);
}

/** Tool calls: optional thinking and text blocks, then one `tool_use` block per call, one after another. */
function renderToolCalls(reply: ToolCallsBehaviour, context: ExchangeContext): RenderedReply {
  const renderer = new AnthropicReplyRenderer(context);
  const blocks = renderer.reasoningBlocks(reply.reasoning, reply.reasoningSignature);
  if (reply.text) blocks.push(textBlock(reply.text));
  reply.calls.forEach((call, index) => {
    const id = call.id ?? `toolu_mock_${context.responseNumber}_${index}`;
    const pieces = splitText(call.arguments, reply.splitArguments ?? 3);
    blocks.push({
      start: { type: 'tool_use', id, name: call.name, input: {} },
      // Empty input still gets one (empty) input_json_delta, as Anthropic sends it.
      deltas: (pieces.length > 0 ? pieces : ['']).map((piece) => ({ type: 'input_json_delta', partial_json: piece })),
      complete: { type: 'tool_use', id, name: call.name, input: parseInput(call.arguments) },
    });
  });
  return renderer.render(blocks, 'tool_use', reply.usage);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Words of a `system` or message `content`: a string, or blocks whose `text` (and tool results' `content`) count. */
function contentWords(content: unknown): number {
  if (typeof content === 'string') return countWords(content);
  if (!Array.isArray(content)) return 0;
  return content.reduce<number>((total, block: unknown) => {
    if (!isRecord(block)) return total;
    return total + (typeof block.text === 'string' ? countWords(block.text) : 0) + contentWords(block.content);
  }, 0);
}

function invalidRequest(message: string, context: ExchangeContext): RenderedError {
  return { status: 400, body: anthropicErrorBody('invalid_request_error', message, context.requestId) };
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const defaultModelsPageSize = 20;

/** `GET /v1/models` with `limit` (1–1000, default 20), `after_id` and `before_id`. */
function renderModelPage(models: readonly MockModel[], params: URLSearchParams): unknown {
  const requested = Number.parseInt(params.get('limit') ?? '', 10);
  const limit = Number.isFinite(requested) ? Math.min(1000, Math.max(1, requested)) : defaultModelsPageSize;
  const afterId = params.get('after_id');
  const beforeId = params.get('before_id');
  let page: readonly MockModel[];
  let hasMore: boolean;
  if (beforeId !== null) {
    const end = models.findIndex((model) => model.id === beforeId);
    const start = Math.max(0, end - limit);
    page = end <= 0 ? [] : models.slice(start, end);
    hasMore = end > 0 && start > 0;
  } else {
    const start = afterId === null ? 0 : models.findIndex((model) => model.id === afterId) + 1;
    // An unknown after_id lists nothing rather than starting over.
    page = afterId !== null && start === 0 ? [] : models.slice(start, start + limit);
    hasMore = page.length > 0 && start + limit < models.length;
  }
  return {
    data: page.map((model) => ({
      type: 'model',
      id: model.id,
      display_name: model.displayName ?? model.id,
      created_at: model.createdAt ?? '2025-01-01T00:00:00Z',
    })),
    has_more: hasMore,
    first_id: page[0]?.id ?? null,
    last_id: page.at(-1)?.id ?? null,
  };
}

/**
 * Anthropic's Messages API (`POST /v1/messages`, `GET /v1/models`): `x-api-key` keys, a required
 * `anthropic-version` header, named SSE events, `{ type: 'error', error }` bodies and `request-id` headers.
 */
export const anthropicDialect: UpstreamDialect = {
  name: 'anthropic',
  basePath: '/v1',
  defaultModel: 'claude-sonnet-4-5',
  requestIdHeader: 'request-id',
  streamContentType: 'text/event-stream; charset=utf-8',
  defaultStreamError: { type: 'overloaded_error', message: 'Overloaded' },

  route(method, pathname) {
    if (method === 'POST' && pathname === '/v1/messages') return 'generate';
    if (method === 'GET' && pathname === '/v1/models') return 'models';
    return undefined;
  },

  readSecret(headers) {
    const key = header(headers, 'x-api-key')?.trim();
    return key === undefined || key === '' ? undefined : key;
  },

  refuse(request, context) {
    if (header(request.headers, 'anthropic-version') === undefined) {
      return invalidRequest('anthropic-version: header is required', context);
    }
    if (request.route === 'generate' && isRecord(request.body)) {
      for (const field of ['model', 'max_tokens', 'messages'] as const) {
        if (request.body[field] === undefined) return invalidRequest(`${field}: Field required`, context);
      }
      if (!Array.isArray(request.body.messages)) return invalidRequest('messages: Input should be a valid list', context);
    }
    return undefined;
  },

  describeRequest(body): RequestDescription {
    if (!isRecord(body)) return { stream: false, includeUsage: false, inputTokens: 0 };
    const messages = Array.isArray(body.messages) ? body.messages : [];
    const description: RequestDescription = {
      stream: body.stream === true,
      includeUsage: false,
      inputTokens:
        contentWords(body.system) + messages.reduce<number>((total, message: unknown) => total + (isRecord(message) ? contentWords(message.content) : 0), 0),
    };
    if (typeof body.model === 'string' && body.model !== '') description.model = body.model;
    return description;
  },

  renderReply(reply, context) {
    return reply.kind === 'text' ? renderText(reply, context) : renderToolCalls(reply, context);
  },

  renderError: renderAnthropicError,

  renderErrorBody(error: StreamErrorDescription, context) {
    return anthropicErrorBody(error.type, error.message, context.requestId);
  },

  renderStreamError(error) {
    return namedEvent('error', { error: { type: error.type, message: error.message } });
  },

  renderMalformedFrame() {
    return 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"trunc\n\n';
  },

  renderModels(models, context) {
    return renderModelPage(models, context.searchParams);
  },
};
