import type { IncomingHttpHeaders } from 'node:http';
import { createCodeAssistSession } from './gemini-code-assist';
import { googleError, googleErrorBody, httpStatusOf, renderGeminiError } from './gemini-errors';
import { countWords, splitText } from './text-pieces';
import type { ContentEvent, ExchangeContext, MockModel, RenderedReply, RequestDescription, UpstreamDialect } from './upstream-dialect';
import type { ScriptedFinishReason, ScriptedUsage, StreamErrorDescription, TextBehaviour, ToolCallsBehaviour } from './upstream-script';

type Part = Record<string, unknown>;

/** Gemini's `usageMetadata`. */
interface UsageMetadata {
  promptTokenCount: number;
  candidatesTokenCount?: number;
  totalTokenCount: number;
  thoughtsTokenCount?: number;
  cachedContentTokenCount?: number;
}

/** The API-key (and OAuth "generative-language") backend: `POST /v1beta/models/{model}:generateContent`. */
const modelMethodPath = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;
/** The Code Assist backend: `POST /v1internal:generateContent` and friends. */
const codeAssistMethodPath = /^\/v1internal:(generateContent|streamGenerateContent|loadCodeAssist|onboardUser)$/;
const operationPath = /^\/v1internal\/operations\/[^/]+$/;

const codeAssistPrefix = '/v1internal';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  return /^\s*bearer\s+(\S+)\s*$/i.exec(header(headers, 'authorization') ?? '')?.[1];
}

function isCodeAssistPath(pathname: string): boolean {
  return pathname.startsWith(codeAssistPrefix);
}

function isStreamPath(pathname: string): boolean {
  return pathname.endsWith(':streamGenerateContent');
}

/** `STOP`, `MAX_TOKENS`, `SAFETY`, or the scripted word as it is. */
function finishReasonOf(finishReason: ScriptedFinishReason | undefined): string {
  if (finishReason === undefined || finishReason === 'stop') return 'STOP';
  if (finishReason === 'length') return 'MAX_TOKENS';
  if (finishReason === 'content_filter') return 'SAFETY';
  return finishReason;
}

/** Tool arguments as an object; arguments that are not JSON are sent as the raw string. */
function parseArgs(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const blockedSafetyRatings = [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true }];

/** Renders the chunks and the body of one answer (wrapped in `{ response }` for Code Assist). */
class GeminiReplyRenderer {
  private readonly wrap: boolean;
  private readonly responseId: string;

  constructor(private readonly context: ExchangeContext) {
    this.wrap = isCodeAssistPath(context.pathname);
    this.responseId = `mock-response-${context.responseNumber}`;
  }

  usage(scripted: ScriptedUsage | undefined, outputDeltas: number, thoughtDeltas: number): UsageMetadata {
    const prompt = scripted?.inputTokens ?? this.context.inputTokens;
    const candidates = scripted?.outputTokens ?? outputDeltas;
    const thoughts = scripted ? scripted.reasoningTokens : thoughtDeltas > 0 ? thoughtDeltas : undefined;
    const usage: UsageMetadata = {
      promptTokenCount: prompt,
      candidatesTokenCount: candidates,
      totalTokenCount: prompt + candidates + (thoughts ?? 0),
    };
    if (thoughts !== undefined) usage.thoughtsTokenCount = thoughts;
    if (scripted?.cachedInputTokens !== undefined) usage.cachedContentTokenCount = scripted.cachedInputTokens;
    return usage;
  }

  /** A GenerateContentResponse. */
  response(fields: Record<string, unknown>): unknown {
    const response = { ...fields, modelVersion: this.context.model, responseId: this.responseId };
    return this.wrap ? { response } : response;
  }

  candidate(parts: Part[], finishReason?: string): Record<string, unknown> {
    const candidate: Record<string, unknown> = { content: { parts, role: 'model' } };
    if (finishReason !== undefined) candidate.finishReason = finishReason;
    if (finishReason === 'SAFETY') candidate.safetyRatings = blockedSafetyRatings;
    candidate.index = 0;
    return candidate;
  }

