// Streaming chat on the OpenAI dialect: every event in order (start, one delta per word, finish with usage).
import type { ChatProvider, StreamEvent } from '@kit/core';
import { createOpenAI } from '@kit/openai';
import { expectEqual, expectThat } from './expect-that';
import type { MatrixConfig } from './matrix-config';
import { STREAMED_ANSWER } from './scripted-answers';

/** Streams the scripted answer from `provider` and checks every event: `start` first, the deltas, `finish` last with the usage. */
export async function expectStreamedAnswer(provider: ChatProvider, model: string): Promise<void> {
  const events: StreamEvent[] = [];
  for await (const event of await provider.generateChatCompletion({ prompt: 'Name a pangram.', model })) events.push(event);
  expectEqual(events[0]?.type, 'start', 'first event');
  const finish = events.at(-1);
  expectThat(finish?.type === 'finish', `last event is ${finish?.type}, not finish`);
  expectEqual(finish.finishReason, 'stop', 'finish reason');
  const { inputTokens, outputTokens, totalTokens } = finish.usage;
  expectEqual([inputTokens, outputTokens, totalTokens], [STREAMED_ANSWER.inputTokens, STREAMED_ANSWER.outputTokens, 16], 'usage (input, output, total)');
  const deltas = events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : []));
  expectEqual(deltas.length, 9, 'text deltas (one per word)');
  expectEqual(deltas.join(''), STREAMED_ANSWER.text, 'streamed text');
}

/** `streaming-chat`: `@kit/openai` streams a scripted answer from the OpenAI-dialect upstream. */
export function streamingChat(config: MatrixConfig): Promise<void> {
  return expectStreamedAnswer(createOpenAI({ baseURL: config.upstreams['streaming-chat'], apiKey: 'test-key-streaming' }), 'gpt-4o-mini');
}
