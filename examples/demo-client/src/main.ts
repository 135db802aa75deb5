// npm run demo — with no keys it runs against local fake upstreams from @kit/testkit: no network, no keys.
// With OPENAI_API_KEY (or OPENAI_API_KEYS=k1,k2,...) it calls the real OpenAI API. `--prometheus` prints the whole
// Prometheus text instead of its summary.
import { createAnthropic } from '@kit/anthropic';
import { MetricsCollector } from '@kit/metrics';
import { defaultPricing } from '@kit/metrics/pricing';
import { createOpenAI } from '@kit/openai';
import { KeyManager } from '@kit/keymanager';
import { anthropicDemoKeys, runAnthropicStep, startLocalAnthropic } from './anthropic-step';
import { runDemo } from './demo';
import { demoKeys, startLocalUpstream } from './local-upstream';
import { runMetricsStep } from './metrics-step';
import { runOAuthStep } from './oauth-step';
import { runRouterStep } from './router-step';

const write = (text: string) => process.stdout.write(text);

async function main(): Promise<void> {
  const realKeys = (process.env.OPENAI_API_KEYS ?? process.env.OPENAI_API_KEY ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);

  // One collector sees everything: providers report through `metrics`, key pools through `onEvent`.
  // A pool and its provider share a name, so a key's health and its traffic land in one row (and the default
  // pricing table, keyed by provider name, prices it).
  const metrics = new MetricsCollector({ pricing: defaultPricing });
  if (realKeys.length > 0) {
    write(`Using the real OpenAI API with ${realKeys.length} key(s).\n`);
    const keys = new KeyManager('openai', realKeys, { onEvent: metrics.record });
    const single = createOpenAI({ apiKey: realKeys[0], metrics });
    const pooled = createOpenAI({ credentials: keys, metrics });
    await runDemo({ single, pooled, keys, write, poolCalls: 3 });
  }
  const anthropicKeys = (process.env.ANTHROPIC_API_KEYS ?? process.env.ANTHROPIC_API_KEY ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
  if (anthropicKeys.length > 0) {
    write(`\nUsing the real Anthropic API with ${anthropicKeys.length} key(s).\n`);
    const keys = new KeyManager('anthropic', anthropicKeys, { onEvent: metrics.record });
    await runAnthropicStep(createAnthropic({ credentials: keys, metrics }), keys, write);
  }
  if (realKeys.length === 0 && anthropicKeys.length === 0) await runLocal(metrics);
  runMetricsStep(metrics, write, { prometheus: process.argv.includes('--prometheus') });
}

/** The default: local fake upstreams from @kit/testkit, fake keys, no network. */
async function runLocal(metrics: MetricsCollector): Promise<void> {
  const upstream = await startLocalUpstream();
  const anthropicUpstream = await startLocalAnthropic();
  write(`No OPENAI_API_KEY or ANTHROPIC_API_KEY set: using local fake upstreams (${upstream.url}, ${anthropicUpstream.url}); no network, fake keys.\n`);
  try {
    const keys = new KeyManager(
      'openai',
      [
        { id: 'key-good', key: demoKeys.good },
        { id: 'key-revoked', key: demoKeys.revoked },
        { id: 'key-limited', key: demoKeys.rateLimited },
      ],
      { onEvent: metrics.record },
    );
    const single = createOpenAI({ apiKey: demoKeys.good, baseURL: upstream.url, defaultModel: 'gpt-6-luna', metrics });
    const pooled = createOpenAI({ credentials: keys, baseURL: upstream.url, defaultModel: 'gpt-6-luna', metrics });
    const { poolSucceeded, poolCalls } = await runDemo({ single, pooled, keys, write });
    if (poolSucceeded !== poolCalls) process.exitCode = 1;

    const anthropicKeys = new KeyManager(
      'anthropic',
      [
        { id: 'claude-revoked', key: anthropicDemoKeys.revoked },
        { id: 'claude-good', key: anthropicDemoKeys.good },
      ],
      { onEvent: metrics.record },
    );
    const anthropic = createAnthropic({ credentials: anthropicKeys, baseURL: anthropicUpstream.url, metrics });
    if (!(await runAnthropicStep(anthropic, anthropicKeys, write))) process.exitCode = 1;

    const oauth = await runOAuthStep(write, { metrics });
    if (oauth.succeeded !== oauth.calls) process.exitCode = 1;

    const router = await runRouterStep(write, { metrics });
    if (!router.fallbackAnswered || router.raceWinner !== 'fast-provider') process.exitCode = 1;
  } finally {
    await Promise.all([upstream.close(), anthropicUpstream.close()]);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
