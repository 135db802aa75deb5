import { createAnthropic } from '@kit/anthropic';
import { KeyManager } from '@kit/keymanager';
import { runExample } from './example';
import { localKeys, startLocalUpstream } from './local-upstream';

/**
 * The example's two modes. With `ANTHROPIC_API_KEYS=k1,k2,…` (or `ANTHROPIC_API_KEY`) it calls the real API through
 * a pool of those keys (`ANTHROPIC_MODEL` picks the model); otherwise it starts a local Anthropic-speaking upstream
 * with a revoked, a rate-limited and a good key: no network, no keys. Resolves `true` when the answer came through.
 */
export async function runMain(env: Record<string, string | undefined>, write: (text: string) => void): Promise<boolean> {
  const realKeys = (env.ANTHROPIC_API_KEYS ?? env.ANTHROPIC_API_KEY ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
  const modelId = env.ANTHROPIC_MODEL ?? 'claude-sonnet-5-5';

  if (realKeys.length > 0) {
    write(`Using the real Anthropic API with ${realKeys.length} key(s), model ${modelId}.\n\n`);
    const keys = new KeyManager('anthropic', realKeys);
    return runExample({ anthropic: createAnthropic({ credentials: keys }), keys, modelId, write });
  }

  const upstream = await startLocalUpstream();
  write(`No ANTHROPIC_API_KEY set: using a local fake Anthropic upstream at ${upstream.url} (no network, fake keys).\n\n`);
  try {
    const keys = new KeyManager('anthropic', [
      { id: 'key-revoked', key: localKeys.revoked },
      { id: 'key-limited', key: localKeys.rateLimited },
      { id: 'key-good', key: localKeys.good },
    ]);
    return await runExample({ anthropic: createAnthropic({ credentials: keys, baseURL: upstream.url }), keys, modelId, write });
  } finally {
    await upstream.close();
  }
}
