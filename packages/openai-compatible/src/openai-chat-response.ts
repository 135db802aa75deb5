import type { EmitEvent, RequestContext } from '@kit/core/provider-utils';
import { createOpenAIStreamMapper, type OpenAIWireChunk } from './openai-stream-mapper';

/**
 * Replays a non-streaming chat completion as the events a stream would give: `start`, reasoning, text,
 * tool-call deltas and calls, `finish` — through the stream's state machine, each message read as one big delta.
 * An error body throws its classified `KitError`; a body without `choices` throws `invalid_response`.
 */
export function parseOpenAIChatResponse(body: unknown, context: RequestContext, emit: EmitEvent): void {
  const mapper = createOpenAIStreamMapper(context, true);
  mapper.chunk(Object(body) as OpenAIWireChunk, emit); // `Object()`: any body, even `null` or text, reads as fields
  mapper.end(emit);
}
