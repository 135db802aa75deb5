// MetricsCollector fed by the provider (attempts) and the KeyManager (credential health) over a call that fails over
// from a revoked key: the snapshot counts both attempts, the Prometheus text exposes them, no key appears anywhere.
import type { KitEvent } from '@kit/core';
import { KeyManager } from '@kit/keymanager';
import { MetricsCollector } from '@kit/metrics';
import { createOpenAI } from '@kit/openai';
import { expectEqual, expectNoSecret, expectThat } from './expect-that';
import type { MatrixConfig } from './matrix-config';
import { ANSWERS, METERED_USAGE, POOL_KEYS } from './scripted-answers';

/** The sample line of `metric` whose labels include every one of `labels`, or undefined. */
function sample(prometheus: string, metric: string, labels: readonly string[]): string | undefined {
  return prometheus.split('\n').find((line) => line.startsWith(`${metric}{`) && labels.every((label) => line.includes(label)));
}

/** `metrics`: snapshot and Prometheus text after a streamed call that failed over once. */
export async function metrics(config: MatrixConfig): Promise<void> {
  const collector = new MetricsCollector({ pricing: { openai: { 'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 } } } });
  const keys = new KeyManager('openai', [...POOL_KEYS], { onEvent: (event: KitEvent) => collector.record(event) });
  const provider = createOpenAI({ baseURL: config.upstreams.metrics, credentials: keys, metrics: collector });
  const stream = await provider.generateChatCompletion({ prompt: 'Count my tokens.', model: 'gpt-4o-mini' });
  expectEqual(await stream.text(), ANSWERS.metrics, 'streamed text');

  const snapshot = collector.snapshot();
  const { totals } = snapshot;
  expectEqual(
    [totals.requests, totals.successes, totals.errors, totals.failovers, totals.errorsByCode],
    [2, 1, 1, 1, { authentication: 1 }],
    'totals (requests, successes, errors, failovers, errors by code)',
  );
  expectEqual([totals.tokens.input, totals.tokens.output], [METERED_USAGE.inputTokens, METERED_USAGE.outputTokens], 'tokens (input, output)');
  expectThat(totals.cost.total > 0 && totals.timeToFirstToken.count === 1, 'the success has a cost and a time to first token');
  expectEqual(snapshot.byCredential['openai:key-2']?.successes, 1, 'successes of the live key');

  const prometheus = collector.toPrometheus();
  const labels = ['provider="openai"', 'model="gpt-4o-mini"'];
  expectThat(prometheus.includes('# TYPE kit_request_duration_seconds histogram'), 'the duration histogram is declared');
  expectThat(sample(prometheus, 'kit_requests_total', [...labels, 'credential="key-2"'])?.endsWith(' 1') === true, 'kit_requests_total of key-2 is 1');
  expectThat(sample(prometheus, 'kit_request_errors_total', ['code="authentication"'])?.endsWith(' 1') === true, 'one authentication error');
  expectThat(sample(prometheus, 'kit_tokens_total', [...labels, 'direction="output"'])?.endsWith(` ${METERED_USAGE.outputTokens}`) === true, 'output tokens');
  expectNoSecret(prometheus + JSON.stringify(snapshot), POOL_KEYS, 'metrics');
}
