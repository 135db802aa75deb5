import type { ProviderDefinition } from '@kit/core/provider-utils';
import { describe, expect, it } from 'vitest';
import { context, runMapper } from './__fixtures__/openai-streams';
import { defineOpenAICompatibleProvider } from './define-openai-compatible-provider';
import { countReasoningAsOutput, withUsageCounting } from './openai-usage-counting';

const definition: ProviderDefinition = defineOpenAICompatibleProvider({ type: 'openai-compatible', defaultBaseURL: 'https://x.test/v1', defaultModel: 'm' });
// The usage of xAI's documented answer (completion_tokens 50 without its 124 reasoning tokens; total 837).
const usageChunk = JSON.stringify({
  id: 'c-1',
  choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
  usage: { prompt_tokens: 663, completion_tokens: 50, total_tokens: 837, completion_tokens_details: { reasoning_tokens: 124 } },
});

describe('usage counting', () => {
  it('adds the reasoning tokens to outputTokens, keeping a reported total, computing a missing one', () => {
    expect(countReasoningAsOutput({ inputTokens: 663, outputTokens: 50, totalTokens: 837, reasoningTokens: 124 })).toEqual({
      inputTokens: 663,
      outputTokens: 174,
      totalTokens: 837,
      reasoningTokens: 124,
    });
    // No total reported: the mapper computed input + output, which left the reasoning out.
    expect(countReasoningAsOutput({ inputTokens: 12, outputTokens: 1, totalTokens: 13, reasoningTokens: 386 }).totalTokens).toBe(399);
    expect(countReasoningAsOutput({ inputTokens: 5, outputTokens: 7, totalTokens: 12 })).toEqual({ inputTokens: 5, outputTokens: 7, totalTokens: 12 });
  });

  it("leaves OpenAI's rule alone: the same definition when nothing or `true` is declared", () => {
    expect(withUsageCounting(definition, undefined)).toBe(definition);
    expect(withUsageCounting(definition, { outputIncludesReasoning: true })).toBe(definition);
    const events = runMapper(definition.chat.createStreamMapper(context), [usageChunk, '[DONE]']);
    expect(events.at(-1)).toMatchObject({ type: 'finish', usage: { outputTokens: 50 } });
  });

  it('counts the finish of streams and of whole answers when the output leaves reasoning out', () => {
    const counted = withUsageCounting(definition, { outputIncludesReasoning: false });
    const streamed = runMapper(counted.chat.createStreamMapper(context), [usageChunk, '[DONE]']);
    expect(streamed.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'stop',
      usage: { inputTokens: 663, outputTokens: 174, totalTokens: 837, reasoningTokens: 124 },
    });
    const whole: unknown[] = [];
    counted.chat.parseResponse({ ...JSON.parse(usageChunk), choices: [{ index: 0, message: { content: 'Hi' }, finish_reason: 'stop' }] }, context, (event) =>
      whole.push(event),
    );
    expect(whole.at(-1)).toMatchObject({ type: 'finish', usage: { outputTokens: 174 } });
    // Other events pass through untouched.
    expect(whole.map((event) => (event as { type: string }).type)).toEqual(['start', 'text-delta', 'finish']);
  });
});
