import type { Usage } from '@kit/core';
import type { EmitEvent, ProviderDefinition } from '@kit/core/provider-utils';

/**
 * How an OpenAI-compatible service counts the tokens of its `usage` object, where it departs from OpenAI's rule
 * (`completion_tokens` includes `completion_tokens_details.reasoning_tokens`). Whatever the service, \@kit reports
 * `usage.outputTokens` as every token generated, reasoning included.
 */
export interface UsageCounting {
  /**
   * `false` for services whose `completion_tokens` leaves the reasoning tokens out (xAI: they are counted only in
   * `completion_tokens_details.reasoning_tokens` and `total_tokens`): \@kit adds them to `outputTokens`. Default `true`.
   */
  outputIncludesReasoning?: boolean;
}

/** A usage whose `outputTokens` left out the reasoning tokens, with them counted in (and in `totalTokens` if missing). */
export function countReasoningAsOutput(usage: Usage): Usage {
  const outputTokens = usage.outputTokens + (usage.reasoningTokens ?? 0);
  return { ...usage, outputTokens, totalTokens: Math.max(usage.totalTokens, usage.inputTokens + outputTokens) };
}

/**
 * The definition with its `finish` usage counted by `counting`, streamed and non-streamed answers alike; the
 * definition itself when the service counts as OpenAI does. (A wrapper, so the OpenAI path carries none of it.)
 */
export function withUsageCounting(definition: ProviderDefinition, counting: UsageCounting | undefined): ProviderDefinition {
  if (counting?.outputIncludesReasoning !== false) return definition;
  const { chat } = definition;
  const counted =
    (emit: EmitEvent): EmitEvent =>
    (event) =>
      emit(event.type === 'finish' ? { ...event, usage: countReasoningAsOutput(event.usage) } : event);
  return {
    ...definition,
    chat: {
      ...chat,
      createStreamMapper(context) {
        const mapper = chat.createStreamMapper(context);
        return { push: (chunk, emit) => mapper.push(chunk, counted(emit)), end: (emit) => mapper.end(counted(emit)) };
      },
      parseResponse: (body, context, emit) => chat.parseResponse(body, context, counted(emit)),
    },
  };
}
