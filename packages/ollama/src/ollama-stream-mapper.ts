import { KitError, type FinishReason, type ServerTimings, type ToolCall, type Usage } from '@kit/core';
import { parseStreamChunk, type EmitEvent, type RequestContext, type StreamMapper } from '@kit/core/provider-utils';
import { ollamaStreamError } from './ollama-errors';
import { fieldsOf } from './wire';

/** Ollama's timings of one answer, in milliseconds (the wire sends nanoseconds). */
export interface OllamaDurations {
  totalMs?: number;
  loadMs?: number;
  promptEvalMs?: number;
  evalMs?: number;
}

const count = (value: unknown) => (typeof value === 'number' && value > 0 ? value : 0);
const nanosecondsToMs = (value: unknown) => (typeof value === 'number' && value >= 0 ? value / 1e6 : undefined);

/** `prompt_eval_count` / `eval_count` of a final (`done: true`) object as a `Usage`. */
export function mapOllamaUsage(final: Record<string, unknown>): Usage {
  const inputTokens = count(final.prompt_eval_count);
  const outputTokens = count(final.eval_count);
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
}

/**
 * The durations of a final (`done: true`) object (`total_duration`, `load_duration`, `prompt_eval_duration`,
 * `eval_duration`, all nanoseconds) in milliseconds; absent fields stay absent.
 */
export function readOllamaDurations(final: unknown): OllamaDurations {
  const fields = fieldsOf(final);
  const durations: OllamaDurations = {};
  const total = nanosecondsToMs(fields.total_duration);
  const load = nanosecondsToMs(fields.load_duration);
  const promptEval = nanosecondsToMs(fields.prompt_eval_duration);
  const evaluation = nanosecondsToMs(fields.eval_duration);
  if (total !== undefined) durations.totalMs = total;
  if (load !== undefined) durations.loadMs = load;
  if (promptEval !== undefined) durations.promptEvalMs = promptEval;
  if (evaluation !== undefined) durations.evalMs = evaluation;
  return durations;
}

/** Ollama's durations in core's terms (`ChatCompletion.serverTimings`, and tokens per second in metrics); none → undefined. */
export function ollamaServerTimings(durations: OllamaDurations): ServerTimings | undefined {
  const timings: ServerTimings = {};
  if (durations.totalMs !== undefined) timings.totalMs = durations.totalMs;
  if (durations.loadMs !== undefined) timings.loadMs = durations.loadMs;
  if (durations.promptEvalMs !== undefined) timings.promptMs = durations.promptEvalMs;
  if (durations.evalMs !== undefined) timings.generationMs = durations.evalMs;
  return Object.keys(timings).length > 0 ? timings : undefined;
}

/**
 * `done_reason` as a `FinishReason`: `length` → `length`; `stop` → `stop`, or `tool-calls` when the answer called
 * tools (Ollama says `stop` then too); anything else (`load`, `unload`, a newer reason) → `other`.
 */
export function mapOllamaFinishReason(reason: unknown, calledTools: boolean): FinishReason {
  if (reason === 'length') return 'length';
  if (calledTools) return 'tool-calls';
  return reason === 'stop' || reason === undefined ? 'stop' : 'other';
}

let generatedIds = 0;

/** The Ollama stream mapper; `chunk` takes one parsed NDJSON object (or a whole `stream: false` answer). */
export interface OllamaChunkMapper extends StreamMapper {
  chunk(json: unknown, emit: EmitEvent): void;
}

/**
 * Maps one `POST /api/chat` NDJSON stream (or, via `chunk`, one `stream: false` answer) to `StreamEvent`s:
 * `message.thinking` → `reasoning-delta`, `message.content` → `text-delta`, each `message.tool_calls[]` entry (whole,
 * its `arguments` an object) → a `tool-call-delta` and a `tool-call` whose `arguments` is that object serialised
 * once with `JSON.stringify` (an id is made up when Ollama sends none). The object with `done: true` carries
 * `done_reason` and the counts; `finish` is emitted at `end()`. A line `{"error": …}` throws its `KitError`; a stream
 * that ends without `done: true` emits no `finish`, so core reports it as truncated.
 */
export function createOllamaStreamMapper(context: RequestContext): OllamaChunkMapper {
  let started = false;
  let final: Record<string, unknown> | undefined;
  let calls = 0;

  function chunk(json: unknown, emit: EmitEvent): void {
    const wire = fieldsOf(json);
    if (wire.error != null) throw ollamaStreamError(wire, context);
    if (!started) {
      started = true;
      emit({ type: 'start', model: typeof wire.model === 'string' && wire.model ? wire.model : context.model });
    }
    const message = fieldsOf(wire.message);
    if (typeof message.thinking === 'string' && message.thinking !== '') emit({ type: 'reasoning-delta', text: message.thinking });
    if (typeof message.content === 'string' && message.content !== '') emit({ type: 'text-delta', text: message.content });
    if (Array.isArray(message.tool_calls)) {
      for (const entry of message.tool_calls) {
        const call = fieldsOf(entry);
        const wireFunction = fieldsOf(call.function);
        if (typeof wireFunction.name !== 'string' || wireFunction.name === '') continue;
        const args = wireFunction.arguments;
        const toolCall: ToolCall = {
          id: typeof call.id === 'string' && call.id ? call.id : `call_ollama_${++generatedIds}`,
          name: wireFunction.name,
          // Objects are serialised here, once; a server that already sent text is taken at its word.
          arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}),
        };
        emit({ type: 'tool-call-delta', index: calls, id: toolCall.id, name: toolCall.name, argumentsDelta: toolCall.arguments });
        emit({ type: 'tool-call', toolCall });
        calls += 1;
      }
    }
    if (wire.done === true) final = wire;
  }

  return {
    chunk,
    push({ data }, emit) {
      const json = parseStreamChunk(data, context);
      if (json !== undefined) chunk(json, emit); // undefined: a blank line (the NDJSON framing drops those already)
    },
    end(emit) {
      if (!final) return; // truncated: core reports the missing finish
      const serverTimings = ollamaServerTimings(readOllamaDurations(final));
      emit({
        type: 'finish',
        finishReason: mapOllamaFinishReason(final.done_reason, calls > 0),
        usage: mapOllamaUsage(final),
        ...(serverTimings ? { serverTimings } : {}),
      });
    },
  };
}

/** Replays a `stream: false` answer as the events a stream would give. An `{"error": …}` body throws its `KitError`. */
export function parseOllamaResponse(body: unknown, context: RequestContext, emit: EmitEvent): void {
  const mapper = createOllamaStreamMapper(context);
  mapper.chunk(body, emit);
  if (fieldsOf(body).done !== true) {
    throw new KitError('invalid_response', `${context.provider}: the answer is not a finished chat response (no "done": true)`, {
      provider: context.provider,
      credentialId: context.credential.id,
    });
  }
  mapper.end(emit);
}
