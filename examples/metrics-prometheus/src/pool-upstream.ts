import { createMockUpstream, faults, replies, type MockUpstream } from '@kit/testkit';

/** The fake keys of the example: obviously not real. Ids are what metrics show; the keys never appear there. */
export const poolKeys = [
  { id: 'key-revoked', key: 'test-key-revoked' },
  { id: 'key-limited', key: 'test-key-rate-limited' },
  { id: 'key-good', key: 'test-key-good' },
] as const;

/**
 * A local OpenAI-speaking upstream (127.0.0.1) for a 3-key pool: one key is revoked (401), one is rate limited
 * (429 with Retry-After), one answers with a short streamed text and a realistic usage block.
 */
export function startPoolUpstream(): Promise<MockUpstream> {
  const [revoked, limited, good] = poolKeys;
  return createMockUpstream({
    dialect: 'openai',
    credentials: [
      { id: revoked.id, secret: revoked.key, script: faults.unauthorized() },
      { id: limited.id, secret: limited.key, script: faults.rateLimited({ retryAfterSeconds: 30 }) },
      {
        id: good.id,
        secret: good.key,
        script: replies.text('Metrics are only as good as the events behind them.', {
          usage: { inputTokens: 1200, outputTokens: 11, cachedInputTokens: 1024 },
        }),
      },
    ],
  });
}
