import type { EmitEvent, RequestContext, StreamMapper } from '@kit/core/provider-utils';
import { createOpenAIStreamMapper, openAIErrorFromBody } from '@kit/openai-compatible';
import { emitReasoningDetails } from './openrouter-reasoning-details';

/** One chunk as the OpenAI dialect reads it. */
type OpenAIWireChunk = Parameters<ReturnType<typeof createOpenAIStreamMapper>['chunk']>[0];

// The OpenRouter additions to an OpenAI chunk, read leniently.
interface OpenRouterDelta {
  reasoning?: unknown;
  reasoning_content?: unknown;
  reasoning_details?: unknown;
}
interface OpenRouterChunk {
  error?: unknown;
  usage?: { cost?: unknown } | null;
  choices?: { delta?: OpenRouterDelta | null; message?: OpenRouterDelta | null; finish_reason?: unknown; error?: unknown }[] | null;
}

/** The OpenRouter stream mapper: `chunk` takes one parsed chunk (or, for `parseResponse`, one whole completion). */
export interface OpenRouterChunkMapper extends StreamMapper {
  chunk(json: object, emit: EmitEvent): void;
}

/**
 * The OpenAI dialect's mapper plus what OpenRouter sends beyond it: `reasoning_details` (signatures, and text when
 * no `reasoning` string came with it), `usage.cost` (into the finish's `usage.cost`), and a choice that finishes
 * with `finish_reason: "error"` — OpenRouter's way of failing a stream that already answered 200 — thrown as the
 * `KitError` its `error` object describes, after the chunk's own content. `: OPENROUTER PROCESSING` keep-alives are
 * SSE comments: core's framing never hands them over.
 */
export function createOpenRouterStreamMapper(context: RequestContext, whole = false): OpenRouterChunkMapper {
  const dialect = createOpenAIStreamMapper(context, whole);
  let cost: number | undefined;

  function chunk(json: OpenRouterChunk, emit: EmitEvent): void {
    dialect.chunk(json as OpenAIWireChunk, emit); // throws for a top-level `error`
    const reportedCost = json.usage?.cost;
    if (typeof reportedCost === 'number' && Number.isFinite(reportedCost) && reportedCost >= 0) cost = reportedCost;
    const choice = json.choices?.[0];
    const delta = whole ? choice?.message : choice?.delta;
    if (delta?.reasoning_details) {
      const reasoning = delta.reasoning_content ?? delta.reasoning;
      emitReasoningDetails(delta.reasoning_details, typeof reasoning === 'string' && reasoning !== '', emit);
    }
    if (choice?.finish_reason === 'error') {
      throw openAIErrorFromBody({ error: choice.error ?? { message: 'the upstream ended the answer with an error' } }, context);
    }
  }

  return {
    chunk,
    push(wireChunk, emit) {
      const { event, data } = wireChunk;
      // Only a JSON object is read here; `[DONE]`, `event: error` and malformed data go to the dialect as they are.
      let json: unknown;
      if (event !== 'error' && data.charCodeAt(0) === 123 /* { */) {
        try {
          json = JSON.parse(data);
        } catch {
          // malformed: the dialect reports it
        }
      }
      if (json && typeof json === 'object') chunk(json as OpenRouterChunk, emit);
      else dialect.push(wireChunk, emit);
    },
    end(emit) {
      dialect.end((event) => emit(event.type === 'finish' && cost !== undefined ? { ...event, usage: { ...event.usage, cost } } : event));
    },
  };
}

/** Replays a non-streaming OpenRouter completion as the events a stream would give (see the stream mapper). */
export function parseOpenRouterChatResponse(body: unknown, context: RequestContext, emit: EmitEvent): void {
  const mapper = createOpenRouterStreamMapper(context, true);
  mapper.chunk(Object(body), emit);
  mapper.end(emit);
}
