import { KitError, ToolCallAccumulator, type EmitEvent, type RequestContext } from '@kit/core';
import { openAIErrorFromBody, openAIErrorObject } from './openai-errors';
import { mapOpenAIFinishReason, mapOpenAIUsage } from './openai-finish';

interface WireMessage {
  content?: unknown;
  reasoning_content?: unknown;
  reasoning?: unknown;
  refusal?: unknown;
  tool_calls?: { id?: string | null; function?: { name?: string | null; arguments?: unknown } | null }[] | null;
  function_call?: { name?: string | null; arguments?: unknown } | null;
}

/**
 * Replays a non-streaming chat completion as the events a stream would give: `start`, reasoning, text,
 * tool-call deltas and calls, `finish`. A refusal becomes text and, with no other content, `content-filter`.
 */
export function parseOpenAIChatResponse(body: unknown, context: RequestContext, emit: EmitEvent): void {
  if (openAIErrorObject(body)) throw openAIErrorFromBody(body, context);
  const response = body as { id?: string | null; model?: string | null; choices?: unknown; usage?: unknown } | null;
  if (!response || typeof response !== 'object' || !Array.isArray(response.choices)) {
    throw new KitError('invalid_response', `${context.provider}: the response has no "choices"`, {
      provider: context.provider,
      credentialId: context.credential.id,
    });
  }
  const choices = response.choices as { index?: number | null; message?: WireMessage | null; finish_reason?: string | null }[];
  const choice = choices.find((item) => item && !item.index) ?? choices[0];
  const message: WireMessage = choice?.message ?? {};
  emit({ type: 'start', id: response.id ?? undefined, model: response.model || context.model });
  let produced = false;
  const reasoning = message.reasoning_content ?? message.reasoning;
  if (typeof reasoning === 'string' && reasoning !== '') {
    emit({ type: 'reasoning-delta', text: reasoning });
    produced = true;
  }
  if (typeof message.content === 'string' && message.content !== '') {
    emit({ type: 'text-delta', text: message.content });
    produced = true;
  }
  const refused = typeof message.refusal === 'string' && message.refusal !== '';
  if (refused) emit({ type: 'text-delta', text: message.refusal as string });
  const calls = message.tool_calls ?? (message.function_call ? [{ function: message.function_call }] : undefined);
  if (calls && calls.length > 0) {
    const accumulator = new ToolCallAccumulator();
    calls.forEach((call, index) => {
      const args = call?.function?.arguments;
      const piece: { id?: string; name?: string; argumentsDelta: string } = {
        argumentsDelta: typeof args === 'string' ? args : args == null ? '' : JSON.stringify(args),
      };
      if (call?.id) piece.id = call.id;
      if (call?.function?.name) piece.name = call.function.name;
      accumulator.add(index, piece, emit);
    });
    accumulator.flush(emit);
    produced = true;
  }
  const finishReason = refused && !produced ? 'content-filter' : mapOpenAIFinishReason(choice?.finish_reason);
  emit({ type: 'finish', finishReason, usage: mapOpenAIUsage(response.usage) });
}
