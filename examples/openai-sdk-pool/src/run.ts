import { credentialFetch } from '@kit/core';
import { KeyManager } from '@kit/keymanager';
import { MetricsCollector } from '@kit/metrics';
import OpenAI from 'openai';
import { runExample } from './example';
import { localKeys, startLocalUpstream } from './local-upstream';

/**
 * The official `openai` client over a key pool. Build it once: `credentialFetch` puts the pool's key on each request
 * and fails over on 401/403/429/quota before the SDK sees anything. Keep the SDK's own `maxRetries` low: it still
 * retries server errors and, when the whole pool is cooling down, the 429 `credentialFetch` answers with `retry-after`.
 */
function createClient(keys: KeyManager, metrics: MetricsCollector, baseURL?: string): OpenAI {
  return new OpenAI({
    apiKey: 'unused', // the SDK insists on a key; credentialFetch replaces it on every request
    ...(baseURL ? { baseURL } : {}),
    fetch: credentialFetch(keys, { preset: 'openai', metrics }),
    maxRetries: 1,
  });
}

/**
 * The example's two modes. With `OPENAI_API_KEYS=k1,k2,…` (or `OPENAI_API_KEY`) it calls the real API through a pool
 * of those keys (`OPENAI_MODEL` picks the model, default `gpt-6-luna`); otherwise it starts a local OpenAI-speaking
 * upstream with a revoked, a rate-limited and a good key: no network, no keys. Resolves `true` when every call succeeded.
 */
export async function runMain(env: Record<string, string | undefined>, write: (text: string) => void): Promise<boolean> {
  const realKeys = (env.OPENAI_API_KEYS ?? env.OPENAI_API_KEY ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
  const metrics = new MetricsCollector();

  if (realKeys.length > 0) {
    write(`Using the real OpenAI API with ${realKeys.length} key(s).\n\n`);
    const keys = new KeyManager('openai', realKeys, { onEvent: metrics.record });
    const openai = createClient(keys, metrics);
    const { succeeded, calls } = await runExample({ openai, keys, metrics, model: env.OPENAI_MODEL ?? 'gpt-6-luna', write, calls: 2, concurrent: 2 });
    return succeeded === calls;
  }

  const upstream = await startLocalUpstream();
  write(`No OPENAI_API_KEY set: using a local fake OpenAI upstream at ${upstream.url} (no network, fake keys).\n\n`);
  try {
    const keys = new KeyManager(
      'openai',
      [
        { id: 'key-revoked', key: localKeys.revoked },
        { id: 'key-limited', key: localKeys.rateLimited },
        { id: 'key-good', key: localKeys.good },
      ],
      { onEvent: metrics.record },
    );
    const openai = createClient(keys, metrics, upstream.url);
    const { succeeded, calls } = await runExample({ openai, keys, metrics, model: 'gpt-6-luna', write });
    return succeeded === calls;
  } finally {
    await upstream.close();
  }
}
