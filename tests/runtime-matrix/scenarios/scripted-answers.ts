// What the harness scripts its upstreams to answer and the credentials they know: shared by the harness (Node) and the
// scenarios (every runtime), so this file imports nothing.

/** The answer of the streaming scenarios, one delta per word, and its scripted usage. */
export const STREAMED_ANSWER = { text: 'The quick brown fox jumps over the lazy dog', inputTokens: 7, outputTokens: 9 } as const;

/** The keys of the pool scenarios: the upstream answers the first with 401 (revoked) and serves the second. */
export const POOL_KEYS = ['test-key-revoked', 'test-key-live'] as const;

/** The tool call the tool upstream makes first. */
export const WEATHER_CALL = { id: 'call_weather_1', name: 'get_weather', arguments: '{"city":"Paris"}' } as const;

/** The account the token server knows (`oauth-refresh`). */
export const OAUTH_ACCOUNT = { id: 'account-1', refreshToken: 'test-refresh-token-1', clientId: 'test-client' } as const;

/** Fixed answers of the other upstreams. */
export const ANSWERS = {
  pool: 'served by the live key',
  metrics: 'metered answer',
  oauth: 'answered with a live token',
} as const;

/** Token counts of the metered answer. */
export const METERED_USAGE = { inputTokens: 12, outputTokens: 2 } as const;
