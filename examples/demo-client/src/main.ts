// npm run demo — with no keys it runs against local fake upstreams from @kit/testkit: no network, no keys.
// With OPENAI_API_KEY (or OPENAI_API_KEYS=k1,k2,...) it calls the real OpenAI API.
import { createAnthropic } from '@kit/anthropic';
import { createOpenAI } from '@kit/openai';
import { KeyManager } from '@kit/keymanager';
import { anthropicDemoKeys, runAnthropicStep, startLocalAnthropic } from './anthropic-step';
import { runDemo } from './demo';
import { demoKeys, startLocalUpstream } from './local-upstream';

const write = (text: string) => process.stdout.write(text);

async function main(): Promise<void> {
  const realKeys = (process.env.OPENAI_API_KEYS ?? process.env.OPENAI_API_KEY ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);

  if (realKeys.length > 0) {
    write(`Using the real OpenAI API with ${realKeys.length} key(s).\n`);
    const keys = new KeyManager('openai', realKeys);
    const single = createOpenAI({ apiKey: realKeys[0], name: 'openai' });
    const pooled = createOpenAI({ credentials: keys, name: 'openai-pool' });
    await runDemo({ single, pooled, keys, write, poolCalls: 3 });
  }
  const anthropicKeys = (process.env.ANTHROPIC_API_KEYS ?? process.env.ANTHROPIC_API_KEY ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
  if (anthropicKeys.length > 0) {
    write(`\nUsing the real Anthropic API with ${anthropicKeys.length} key(s).\n`);
    const keys = new KeyManager('anthropic', anthropicKeys);
    await runAnthropicStep(createAnthropic({ credentials: keys }), keys, write);
  }
  if (realKeys.length > 0 || anthropicKeys.length > 0) return;
  await runLocal();
}

/** The default: local fake upstreams from @kit/testkit, fake keys, no network. */
async function runLocal(): Promise<void> {

  const upstream = await startLocalUpstream();
  const anthropicUpstream = await startLocalAnthropic();
  write(`No OPENAI_API_KEY or ANTHROPIC_API_KEY set: using local fake upstreams (${upstream.url}, ${anthropicUpstream.url}); no network, fake keys.\n`);
  try {
    const keys = new KeyManager('openai', [
      { id: 'key-good', key: demoKeys.good },
      { id: 'key-revoked', key: demoKeys.revoked },
      { id: 'key-limited', key: demoKeys.rateLimited },
    ]);
    const single = createOpenAI({ apiKey: demoKeys.good, baseURL: upstream.url, name: 'openai', defaultModel: 'gpt-4.1-mini' });
    const pooled = createOpenAI({ credentials: keys, baseURL: upstream.url, name: 'openai-pool', defaultModel: 'gpt-4.1-mini' });
    const { poolSucceeded, poolCalls } = await runDemo({ single, pooled, keys, write });
    if (poolSucceeded !== poolCalls) process.exitCode = 1;

    const anthropicKeys = new KeyManager('anthropic', [
      { id: 'claude-revoked', key: anthropicDemoKeys.revoked },
      { id: 'claude-good', key: anthropicDemoKeys.good },
    ]);
    const anthropic = createAnthropic({ credentials: anthropicKeys, baseURL: anthropicUpstream.url });
    if (!(await runAnthropicStep(anthropic, anthropicKeys, write))) process.exitCode = 1;
  } finally {
    await Promise.all([upstream.close(), anthropicUpstream.close()]);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
