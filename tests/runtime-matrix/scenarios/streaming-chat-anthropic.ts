// Streaming chat on the Anthropic dialect (message_start … content_block_delta … message_delta, message_stop).
import { createAnthropic } from '@kit/anthropic';
import type { MatrixConfig } from './matrix-config';
import { expectStreamedAnswer } from './streaming-chat';

/** `streaming-chat-anthropic`: `@kit/anthropic` streams the same scripted answer from the Anthropic-dialect upstream. */
export function streamingChatAnthropic(config: MatrixConfig): Promise<void> {
  const provider = createAnthropic({ baseURL: config.upstreams['streaming-chat-anthropic'], apiKey: 'test-key-anthropic' });
  return expectStreamedAnswer(provider, 'claude-sonnet-4-5');
}
