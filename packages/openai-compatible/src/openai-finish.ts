import type { FinishReason, Usage } from '@kit/core';

/** OpenAI's `finish_reason` as a `FinishReason`. */
export function mapOpenAIFinishReason(reason: unknown): FinishReason {
  switch (reason) {
    case 'stop':
    case 'end_turn':
      return 'stop';
    case 'length':
    case 'max_tokens':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    case 'content_filter':
      return 'content-filter';
    case 'error':
      return 'error';
    default:
      return 'other';
  }
}

const count = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** OpenAI's `usage` object as a `Usage`; nullish fields count as 0, unknown fields are ignored. */
export function mapOpenAIUsage(raw: unknown): Usage {
  const usage = (raw ?? {}) as Record<string, unknown>;
  const inputTokens = count(usage.prompt_tokens) ?? 0;
  const outputTokens = count(usage.completion_tokens) ?? 0;
  const result: Usage = { inputTokens, outputTokens, totalTokens: count(usage.total_tokens) ?? inputTokens + outputTokens };
  const promptDetails = usage.prompt_tokens_details as Record<string, unknown> | null | undefined;
  // DeepSeek reports cache hits at the top level instead.
  const cached = count(promptDetails?.cached_tokens) ?? count(usage.prompt_cache_hit_tokens);
  if (cached !== undefined) result.cachedInputTokens = cached;
  const reasoning = count((usage.completion_tokens_details as Record<string, unknown> | null | undefined)?.reasoning_tokens);
  if (reasoning !== undefined) result.reasoningTokens = reasoning;
  return result;
}
