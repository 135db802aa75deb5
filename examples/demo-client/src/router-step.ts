import type { KitEvent, MetricsSink } from '@kit/core';
import { createOpenAI } from '@kit/openai';
import { createFallback, createRace } from '@kit/router';
import { createMockUpstream, faults, replies } from '@kit/testkit';

/** What the router step showed. */
export interface RouterStepResult {
  /** The fallback chain answered although its first provider is dead. */
  fallbackAnswered: boolean;
  /** The entry that won the race. */
  raceWinner: string | undefined;
  /** Connections the race's loser still had open on its server once the winner's answer was read (0: closed). */
  loserOpenConnections: number;
}

/**
 * Step 7, local only: a fallback chain whose first provider is dead (its server is gone: connection refused) moves to
 * the second one; a race between a slow and a fast provider is won by the fast one, and the slow one's connection is
 * closed at once. Each entry is an ordinary provider with its own engine (here `maxRetries: 0`, so the dead one is
 * given up at once; with retries, the entry retries first, then the router moves on).
 */
export async function runRouterStep(write: (text: string) => void, options: { metrics?: MetricsSink } = {}): Promise<RouterStepResult> {
  const line = (text = '') => write(`${text}\n`);
  line('\n=== 7. Router: a fallback chain survives a dead provider; a race is won by the fastest ===');
  const dead = await createMockUpstream({ dialect: 'openai' });
  const deadURL = dead.url;
  await dead.close();
  const backup = await createMockUpstream({ dialect: 'openai', chunkDelayMs: 5, defaultScript: replies.text('The backup provider answered this one.') });
  const slow = await createMockUpstream({ dialect: 'openai', defaultScript: faults.slowFirstByte(2_000, replies.text('too late')) });
  const fast = await createMockUpstream({ dialect: 'openai', chunkDelayMs: 5, defaultScript: replies.text('The fast provider won the race.') });
  const { metrics } = options;
  const provider = (name: string, baseURL: string) => createOpenAI({ name, apiKey: 'demo-router-key', baseURL, maxRetries: 0, metrics });
  const onEvent = (event: KitEvent) => {
    if (event.type === 'failover') line(`[${event.provider}] ${event.from} failed (${event.reason}), moving to ${event.to ?? 'nothing left'}`);
    metrics?.record(event);
  };
  try {
    const chain = createFallback([provider('dead-provider', deadURL), provider('backup-provider', backup.url)], { name: 'fallback', onEvent });
    const stream = await chain.generateChatCompletion({ prompt: 'Anyone there?' });
    const answer = await stream.text();
    line(`fallback answer: ${answer}`);

    const race = createRace([provider('slow-provider', slow.url), provider('fast-provider', fast.url)], { name: 'race', onEvent });
    const started = Date.now();
    const raced = await race.generateChatCompletion({ prompt: 'Who is first?' });
    const completion = await raced.final();
    const loserOpenConnections = slow.openConnections();
    line(`race answer (${completion.model}, ${Date.now() - started} ms): ${completion.text}`);
    line(`the slow provider was aborted: ${loserOpenConnections} connection(s) still open on its server`);
    const winner = completion.text.includes('fast') ? 'fast-provider' : completion.text.includes('late') ? 'slow-provider' : undefined;
    return { fallbackAnswered: answer.includes('backup provider'), raceWinner: winner, loserOpenConnections };
  } finally {
    await Promise.all([backup.close(), slow.close(), fast.close()]);
  }
}
