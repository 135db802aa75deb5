import { createMockUpstream, faults, replies, type MockUpstream } from '@kit/testkit';

/** The fake keys of the local run: obviously not real. */
export const localKeys = {
  revoked: 'example-key-revoked',
  rateLimited: 'example-key-rate-limited',
  good: 'example-key-good',
};

type WireMessage = { role: string; content: string | { type: string; text?: string }[] };

/**
 * A local server speaking OpenAI's Chat Completions API. It knows two keys: one is rate limited (429 with
 * `retry-after: 30`), one answers; the revoked key is unknown to it, so it gets OpenAI's 401 `invalid_api_key`. The
 * good key says what it is asked to say ("Say "pong 3""), and otherwise tells a short story.
 */
export function startLocalUpstream(): Promise<MockUpstream> {
  const answer = (body: unknown) => {
    const messages = (body as { messages?: WireMessage[] } | undefined)?.messages ?? [];
    const last = messages[messages.length - 1];
    const text = typeof last?.content === 'string' ? last.content : (last?.content ?? []).map((part) => part.text ?? '').join(' ');
    const quoted = /Say "([^"]+)"/.exec(text);
    if (quoted) return replies.text(quoted[1] as string);
    return replies.text('Three keys walk into a data centre. One is revoked, one is rate limited, one just answers. The SDK never notices.');
  };
  return createMockUpstream({
    dialect: 'openai',
    chunkDelayMs: 10,
    credentials: [
      { id: 'rate-limited', secret: localKeys.rateLimited, script: faults.rateLimited({ retryAfterSeconds: 30 }) },
      { id: 'good', secret: localKeys.good, script: (request) => answer(request.body) },
    ],
  });
}
