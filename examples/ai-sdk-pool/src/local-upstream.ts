import { createMockUpstream, faults, replies, type MockUpstream } from '@kit/testkit';

/** The fake keys of the local run: obviously not real. */
export const localKeys = {
  revoked: 'example-key-revoked',
  rateLimited: 'example-key-rate-limited',
  good: 'example-key-good',
};

type WireBlock = { type: string; text?: string; content?: unknown };
type WireMessage = { role: string; content: string | WireBlock[] };

/**
 * A local server speaking Anthropic's Messages API: one key is revoked (401), one is rate limited (429 with
 * `retry-after: 30`), one answers. The good key calls `get_weather` for a weather question and answers from the
 * tool result once the AI SDK sends it back; anything else gets a short story.
 */
export function startLocalUpstream(): Promise<MockUpstream> {
  const answer = (body: unknown) => {
    const messages = (body as { messages?: WireMessage[] } | undefined)?.messages ?? [];
    const last = messages[messages.length - 1];
    const blocks: WireBlock[] = typeof last?.content === 'string' ? [{ type: 'text', text: last.content }] : (last?.content ?? []);
    const result = blocks.find((block) => block.type === 'tool_result');
    if (result) {
      const weather = JSON.parse(String(result.content)) as { city: string; temperature: number; sky: string };
      return replies.text(`It is ${weather.temperature} °C and ${weather.sky} in ${weather.city}.`);
    }
    if (blocks.some((block) => block.text?.includes('weather'))) {
      return replies.toolCalls([{ name: 'get_weather', arguments: JSON.stringify({ city: 'Paris' }) }], {
        reasoning: 'The user wants the weather: call the tool.',
      });
    }
    return replies.text('Three keys walk into a data centre. One is revoked, one is rate limited, one just answers.');
  };
  return createMockUpstream({
    dialect: 'anthropic',
    chunkDelayMs: 5,
    credentials: [
      { id: 'revoked', secret: localKeys.revoked, script: faults.unauthorized() },
      { id: 'rate-limited', secret: localKeys.rateLimited, script: faults.rateLimited({ retryAfterSeconds: 30 }) },
      { id: 'good', secret: localKeys.good, script: (request) => answer(request.body) },
    ],
  });
}
