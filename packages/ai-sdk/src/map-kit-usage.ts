import type { FinishReason, Usage } from '@kit/core';
import type { JSONObject, LanguageModelV4FinishReason, LanguageModelV4Usage } from '@ai-sdk/provider';

/**
 * @kit's usage as the AI SDK's: input split into cache reads, cache writes and the rest; output split into reasoning
 * and text (@kit counts cached and reasoning tokens inside the input and output totals, as the AI SDK does). `raw` is
 * @kit's own record.
 */
export function mapKitUsage(usage: Usage): LanguageModelV4Usage {
  const cacheRead = usage.cachedInputTokens;
  const cacheWrite = usage.cacheWriteInputTokens;
  const reasoning = usage.reasoningTokens;
  const raw: JSONObject = { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, totalTokens: usage.totalTokens };
  for (const key of ['cachedInputTokens', 'cacheWriteInputTokens', 'reasoningTokens', 'cost'] as const) {
    const value = usage[key];
    if (value !== undefined) raw[key] = value;
  }
  return {
    inputTokens: {
      total: usage.inputTokens,
      noCache: Math.max(0, usage.inputTokens - (cacheRead ?? 0) - (cacheWrite ?? 0)),
      cacheRead,
      cacheWrite,
    },
    outputTokens: {
      total: usage.outputTokens,
      text: reasoning === undefined ? usage.outputTokens : Math.max(0, usage.outputTokens - reasoning),
      reasoning,
    },
    raw,
  };
}

/** @kit's finish reason is one of the AI SDK's unified ones; `raw` keeps @kit's word for it. */
export function mapKitFinishReason(finishReason: FinishReason): LanguageModelV4FinishReason {
  return { unified: finishReason, raw: finishReason };
}
