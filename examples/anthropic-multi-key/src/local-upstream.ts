import { createMockUpstream, faults, replies, type MockUpstream } from '@kit/testkit';

/** The fake keys of the local run: obviously not real. */
export const localKeys = {
  revoked: 'example-key-revoked',
  rateLimited: 'example-key-rate-limited',
  good: 'example-key-good',
};

type WireMessage = { role: string; content: string | { type: string; text?: string; content?: unknown }[] };

/**
 * A local server speaking Anthropic's Messages API: one key is revoked (401 `authentication_error`), one is rate
 * limited (429 `rate_limit_error` with `retry-after: 30`), one answers. The good key says what it is asked to say,
 * calls `get_weather` when asked about the weather, and answers from the tool result once it is sent back.
 */
export function startLocalUpstream(): Promise<MockUpstream> {
  const answer = (body: unknown) => {
    const messages = (body as { messages?: WireMessage[] } | undefined)?.messages ?? [];
    const last = messages[messages.length - 1];
    const blocks = typeof last?.content === 'string' ? [{ type: 'text', text: last.content }] : (last?.content ?? []);
    const result = blocks.find((block) => block.type === 'tool_result');
    if (result) return replies.text(`It is ${JSON.parse(String(result.content)).temperature} °C and sunny in Paris.`);
    if (blocks.some((block) => block.text?.includes('weather'))) {
      return replies.toolCalls([{ name: 'get_weather', arguments: JSON.stringify({ city: 'Paris' }) }], {
        reasoning: 'The user wants the weather: call the tool.',
      });
    }
    const quoted = /Say "([^"]+)"/.exec(blocks.map((block) => block.text ?? '').join(' '));
    if (quoted) return replies.text(quoted[1] as string);
    return replies.text('Three keys walk into a data centre. One is revoked, one is rate limited, one just answers. The caller never notices.');
  };
  return createMockUpstream({
    dialect: 'anthropic',
    chunkDelayMs: 10,
    models: [{ id: 'claude-sonnet-5-5', displayName: 'Claude Sonnet 5.5' }],
    credentials: [
      { id: 'revoked', secret: localKeys.revoked, script: faults.unauthorized() },
      { id: 'rate-limited', secret: localKeys.rateLimited, script: faults.rateLimited({ retryAfterSeconds: 30 }) },
      { id: 'good', secret: localKeys.good, script: (request) => answer(request.body) },
    ],
  });
}