  /**
   * One chunk per entry of `chunks`. Chunks before the last carry the prompt count only; the last one
   * carries the finish reason and the complete usage (Gemini has no terminator line).
   */
  render(chunks: Part[][], allParts: Part[], finishReason: string, usage: UsageMetadata): RenderedReply {
    const interimUsage = { promptTokenCount: usage.promptTokenCount, totalTokenCount: usage.promptTokenCount };
    const frames = chunks.map((parts, index) =>
      index === chunks.length - 1
        ? sseFrame(this.response({ candidates: [this.candidate(parts, finishReason)], usageMetadata: usage }))
        : sseFrame(this.response({ candidates: [this.candidate(parts)], usageMetadata: interimUsage })),
    );
    // A reply with no content at all still ends with one chunk holding the finish reason.
    const finalOnly =
      frames.length === 0 ? [sseFrame(this.response({ candidates: [this.candidate([{ text: '' }], finishReason)], usageMetadata: usage }))] : [];
    const content: ContentEvent[] = frames;
    return {
      preamble: [],
      content,
      epilogue: finalOnly,
      json: this.response({ candidates: [this.candidate(allParts.length > 0 ? allParts : [{ text: '' }], finishReason)], usageMetadata: usage }),
    };
  }

  blocked(blockReason: string, scripted: ScriptedUsage | undefined): RenderedReply {
    const prompt = scripted?.inputTokens ?? this.context.inputTokens;
    const body = this.response({
      promptFeedback: { blockReason, safetyRatings: blockedSafetyRatings },
      usageMetadata: { promptTokenCount: prompt, totalTokenCount: prompt },
    });
    return { preamble: [], content: [], epilogue: [sseFrame(body)], json: body };
  }
}

/** `data: <json>\r\n\r\n`: Google ends SSE lines with CRLF. */
function sseFrame(data: unknown): string {
  return `data: ${JSON.stringify(data)}\r\n\r\n`;
}

function thoughtChunks(reasoning: string | undefined): Part[][] {
  return reasoning ? splitText(reasoning).map((piece) => [{ text: piece, thought: true }]) : [];
}

function signed(part: Part, signature: string | undefined): Part {
  return signature === undefined ? part : { ...part, thoughtSignature: signature };
}

function renderText(reply: TextBehaviour, context: ExchangeContext): RenderedReply {
  const renderer = new GeminiReplyRenderer(context);
  if (reply.promptBlockReason !== undefined) return renderer.blocked(reply.promptBlockReason, reply.usage);
  const thoughts = thoughtChunks(reply.reasoning);
  const texts = splitText(reply.text, reply.chunks).map((piece, index): Part[] => [
    signed({ text: piece }, index === 0 ? reply.reasoningSignature : undefined),
  ]);
  if (texts.length === 0 && reply.reasoningSignature !== undefined) texts.push([{ text: '', thoughtSignature: reply.reasoningSignature }]);
  const allParts: Part[] = [];
  if (reply.reasoning) allParts.push({ text: reply.reasoning, thought: true });
  if (reply.text !== '' || reply.reasoningSignature !== undefined) allParts.push(signed({ text: reply.text }, reply.reasoningSignature));
  const usage = renderer.usage(reply.usage, texts.length, thoughts.length);
  return renderer.render([...thoughts, ...texts], allParts, finishReasonOf(reply.finishReason), usage);
}

/**
 * Function calls arrive as whole `functionCall` parts (`callsPerChunk` per chunk, default one), after any
 * thought and text chunks. A scripted `signature` becomes the part's `thoughtSignature`.
 */
