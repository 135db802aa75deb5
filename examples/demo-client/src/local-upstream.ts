import { createMockUpstream, faults, replies, type MockUpstream } from '@kit/testkit';

/** The fake keys of the local demo: obviously not real. */
export const demoKeys = {
  good: 'demo-key-good',
  revoked: 'demo-key-revoked',
  rateLimited: 'demo-key-rate-limited',
};

const story = 'Three keys walk into a data centre. One has been revoked, one is rate limited, and one just answers. ' + 'The request never notices.';

/**
 * A local OpenAI-speaking upstream: one key answers, one is revoked (401), one is rate limited (429 with
 * Retry-After). Replies depend on the request: a tool result gets an answer, a weather question a tool call.
 */
export function startLocalUpstream(): Promise<MockUpstream> {
  const answer = (request: { body?: unknown }) => {
    const messages = (request.body as { messages?: { role: string; content: unknown }[] } | undefined)?.messages ?? [];
    const last = messages[messages.length - 1];
    if (last?.role === 'tool') return replies.text(`It is ${JSON.parse(String(last.content)).temperature} °C and sunny in Paris.`);
    if (JSON.stringify(last?.content ?? '').includes('weather')) {
      return replies.toolCalls([{ name: 'get_weather', arguments: JSON.stringify({ city: 'Paris', unit: 'celsius' }) }]);
    }
    return replies.text(story);
  };
  return createMockUpstream({
    dialect: 'openai',
    chunkDelayMs: 15,
    credentials: [
      { id: 'good', secret: demoKeys.good, script: (request) => answer(request) },
      { id: 'revoked', secret: demoKeys.revoked, script: faults.unauthorized() },
      { id: 'rate-limited', secret: demoKeys.rateLimited, script: faults.rateLimited({ retryAfterSeconds: 30 }) },
    ],
  });
}
