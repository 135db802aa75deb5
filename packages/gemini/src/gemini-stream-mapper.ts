import type { FinishReason, Usage } from '@kit/core';
import { parseStreamChunk, type EmitEvent, type RequestContext, type StreamMapper } from '@kit/core/provider-utils';
import { syntheticCallId } from './gemini-call-id';
import { geminiErrorFromBody } from './gemini-errors';

// Wire shapes, read leniently: every field may be missing or null.
interface WirePart {
  text?: unknown;
  thought?: unknown;
  thoughtSignature?: unknown;
  functionCall?: { id?: unknown; name?: unknown; args?: unknown } | null;
}
interface WireResponse {
  responseId?: unknown;
  modelVersion?: unknown;
  candidates?: { content?: { parts?: WirePart[] | null } | null; finishReason?: unknown }[] | null;
  promptFeedback?: { blockReason?: unknown } | null;
  usageMetadata?: Record<string, unknown> | null;
  /** Code Assist wraps the response. */
  response?: unknown;
  error?: unknown;
}

/** The Gemini stream mapper; `chunk` takes one parsed `GenerateContentResponse` (Code Assist's wrapper too). */
export interface GeminiChunkMapper extends StreamMapper {
  chunk(json: unknown, emit: EmitEvent): void;
}

const count = (value: unknown) => (typeof value === 'number' && value > 0 ? value : 0);

/**
 * Gemini's `usageMetadata` as a `Usage`. Thinking tokens are output tokens (Gemini bills them so) and are also
 * reported as `reasoningTokens`; cached prompt tokens are part of the input and reported as `cachedInputTokens`.
 */
export function mapGeminiUsage(metadata: Record<string, unknown>): Usage {
  const inputTokens = count(metadata.promptTokenCount) + count(metadata.toolUsePromptTokenCount);
  const reasoningTokens = count(metadata.thoughtsTokenCount);
  const outputTokens = count(metadata.candidatesTokenCount) + reasoningTokens;
  const usage: Usage = { inputTokens, outputTokens, totalTokens: count(metadata.totalTokenCount) || inputTokens + outputTokens };
  if (metadata.cachedContentTokenCount !== undefined) usage.cachedInputTokens = count(metadata.cachedContentTokenCount);
  if (metadata.thoughtsTokenCount !== undefined) usage.reasoningTokens = reasoningTokens;
  return usage;
}

/**
 * Gemini's finish reason as a `FinishReason`: `MAX_TOKENS` → `length`; safety, recitation, prohibited content,
 * block lists and personal data (`SPII`) → `content-filter`; malformed or unexpected tool calls → `error`;
 * `STOP` after function calls → `tool-calls`.
 */
export function mapGeminiFinishReason(reason: string | undefined, calledTools: boolean): FinishReason {
  if (reason === 'MAX_TOKENS') return 'length';
  if (/SAFETY|RECITATION|PROHIBITED|BLOCKLIST|SPII/.test(reason ?? '')) return 'content-filter';
  if (/TOOL_CALL|FUNCTION_CALL/.test(reason ?? '')) return 'error';
  return calledTools ? 'tool-calls' : reason === 'STOP' ? 'stop' : 'other';
}

/**
 * Maps one Gemini `streamGenerateContent?alt=sse` stream (or, with `whole`, one `generateContent` answer) to
 * `StreamEvent`s. Thought parts become `reasoning-delta`, text `text-delta`; each `functionCall` part is a whole
 * call, emitted at once as a `tool-call-delta` and a `tool-call` (with a synthesized id when Gemini sent none).
 *
 * `thoughtSignature`s are kept for replay: the one on the first function call, else the last one seen, is emitted
 * once at the end as a `reasoning-delta` with empty text and that `signature` (so the assembled message carries it
 * in its reasoning part). The single `finish` comes at `end()`, with the last `usageMetadata`; a prompt blocked by
 * `promptFeedback.blockReason` finishes with `content-filter`. A stream that ends without a finish reason emits no
 * `finish`, so core reports it as truncated.
 */
export function createGeminiStreamMapper(context: RequestContext, whole = false): GeminiChunkMapper {
  let started = false;
  let finishReason: string | undefined;
  let blocked = false;
  let usage: Usage | undefined;
  let calls = 0;
  let callSignature: string | undefined;
  let lastSignature: string | undefined;

  function chunk(json: unknown, emit: EmitEvent): void {
    const wire = Object(json) as WireResponse;
    if (wire.error != null) throw geminiErrorFromBody(wire, context);
    const response = (wire.response && typeof wire.response === 'object' ? wire.response : wire) as WireResponse;
    if (!started) {
      started = true;
      const id = typeof response.responseId === 'string' ? response.responseId : undefined;
      emit({ type: 'start', id, model: typeof response.modelVersion === 'string' && response.modelVersion ? response.modelVersion : context.model });
    }
    if (response.usageMetadata) usage = mapGeminiUsage(response.usageMetadata);
    if (response.promptFeedback?.blockReason) blocked = true;
    const candidate = response.candidates?.[0];
    for (const part of candidate?.content?.parts ?? []) {
      const call = part?.functionCall;
      if (typeof part?.thoughtSignature === 'string' && part.thoughtSignature) {
        if (call && !callSignature) callSignature = part.thoughtSignature;
        lastSignature = part.thoughtSignature;
      }
      if (typeof part?.text === 'string' && part.text !== '') emit({ type: part.thought === true ? 'reasoning-delta' : 'text-delta', text: part.text });
      if (call && typeof call.name === 'string') {
        const toolCall = {
          id: typeof call.id === 'string' && call.id ? call.id : syntheticCallId(),
          name: call.name,
          arguments: JSON.stringify(call.args ?? {}),
        };
        emit({ type: 'tool-call-delta', index: calls, id: toolCall.id, name: toolCall.name, argumentsDelta: toolCall.arguments });
        emit({ type: 'tool-call', toolCall });
        calls += 1;
      }
    }
    if (typeof candidate?.finishReason === 'string') finishReason = candidate.finishReason;
  }

  return {
    chunk,
    push({ data }, emit) {
      const json = parseStreamChunk(data, context);
      if (json !== undefined) chunk(json, emit); // undefined: a blank data line
    },
    end(emit) {
      if (finishReason === undefined && !blocked && !whole) return; // truncated: core reports the missing finish
      const signature = callSignature ?? lastSignature;
      if (signature) emit({ type: 'reasoning-delta', text: '', signature });
      emit({
        type: 'finish',
        finishReason: blocked && calls === 0 && finishReason === undefined ? 'content-filter' : mapGeminiFinishReason(finishReason, calls > 0),
        usage: usage ?? { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
      });
    },
  };
}

/**
 * Replays a `generateContent` answer (or Code Assist's `{ response }`) as the events a stream would give. An error
 * body throws its classified `KitError`.
 */
export function parseGeminiResponse(body: unknown, context: RequestContext, emit: EmitEvent): void {
  const mapper = createGeminiStreamMapper(context, true);
  mapper.chunk(body, emit);
  mapper.end(emit);
}
