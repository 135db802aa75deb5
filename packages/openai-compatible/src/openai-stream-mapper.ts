import {
  emptyUsage,
  KitError,
  ToolCallAccumulator,
  type EmitEvent,
  type FinishReason,
  type RequestContext,
  type StreamMapper,
  type Usage,
  type WireChunk,
} from '@kit/core';
import { openAIErrorFromBody } from './openai-errors';
import { mapOpenAIFinishReason, mapOpenAIUsage } from './openai-finish';

// Wire shapes, read leniently: every field may be missing or null.
interface WireToolCallDelta {
  index?: number | null;
  id?: string | null;
  function?: { name?: string | null; arguments?: string | null } | null;
}
interface WireDelta {
  content?: unknown;
  reasoning_content?: unknown;
  reasoning?: unknown;
  refusal?: unknown;
  tool_calls?: WireToolCallDelta[] | null;
  function_call?: { name?: string | null; arguments?: string | null } | null;
}
interface WireChoice {
  index?: number | null;
  delta?: WireDelta | null;
  finish_reason?: string | null;
}
interface WireStreamChunk {
  id?: string | null;
  model?: string | null;
  choices?: WireChoice[] | null;
  usage?: unknown;
  error?: unknown;
  object?: unknown;
  x_groq?: { usage?: unknown } | null;
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
  const toolCalls = new ToolCallAccumulator();
  const indexById = new Map<string, number>();
  let started = false;
  let done = false;
  let finishReason: FinishReason | undefined;
  let usage: Usage | undefined;
  let refused = false;
  let produced = false;
  let lastToolIndex = -1;

  function addToolCall(call: WireToolCallDelta, emit: EmitEvent): void {
    // Servers that omit `index` send each new call with its id and its continuation pieces without one.
    const index =
      typeof call.index === 'number' ? call.index : call.id ? (indexById.get(call.id) ?? indexById.size) : Math.max(lastToolIndex, 0);
    if (call.id && !indexById.has(call.id)) indexById.set(call.id, index);
    lastToolIndex = index;
    const piece: { id?: string; name?: string; argumentsDelta?: string } = {};
    if (call.id) piece.id = call.id;
    const fn = call.function;
    if (fn) {
      if (fn.name) piece.name = fn.name;
      if (typeof fn.arguments === 'string') piece.argumentsDelta = fn.arguments;
      else if (fn.arguments != null) piece.argumentsDelta = JSON.stringify(fn.arguments);
    }
    toolCalls.add(index, piece, emit);
    produced = true;
  }

  return {
    push(chunk: WireChunk, emit: EmitEvent): void {
      const data = chunk.data;
      if (data === '[DONE]') {
        done = true;
        return;
      }
      if (data === '' || (data.charCodeAt(0) <= 32 && data.trim() === '')) return;
      let json: WireStreamChunk;
      try {
        json = JSON.parse(data) as WireStreamChunk;
      } catch {
        throw new KitError('invalid_response', `${context.provider}: malformed JSON in the response stream: ${data.slice(0, 120)}`, {
          provider: context.provider,
          credentialId: context.credential.id,
        });
      }
      if (json === null || typeof json !== 'object') {
        throw new KitError('invalid_response', `${context.provider}: unexpected stream chunk: ${data.slice(0, 120)}`, {
          provider: context.provider,
          credentialId: context.credential.id,
        });
      }
      if (json.error != null || json.object === 'error' || chunk.event === 'error') throw openAIErrorFromBody(json, context);
      if (!started) {
        started = true;
        emit({ type: 'start', id: json.id ?? undefined, model: json.model || context.model });
      }
      if (json.usage) usage = mapOpenAIUsage(json.usage);
      else if (json.x_groq?.usage) usage = mapOpenAIUsage(json.x_groq.usage);
      const choices = json.choices;
      if (!choices || choices.length === 0) return;
      const choice = choices.length === 1 ? choices[0] : (choices.find((item) => !item.index) ?? choices[0]);
      if (!choice) return;
      const delta = choice.delta;
      if (delta) {
        const reasoning = delta.reasoning_content ?? delta.reasoning;
        if (typeof reasoning === 'string' && reasoning !== '') {
          emit({ type: 'reasoning-delta', text: reasoning });
          produced = true;
        }
        const content = delta.content;
        if (typeof content === 'string' && content !== '') {
          emit({ type: 'text-delta', text: content });
          produced = true;
        }
        const refusal = delta.refusal;
        if (typeof refusal === 'string' && refusal !== '') {
          emit({ type: 'text-delta', text: refusal });
          refused = true;
        }
        const calls = delta.tool_calls;
        if (calls) for (const call of calls) addToolCall(call, emit);
        else if (delta.function_call) addToolCall({ index: 0, function: delta.function_call }, emit);
      }
      if (choice.finish_reason) finishReason = mapOpenAIFinishReason(choice.finish_reason);
    },

    end(emit: EmitEvent): void {
      if (finishReason === undefined && !done) return; // truncated: core reports the missing finish
      if (toolCalls.size > 0) toolCalls.flush(emit);
      let reason = finishReason ?? 'other';
      if (refused && !produced) reason = 'content-filter';
      emit({ type: 'finish', finishReason: reason, usage: usage ?? emptyUsage() });
    },
  };
}
