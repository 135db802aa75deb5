import { KitError, type EmitEvent, type RequestContext } from '@kit/core';
import { openAIErrorFromBody, openAIErrorObject } from './openai-errors';
import { createOpenAIChunkMapper, type OpenAIWireChunk } from './openai-stream-mapper';

type WireMessage = { tool_calls?: unknown[] | null } & Record<string, unknown>;

/**
 * Replays a non-streaming chat completion as the events a stream would give: `start`, reasoning, text,
 * tool-call deltas and calls, `finish` — through the same mapper, each message read as one big delta.
 */
export function parseOpenAIChatResponse(body: unknown, context: RequestContext, emit: EmitEvent): void {
  if (openAIErrorObject(body)) throw openAIErrorFromBody(body, context);
  const response = body as { choices?: { message?: WireMessage | null }[] } | null;
  if (!Array.isArray(response?.choices)) {
    throw new KitError('invalid_response', `${context.provider}: the response has no "choices"`, {
      provider: context.provider,
      credentialId: context.credential.id,
    });
  }
  const choices = response.choices.map((choice) => {
    const message = choice?.message;
    // Whole calls carry no `index`: their position is it.
    const delta = message?.tool_calls ? { ...message, tool_calls: message.tool_calls.map((call, index) => ({ ...(call as object), index })) } : message;
    return { ...choice, delta };
  });
  const mapper = createOpenAIChunkMapper(context);
  mapper.chunk({ ...(response as OpenAIWireChunk), choices: choices as OpenAIWireChunk['choices'] }, emit);
  mapper.end(emit, true);
}
