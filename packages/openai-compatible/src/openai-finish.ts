import { compact } from '@kit/core/provider-utils';
import type { FinishReason, Usage } from '@kit/core';

/** OpenAI's `finish_reason` as a `FinishReason`: `tool_calls` and legacy `function_call` → `tool-calls`, unknown → `other`. */
export function mapOpenAIFinishReason(reason: unknown): FinishReason {
  const known = String(reason === 'function_call' ? 'tool_calls' : reason);
  return /^(stop|length|tool_calls|content_filter|error)$/.test(known) ? (known.replace('_', '-') as FinishReason) : 'other';
}

const count = (value: unknown): number | undefined => (Number.isFinite(value) ? (value as number) : undefined);

/** OpenAI's `usage` object as a `Usage`; missing counts are 0, unknown fields are ignored. */
export function mapOpenAIUsage(raw: unknown): Usage {
  const usage = (raw ?? {}) as Record<string, { cached_tokens?: unknown; reasoning_tokens?: unknown } | undefined>;
  const inputTokens = count(usage.prompt_tokens) ?? 0;
  const outputTokens = count(usage.completion_tokens) ?? 0;
  return compact({
    inputTokens,
    outputTokens,
    totalTokens: count(usage.total_tokens) ?? inputTokens + outputTokens,
    // DeepSeek reports cache hits at the top level instead.
    cachedInputTokens: count(usage.prompt_tokens_details?.cached_tokens) ?? count(usage.prompt_cache_hit_tokens),
    reasoningTokens: count(usage.completion_tokens_details?.reasoning_tokens),
  });
}
