import type { FinishReason, Usage } from '@kit/core';

/** The `finish_reason`s OpenAI documents (and legacy `function_call`), by the `FinishReason` each one is. */
const FINISH_REASONS: ReadonlyMap<unknown, FinishReason> = /* @__PURE__ */ new Map([
  ['stop', 'stop'],
  ['length', 'length'],
  ['tool_calls', 'tool-calls'],
  ['function_call', 'tool-calls'],
  ['content_filter', 'content-filter'],
  ['error', 'error'],
]);

/** OpenAI's `finish_reason` as a `FinishReason`: `tool_calls` and legacy `function_call` → `tool-calls`, unknown → `other`. */
export function mapOpenAIFinishReason(reason: unknown): FinishReason {
  return FINISH_REASONS.get(reason) ?? 'other';
}

const count = (value: unknown): number | undefined => (Number.isFinite(value) ? (value as number) : undefined);

/** OpenAI's `usage` object as a `Usage`; missing counts are 0, unknown fields are ignored. */
export function mapOpenAIUsage(raw: unknown): Usage {
  const usage = (raw ?? {}) as Record<string, { cached_tokens?: unknown; reasoning_tokens?: unknown } | undefined>;
  const inputTokens = count(usage.prompt_tokens) ?? 0;
  const outputTokens = count(usage.completion_tokens) ?? 0;
  const mapped: Usage = { inputTokens, outputTokens, totalTokens: count(usage.total_tokens) ?? inputTokens + outputTokens };
  // Counts the server did not send are left out (named stores, not a generic copy of the set ones: one shape per call site).
  // DeepSeek reports cache hits at the top level instead.
  const cachedInputTokens = count(usage.prompt_tokens_details?.cached_tokens) ?? count(usage.prompt_cache_hit_tokens);
  if (cachedInputTokens !== undefined) mapped.cachedInputTokens = cachedInputTokens;
  const reasoningTokens = count(usage.completion_tokens_details?.reasoning_tokens);
  if (reasoningTokens !== undefined) mapped.reasoningTokens = reasoningTokens;
  return mapped;
}
