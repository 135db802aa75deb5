import type { ResolvedGenerateOptions } from '@kit/core/provider-utils';
import { defaultMaxTokens } from './anthropic-models';

/**
 * The largest `max_tokens` a non-streaming request may carry: Anthropic's official SDK expects an answer to take up to
 * 3 600 s × `max_tokens` / 128 000, and refuses a non-streaming request whose answer may take longer than 10 minutes
 * ("Streaming is required for operations that may take longer than 10 minutes"): 600 × 128 000 / 3 600 = 21 333 tokens.
 */
export const NON_STREAMING_MAX_TOKENS = 21_333;

/**
 * Whether `complete()` streams on the wire and assembles the answer (instead of refusing as the official SDK does):
 * when `max_tokens` — the caller's, else the model's output limit that @kit sends by default — allows an answer longer
 * than 10 minutes. The timeout then bounds silence between events, not the whole answer, so a long answer is neither
 * cut off nor re-sent (and billed) again.
 */
export function streamsLongAnswersOnWire(options: ResolvedGenerateOptions): boolean {
  return (options.maxTokens ?? defaultMaxTokens(options.model)) > NON_STREAMING_MAX_TOKENS;
}
