import { KitError, type FinishReason, type Usage } from '@kit/core';
import {
  compact,
  ToolCallAccumulator,
  malformedStreamChunk,
  parseStreamData,
  signatureSegment,
  type EmitEvent,
  type RequestContext,
  type StreamMapper,
} from '@kit/core/provider-utils';
import { anthropicStreamError } from './anthropic-errors';
import { REDACTED_THINKING } from './convert-to-anthropic-messages';
import { fieldsOf } from './wire';

/** One Messages API stream event, read leniently: every field may be missing or null. */
export interface AnthropicWireEvent {
  type?: unknown;
  message?: unknown;
  index?: unknown;
  content_block?: unknown;
  delta?: unknown;
  usage?: unknown;
  error?: unknown;
}

/** The stream mapper; `event` takes one parsed event (`parseAnthropicResponse` feeds it a whole message as events). */
export interface AnthropicEventMapper extends StreamMapper {
  event(json: AnthropicWireEvent, emit: EmitEvent, type?: unknown): void;
}

const finishReasons: Readonly<Record<string, FinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool-calls',
  refusal: 'content-filter',
};

/** Anthropic's `stop_reason` as a `FinishReason`; `pause_turn` and unknown reasons are `other`. */
export function mapAnthropicFinishReason(reason: unknown): FinishReason {
  return finishReasons[reason as string] ?? 'other';
}

/**
 * Anthropic's usage as a `Usage`. `input_tokens` excludes the prompt tokens read from or written to the cache, so
 * `inputTokens` adds them back (every prompt token, as other providers count them); `cachedInputTokens` is the
 * cache reads (`cache_read_input_tokens`) and `cacheWriteInputTokens` the cache writes
 * (`cache_creation_input_tokens`, billed above the input price).
 */
