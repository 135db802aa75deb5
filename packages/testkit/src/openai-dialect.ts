import type { IncomingHttpHeaders } from 'node:http';
import { renderOpenAIError } from './openai-errors';
import { countWords, splitText } from './text-pieces';
import type { ExchangeContext, MockModel, RenderedReply, RequestDescription, UpstreamDialect } from './upstream-dialect';
import type { ScriptedUsage, StreamErrorDescription, TextBehaviour, ToolCallsBehaviour } from './upstream-script';

/** OpenAI's `usage` object. */
interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
}

type Delta = Record<string, unknown>;

/** `data: <json>\n\n`: one server-sent event. */
export function sseFrame(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}

const doneFrame = 'data: [DONE]\n\n';

function toUsage(scripted: ScriptedUsage | undefined, estimatedInput: number, deltas: number, reasoningDeltas: number): OpenAIUsage {
  const inputTokens = scripted?.inputTokens ?? estimatedInput;
  const outputTokens = scripted?.outputTokens ?? deltas;
  return {
    prompt_tokens: inputTokens,
    completion_tokens: outputTokens,
    total_tokens: inputTokens + outputTokens,
    prompt_tokens_details: { cached_tokens: scripted?.cachedInputTokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: scripted ? (scripted.reasoningTokens ?? 0) : reasoningDeltas },
  };
}

/** Renders chunks and bodies of one answer. */
class OpenAIReplyRenderer {
  readonly id: string;
  readonly created: number;

  constructor(private readonly context: ExchangeContext) {
    this.id = `chatcmpl-${context.responseNumber}`;
    this.created = Math.floor(context.createdAt / 1000);
  }

  chunk(delta: Delta, finishReason: string | null = null): string {
    const chunk: Record<string, unknown> = {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.context.model,
      system_fingerprint: 'fp_mock',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    };
    // With include_usage OpenAI sends `usage: null` on every chunk but the last.
    if (this.context.includeUsage) chunk.usage = null;
    return sseFrame(chunk);
  }

  epilogue(finishReason: string, usage: OpenAIUsage): string[] {
    const frames = [this.chunk({}, finishReason)];
    if (this.context.includeUsage) {
      frames.push(
        sseFrame({
          id: this.id,
          object: 'chat.completion.chunk',
          created: this.created,
          model: this.context.model,
          system_fingerprint: 'fp_mock',
          choices: [],
          usage,
        }),
      );
    }
    frames.push(doneFrame);
    return frames;
  }

  completion(message: Record<string, unknown>, finishReason: string, usage: OpenAIUsage): unknown {
    return {
      id: this.id,
      object: 'chat.completion',
      created: this.created,
      model: this.context.model,
      system_fingerprint: 'fp_mock',
      choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
      usage,
    };
  }
}

function renderText(reply: TextBehaviour, context: ExchangeContext): RenderedReply {
  const renderer = new OpenAIReplyRenderer(context);
  const reasoningPieces = reply.reasoning ? splitText(reply.reasoning) : [];
  const textPieces = splitText(reply.text, reply.chunks);
  const content = [
    ...reasoningPieces.map((piece) => renderer.chunk({ reasoning_content: piece })),
    ...textPieces.map((piece) => renderer.chunk({ content: piece })),
  ];
  const finishReason = reply.finishReason ?? 'stop';
  const usage = toUsage(reply.usage, context.inputTokens, content.length, reasoningPieces.length);
  const message: Record<string, unknown> = { role: 'assistant', content: reply.text, refusal: null };
  if (reply.reasoning) message.reasoning_content = reply.reasoning;
  return {
    preamble: [renderer.chunk({ role: 'assistant', content: '', refusal: null })],
    content,
    epilogue: renderer.epilogue(finishReason, usage),
    json: renderer.completion(message, finishReason, usage),
  };
}

/**
 * Tool calls: each call's first delta carries `index`, `id`, `type` and `function.name`; its
 * arguments follow in pieces. Parallel calls are interleaved (h0, a0, h1, b0, a1, b1, …) so a
 * client must assemble them by `index`.
 */
function renderToolCalls(reply: ToolCallsBehaviour, context: ExchangeContext): RenderedReply {
  const renderer = new OpenAIReplyRenderer(context);
  const calls = reply.calls.map((call, index) => ({
    id: call.id ?? `call_${context.responseNumber}_${index}`,
    name: call.name,
    arguments: call.arguments,
    pieces: splitText(call.arguments, reply.splitArguments ?? 3),
  }));
  const content = (reply.text ? splitText(reply.text) : []).map((piece) => renderer.chunk({ content: piece }));
  const rounds = Math.max(1, ...calls.map((call) => call.pieces.length));
  for (let round = 0; round < rounds; round += 1) {
    calls.forEach((call, index) => {
      if (round === 0) {
        const opening = { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } };
        content.push(renderer.chunk({ tool_calls: [opening] }));
      }
      const piece = call.pieces[round];
      if (piece !== undefined) content.push(renderer.chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    });
  }
  const usage = toUsage(reply.usage, context.inputTokens, content.length, 0);
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: reply.text ?? null,
    refusal: null,
    tool_calls: calls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
  };
  return {
    preamble: [renderer.chunk({ role: 'assistant', content: reply.text ? '' : null, refusal: null })],
    content,
    epilogue: renderer.epilogue('tool_calls', usage),
    json: renderer.completion(message, 'tool_calls', usage),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The words of the messages' contents: the mock's rough input token count. */
function promptWords(messages: unknown): number {
  if (!Array.isArray(messages)) return 0;
  return countWords(messages.map((message: unknown) => (isRecord(message) ? message.content : undefined)));
}

/** OpenAI's chat completions wire format (`/v1/chat/completions`, `/v1/models`, Bearer keys). */
export const openAIDialect: UpstreamDialect = {
  name: 'openai',
  basePath: '/v1',
  streamContentType: 'text/event-stream; charset=utf-8',
  defaultStreamError: {
    type: 'server_error',
    message: 'The server had an error while processing your request. Sorry about that!',
  },

  route(method, pathname) {
    if (method === 'POST' && pathname === '/v1/chat/completions') return 'generate';
    if (method === 'GET' && pathname === '/v1/models') return 'models';
    return undefined;
  },

  readSecret(headers: IncomingHttpHeaders) {
    const match = /^\s*bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
    return match?.[1];
  },

  describeRequest(body): RequestDescription {
    if (!isRecord(body)) return { stream: false, includeUsage: false, inputTokens: 0 };
    const description: RequestDescription = {
      stream: body.stream === true,
      includeUsage: isRecord(body.stream_options) && body.stream_options.include_usage === true,
      inputTokens: promptWords(body.messages),
    };
    if (typeof body.model === 'string' && body.model !== '') description.model = body.model;
    return description;
  },

  renderReply(reply, context) {
    return reply.kind === 'text' ? renderText(reply, context) : renderToolCalls(reply, context);
  },

  renderError: renderOpenAIError,

  renderErrorBody(error: StreamErrorDescription) {
    return { error: { message: error.message, type: error.type, param: null, code: error.code ?? null } };
  },

  renderStreamError(error, context) {
    return sseFrame(this.renderErrorBody(error, context));
  },

  renderMalformedFrame(context) {
    return `data: {"id":"chatcmpl-${context.responseNumber}","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"trunc\n\n`;
  },

  renderModels(models: readonly MockModel[]) {
    return {
      object: 'list',
      data: models.map((model) => ({ id: model.id, object: 'model', created: 1_700_000_000, owned_by: model.ownedBy ?? 'openai' })),
    };
  },
};
