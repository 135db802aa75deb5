import type { FinishReason, Usage } from '@kit/core';

const finishReasons: Record<string, FinishReason> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool-calls',
  function_call: 'tool-calls',
  content_filter: 'content-filter',
  error: 'error',
};

/** OpenAI's `finish_reason` as a `FinishReason` (unknown reasons are `other`). */
export function mapOpenAIFinishReason(reason: unknown): FinishReason {
  return (typeof reason === 'string' && Object.hasOwn(finishReasons, reason) ? finishReasons[reason] : undefined) ?? 'other';
}

const count = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** OpenAI's `usage` object as a `Usage`; nullish fields count as 0, unknown fields are ignored. */
export function mapOpenAIUsage(raw: unknown): Usage {
  const usage = (raw ?? {}) as Record<string, unknown>;
  const inputTokens = count(usage.prompt_tokens) ?? 0;
  const outputTokens = count(usage.completion_tokens) ?? 0;
  const result: Usage = { inputTokens, outputTokens, totalTokens: count(usage.total_tokens) ?? inputTokens + outputTokens };
  // DeepSeek reports cache hits at the top level instead.
  const cached = count((usage.prompt_tokens_details as Record<string, unknown> | null)?.cached_tokens) ?? count(usage.prompt_cache_hit_tokens);
  if (cached !== undefined) result.cachedInputTokens = cached;
  const reasoning = count((usage.completion_tokens_details as Record<string, unknown> | null)?.reasoning_tokens);
  if (reasoning !== undefined) result.reasoningTokens = reasoning;
  return result;
}