export function mapAnthropicUsage(raw: unknown): Usage {
  const usage = fieldsOf(raw);
  const count = (field: string) => (Number.isFinite(usage[field]) ? (usage[field] as number) : undefined);
  const cacheRead = count('cache_read_input_tokens');
  const cacheWrite = count('cache_creation_input_tokens');
  const inputTokens = (count('input_tokens') ?? 0) + (cacheRead ?? 0) + (cacheWrite ?? 0);
  const outputTokens = count('output_tokens') ?? 0;
  return compact({ inputTokens, outputTokens, totalTokens: inputTokens + outputTokens, cachedInputTokens: cacheRead, cacheWriteInputTokens: cacheWrite });
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/**
 * Maps one Messages API SSE stream to `StreamEvent`s: `message_start` gives the id, model and input usage; text,
 * thinking (`reasoning-delta`, with its `signature`) and `redacted_thinking` blocks (a `reasoning-delta` whose
 * signature carries the data, see `REDACTED_THINKING_PREFIX`) are emitted as they arrive; a `tool_use` block's
 * `input_json_delta` pieces are accumulated and emitted as one `tool-call` when the block stops (empty input is
 * `{}`); `message_delta` gives the stop reason and output usage; `finish` comes at the end. `ping`, unknown events,
 * unknown blocks and unknown deltas are ignored; an `error` event throws its `KitError` (`server_error` for
 * `overloaded_error` and `api_error`). A stream that ends with neither `message_stop` nor a stop reason emits no
 * `finish`, so core reports it as truncated.
 */
export function createAnthropicStreamMapper(context: RequestContext): AnthropicEventMapper {
  const toolCalls = new ToolCallAccumulator();
  // Block index → tool-call index (0, 1, … among the answer's tool calls).
  const toolIndexes = new Map<number, number>();
  const usage: Record<string, unknown> = {};
  let started = false;
  let stopped = false;
  let finishReason: FinishReason | undefined;

  const readUsage = (raw: unknown) => {
    const fields = fieldsOf(raw);
    // A later event's counts replace the earlier ones; missing or null counts keep them.
    for (const field in fields) if (Number.isFinite(fields[field])) usage[field] = fields[field];
  };
  const reasoning = (thinking: string, signature: string, emit: EmitEvent) => {
    if (thinking || signature) emit(signature ? { type: 'reasoning-delta', text: thinking, signature } : { type: 'reasoning-delta', text: thinking });
  };
  const start = (emit: EmitEvent, message: Record<string, unknown> = {}) => {
    if (started) return;
    started = true;
    emit({ type: 'start', id: typeof message.id === 'string' ? message.id : undefined, model: text(message.model) || context.model });
  };

  function event(json: AnthropicWireEvent, emit: EmitEvent, type: unknown = json.type): void {
    if (type === 'error') throw anthropicStreamError(json, context);
    const index = Number(json.index);
    if (type === 'message_start') {
      const message = fieldsOf(json.message);
      start(emit, message);
      readUsage(message.usage);
      return;
    }
    if (typeof type !== 'string' || !/^(content_block|message)_/.test(type)) return;
    start(emit);
    if (type === 'content_block_start') {
      const block = fieldsOf(json.content_block);
      if (block.type === 'text' && text(block.text)) emit({ type: 'text-delta', text: text(block.text) });
      else if (block.type === 'thinking') reasoning(text(block.thinking), text(block.signature), emit);
      else if (block.type === 'redacted_thinking') reasoning('', signatureSegment(REDACTED_THINKING, text(block.data)), emit);
      else if (block.type === 'tool_use') {
        const toolIndex = toolIndexes.size;
        toolIndexes.set(index, toolIndex);
        // Streams start with `input: {}` and send the input as `input_json_delta`; a whole message has it here.
        const input = fieldsOf(block.input);
        toolCalls.add(
          toolIndex,
          { id: text(block.id), name: text(block.name), argumentsDelta: Object.keys(input).length > 0 ? JSON.stringify(input) : '' },
          emit,
        );
      }
    } else if (type === 'content_block_delta') {
      const delta = fieldsOf(json.delta);
      if (delta.type === 'text_delta' && text(delta.text)) emit({ type: 'text-delta', text: text(delta.text) });
      else if (delta.type === 'thinking_delta') reasoning(text(delta.thinking), '', emit);
      else if (delta.type === 'signature_delta') reasoning('', text(delta.signature), emit);
      else if (delta.type === 'input_json_delta' && toolIndexes.has(index)) {
        toolCalls.add(toolIndexes.get(index) as number, { argumentsDelta: text(delta.partial_json) }, emit);
      }
    } else if (type === 'content_block_stop') {
      if (toolIndexes.has(index)) toolCalls.flush(emit);
    } else if (type === 'message_delta') {
      const reason = fieldsOf(json.delta).stop_reason;
      if (reason != null) finishReason = mapAnthropicFinishReason(reason);
      readUsage(json.usage);
    } else if (type === 'message_stop') {
      stopped = true;
    }
  }

  return {
    event,
    push({ event: name, data }, emit) {
      const json = parseStreamData(data);
      if (json === undefined) return; // a blank data line
      if (json && typeof json === 'object') event(json as AnthropicWireEvent, emit, name === 'error' ? name : ((json as AnthropicWireEvent).type ?? name));
      else if (name === 'error') throw anthropicStreamError({ error: { message: data } }, context);
      else throw malformedStreamChunk(data, context);
    },
    end(emit) {
      if (!stopped && finishReason === undefined) return; // truncated: core reports the missing finish
      toolCalls.flush(emit);
      emit({ type: 'finish', finishReason: finishReason ?? 'other', usage: mapAnthropicUsage(usage) });
    },
  };
}

/**
 * Replays a non-streaming Messages API answer (`{ id, model, content: [...], stop_reason, usage }`) as the events a
 * stream would give, through the stream's state machine: each content block is a `content_block_start` holding the
 * whole block. An error body throws its classified `KitError`; a body without `content` throws `invalid_response`.
 */
export function parseAnthropicResponse(body: unknown, context: RequestContext, emit: EmitEvent): void {
  const message = fieldsOf(body);
  if (message.type === 'error' || message.error != null) throw anthropicStreamError(body, context);
  if (!Array.isArray(message.content)) {
    throw new KitError('invalid_response', `${context.provider}: the response has no "content"`, {
      provider: context.provider,
      credentialId: context.credential.id,
    });
  }
  const mapper = createAnthropicStreamMapper(context);
  mapper.event({ type: 'message_start', message }, emit);
  message.content.forEach((block: unknown, index: number) => {
    mapper.event({ type: 'content_block_start', index, content_block: block }, emit);
    mapper.event({ type: 'content_block_stop', index }, emit);
  });
  mapper.event({ type: 'message_delta', delta: { stop_reason: message.stop_reason } }, emit);
  mapper.event({ type: 'message_stop' }, emit);
  mapper.end(emit);
}