function renderToolCalls(reply: ToolCallsBehaviour, context: ExchangeContext): RenderedReply {
  const renderer = new GeminiReplyRenderer(context);
  const thoughts = thoughtChunks(reply.reasoning);
  const texts = (reply.text ? splitText(reply.text) : []).map((piece, index): Part[] => [
    signed({ text: piece }, index === 0 ? reply.reasoningSignature : undefined),
  ]);
  const callParts = reply.calls.map((call): Part => {
    const functionCall: Record<string, unknown> = { name: call.name, args: parseArgs(call.arguments) };
    if (call.id !== undefined) functionCall.id = call.id;
    return signed({ functionCall }, call.signature);
  });
  const perChunk = Math.max(1, Math.floor(reply.callsPerChunk ?? 1));
  const callChunks: Part[][] = [];
  for (let index = 0; index < callParts.length; index += perChunk) callChunks.push(callParts.slice(index, index + perChunk));
  const allParts: Part[] = [];
  if (reply.reasoning) allParts.push({ text: reply.reasoning, thought: true });
  if (reply.text) allParts.push(signed({ text: reply.text }, reply.reasoningSignature));
  allParts.push(...callParts);
  const usage = renderer.usage(reply.usage, texts.length + callChunks.length, thoughts.length);
  return renderer.render([...thoughts, ...texts, ...callChunks], allParts, 'STOP', usage);
}

/** Words of `contents[].parts[].text` and `systemInstruction.parts[].text`. */
function promptWords(request: Record<string, unknown>): number {
  const contents = Array.isArray(request.contents) ? request.contents : [];
  const partsWords = (content: unknown): number => {
    if (!isRecord(content) || !Array.isArray(content.parts)) return 0;
    return content.parts.reduce<number>((total, part: unknown) => total + (isRecord(part) && typeof part.text === 'string' ? countWords(part.text) : 0), 0);
  };
  return partsWords(request.systemInstruction) + contents.reduce<number>((total, content: unknown) => total + partsWords(content), 0);
}

/** The GenerateContentRequest: the body itself, or Code Assist's `request` field. */
function generateRequestOf(pathname: string, body: unknown): Record<string, unknown> | undefined {
  if (!isRecord(body)) return undefined;
  if (!isCodeAssistPath(pathname)) return body;
  return isRecord(body.request) ? body.request : undefined;
}

const defaultPageSize = 50;
const pageTokenPrefix = 'mock-page-';

