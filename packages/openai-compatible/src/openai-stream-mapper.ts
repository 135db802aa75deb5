import {
  emptyUsage,
  KitError,
  ToolCallAccumulator,
  type EmitEvent,
  type FinishReason,
  type RequestContext,
  type StreamMapper,
  type Usage,
} from '@kit/core';
import { openAIErrorFromBody } from './openai-errors';
import { mapOpenAIFinishReason, mapOpenAIUsage } from './openai-finish';

// Wire shapes, read leniently: every field may be missing or null.
interface WireToolCall {
  index?: number | null;
  id?: string | null;
  function?: { name?: string | null; arguments?: unknown } | null;
}
interface WireDelta {
  content?: unknown;
  reasoning_content?: unknown;
  reasoning?: unknown;
  refusal?: unknown;
  tool_calls?: WireToolCall[] | null;
  function_call?: { name?: string | null; arguments?: unknown } | null;
}
/** One chat-completion chunk (streams) or, with `delta` holding the message, one whole completion. */
export interface OpenAIWireChunk {
  id?: string | null;
  model?: string | null;
  choices?: { index?: number | null; delta?: WireDelta | null; finish_reason?: string | null }[] | null;
  usage?: unknown;
  error?: unknown;
  object?: unknown;
  x_groq?: { usage?: unknown } | null;
}

/** Maps parsed chat-completion chunks to events; the state machine behind the SSE mapper and `parseResponse`. */
export interface OpenAIChunkMapper {
  chunk(json: OpenAIWireChunk, emit: EmitEvent): void;
  /** Emits pending tool calls and `finish` — unless the answer looks truncated and `complete` is not set. */
  end(emit: EmitEvent, complete?: boolean): void;
}

export function createOpenAIChunkMapper(context: RequestContext): OpenAIChunkMapper {
  const toolCalls = new ToolCallAccumulator();
  const indexById = new Map<string, number>();
  let started = false;
  let finishReason: FinishReason | undefined;
  let usage: Usage | undefined;
  let refused = false;
  let produced = false;
  let lastToolIndex = 0;

  function addToolCall(call: WireToolCall, emit: EmitEvent): void {
    // Servers that omit `index` send each new call with its id and its continuation pieces without one.
    const index = typeof call.index === 'number' ? call.index : call.id ? (indexById.get(call.id) ?? indexById.size) : lastToolIndex;
    if (call.id && !indexById.has(call.id)) indexById.set(call.id, index);
    lastToolIndex = index;
    const args = call.function?.arguments;
    toolCalls.add(
      index,
      {
        id: call.id ?? undefined,
        name: call.function?.name ?? undefined,
        argumentsDelta: typeof args === 'string' ? args : args == null ? '' : JSON.stringify(args),
      },
      emit,
    );
    produced = true;
  }

  return {
    chunk(json, emit) {
      if (json.error != null || json.object === 'error') throw openAIErrorFromBody(json, context);
      if (!started) {
        started = true;
        emit({ type: 'start', id: json.id ?? undefined, model: json.model || context.model });
      }
      const usageObject = json.usage ?? json.x_groq?.usage;
      if (usageObject) usage = mapOpenAIUsage(usageObject);
      const choices = json.choices;
      const choice = choices && (choices.length === 1 ? choices[0] : (choices.find((item) => !item?.index) ?? choices[0]));
      if (!choice) return;
      const delta = choice.delta;
      if (delta) {
        const reasoning = delta.reasoning_content ?? delta.reasoning;
        if (typeof reasoning === 'string' && reasoning !== '') {
          emit({ type: 'reasoning-delta', text: reasoning });
          produced = true;
        }
        if (typeof delta.content === 'string' && delta.content !== '') {
          emit({ type: 'text-delta', text: delta.content });
          produced = true;
        }
        if (typeof delta.refusal === 'string' && delta.refusal !== '') {
          emit({ type: 'text-delta', text: delta.refusal });
          refused = true;
        }
        if (delta.tool_calls) for (const call of delta.tool_calls) addToolCall(call, emit);
        else if (delta.function_call) addToolCall({ index: 0, function: delta.function_call }, emit);
      }
      if (choice.finish_reason) finishReason = mapOpenAIFinishReason(choice.finish_reason);
    },

    end(emit, complete = false) {
      if (finishReason === undefined && !complete) return; // truncated: core reports the missing finish
      if (toolCalls.size > 0) toolCalls.flush(emit);
      emit({ type: 'finish', finishReason: refused && !produced ? 'content-filter' : (finishReason ?? 'other'), usage: usage ?? emptyUsage() });
    },
  };
}

/**
 * Maps one OpenAI chat-completions SSE stream to `StreamEvent`s. Text, reasoning (`reasoning_content` or
 * `reasoning`) and refusals are emitted as they arrive; tool calls are assembled by `index`; the complete
 * tool calls and the single `finish` are emitted at `end()`, because usage arrives after the finish reason.
 *
 * A refusal is surfaced as text (so the caller can show it) and, when the model produced nothing else,
 * finishes with `content-filter`. `[DONE]` only marks the stream as complete; a stream that ends with
 * neither a finish reason nor `[DONE]` emits no `finish`, so core reports it as truncated.
 */
export function createOpenAIStreamMapper(context: RequestContext): StreamMapper {
  const mapper = createOpenAIChunkMapper(context);
  let done = false;
  return {
    push({ event, data }, emit) {
      if (data === '[DONE]') {
        done = true;
        return;
      }
      if (data.trim() === '') return;
      let json: OpenAIWireChunk | null = null;
      try {
        json = JSON.parse(data);
      } catch {
        // not JSON: an `event: error` may carry plain text
      }
      if (event === 'error') throw openAIErrorFromBody(json && typeof json === 'object' ? json : { error: data }, context);
      if (json === null || typeof json !== 'object') {
        throw new KitError('invalid_response', `${context.provider}: malformed JSON in the response stream: ${data.slice(0, 120)}`, {
          provider: context.provider,
          credentialId: context.credential.id,
        });
      }
      mapper.chunk(json, emit);
    },
    end: (emit) => mapper.end(emit, done),
  };
}