function pageOffset(token: string | null): number {
  if (!token) return 0;
  try {
    const match = new RegExp(`^${pageTokenPrefix}(\\d+)$`).exec(atob(token));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function modelResource(model: MockModel): Record<string, unknown> {
  const id = model.id.startsWith('models/') ? model.id.slice('models/'.length) : model.id;
  return {
    name: `models/${id}`,
    version: '001',
    displayName: model.displayName ?? id,
    description: `Mock model ${id}.`,
    inputTokenLimit: model.inputTokenLimit ?? 1_048_576,
    outputTokenLimit: model.outputTokenLimit ?? 65_536,
    supportedGenerationMethods: model.supportedGenerationMethods ?? ['generateContent', 'countTokens'],
    temperature: 1,
    topP: 0.95,
    topK: 64,
    maxTemperature: 2,
    thinking: true,
  };
}

/**
 * Gemini: the API-key backend (`/v1beta/models/{model}:generateContent` and `:streamGenerateContent?alt=sse`,
 * `GET /v1beta/models`; keys in `x-goog-api-key` or OAuth tokens in `Authorization: Bearer`) and the Code
 * Assist backend (`/v1internal:…`, Bearer only, `{ model, project, request }` bodies, `{ response }` answers,
 * `loadCodeAssist` / `onboardUser` / operations) on the same server.
 */
export const geminiDialect: UpstreamDialect = {
  name: 'gemini',
  basePath: '/v1beta',
  defaultModel: 'gemini-2.5-flash',
  streamContentType: 'text/event-stream',
  defaultStreamError: { type: 'UNAVAILABLE', message: 'The model is overloaded. Please try again later.' },

  route(method, pathname) {
    if (method === 'POST' && modelMethodPath.test(pathname)) return 'generate';
    if (method === 'GET' && pathname === '/v1beta/models') return 'models';
    const codeAssist = codeAssistMethodPath.exec(pathname);
    if (method === 'POST' && codeAssist) {
      return codeAssist[1] === 'generateContent' || codeAssist[1] === 'streamGenerateContent' ? 'generate' : 'control';
    }
    if (method === 'GET' && operationPath.test(pathname)) return 'control';
    return undefined;
  },

  readSecret(headers, url) {
    if (isCodeAssistPath(url.pathname)) return bearerToken(headers);
    const key = header(headers, 'x-goog-api-key')?.trim();
    return key ? key : bearerToken(headers);
  },

  refuse(request) {
    const { url, headers } = request;
    if (url.searchParams.has('key')) {
      return googleError(400, 'mock upstream: an API key in the URL (key=) is refused: send it in the x-goog-api-key header.');
    }
    const codeAssist = isCodeAssistPath(url.pathname);
    if (codeAssist && header(headers, 'x-goog-api-key') !== undefined && bearerToken(headers) === undefined) {
      return googleError(
        401,
        'API keys are not supported by this API. Expected OAuth2 access token or other authentication credentials that assert a principal.',
      );
    }
    if (request.route !== 'generate') return undefined;
    if (isStreamPath(url.pathname) && url.searchParams.get('alt') !== 'sse') {
      return googleError(400, 'mock upstream: streamGenerateContent is served as server-sent events only: add alt=sse to the URL.');
    }
    if (!isRecord(request.body)) return undefined;
    if (codeAssist && (typeof request.body.model !== 'string' || request.body.model === '')) {
      return googleError(400, 'Invalid request: model is required.');
    }
    const generateRequest = generateRequestOf(url.pathname, request.body);
    if (!generateRequest || !Array.isArray(generateRequest.contents) || generateRequest.contents.length === 0) {
      return googleError(400, '* GenerateContentRequest.contents: contents is not specified\n');
    }
    return undefined;
  },

  createSession({ credentials, options }) {
    return createCodeAssistSession({ credentials, options: options.codeAssist ?? {} });
  },

  describeRequest(body, url): RequestDescription {
    const description: RequestDescription = { stream: isStreamPath(url.pathname), includeUsage: false, inputTokens: 0 };
    const generateRequest = generateRequestOf(url.pathname, body);
    if (generateRequest) description.inputTokens = promptWords(generateRequest);
    const model = isCodeAssistPath(url.pathname)
      ? isRecord(body) && typeof body.model === 'string'
        ? body.model
        : undefined
      : modelMethodPath.exec(url.pathname)?.[1];
    if (model) description.model = decodeURIComponent(model);
    return description;
  },

  renderReply(reply, context) {
    return reply.kind === 'text' ? renderText(reply, context) : renderToolCalls(reply, context);
  },

  renderError: renderGeminiError,

  renderErrorBody(error: StreamErrorDescription) {
    const code = error.code !== undefined && Number.isFinite(Number(error.code)) ? Number(error.code) : httpStatusOf(error.type);
    return googleErrorBody(code, error.type, error.message);
  },

  renderStreamError(error, context) {
    return sseFrame(this.renderErrorBody(error, context));
  },

  renderMalformedFrame(context) {
    const wrapper = isCodeAssistPath(context.pathname) ? '{"response":' : '';
    return `data: ${wrapper}{"candidates":[{"content":{"parts":[{"text":"trunc\r\n\r\n`;
  },

  renderModels(models, context) {
    const requested = Number.parseInt(context.searchParams.get('pageSize') ?? '', 10);
    const pageSize = Number.isFinite(requested) && requested > 0 ? Math.min(1000, requested) : defaultPageSize;
    const offset = pageOffset(context.searchParams.get('pageToken'));
    const page = models.slice(offset, offset + pageSize);
    const body: Record<string, unknown> = { models: page.map(modelResource) };
    if (offset + pageSize < models.length) body.nextPageToken = btoa(`${pageTokenPrefix}${offset + pageSize}`);
    return body;
  },
};
