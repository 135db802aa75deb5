import { KeyManager } from '@kit/keymanager';
import { createOpenAI } from '@kit/openai';
import { runExample } from './example';
import { localKeys, startLocalUpstream, startSloppyUpstream } from './local-upstream';

/**
 * The example's two modes. With `OPENAI_API_KEYS=k1,k2,…` (or `OPENAI_API_KEY`) it calls the real API through a
 * pool of those keys (`OPENAI_MODEL` picks the model); otherwise it uses a local OpenAI-speaking upstream with a
 * revoked and a good key: no network, no keys. The mismatch step always runs against a local upstream whose model
 * answers badly (a real model held to `strict: true` does not). Resolves `true` when every step went as expected.
 */
export async function runMain(env: Record<string, string | undefined>, write: (text: string) => void): Promise<boolean> {
  const realKeys = (env.OPENAI_API_KEYS ?? env.OPENAI_API_KEY ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);

  const sloppyUpstream = await startSloppyUpstream();
  // An explicit key: the sloppy provider must not pick up OPENAI_API_KEY from the environment.
  const sloppy = createOpenAI({ apiKey: localKeys.sloppy, baseURL: sloppyUpstream.url });
  try {
    if (realKeys.length > 0) {
      write(`Using the real OpenAI API with a pool of ${realKeys.length} key(s); the mismatch step uses a local upstream.\n\n`);
      const keys = new KeyManager('openai', realKeys);
      const openai = createOpenAI({ credentials: keys, ...(env.OPENAI_MODEL ? { defaultModel: env.OPENAI_MODEL } : {}) });
      const { succeeded, steps } = await runExample({ openai, keys, sloppy, write });
      return succeeded === steps;
    }

    const upstream = await startLocalUpstream();
    write(`No OPENAI_API_KEY set: using a local fake OpenAI upstream at ${upstream.url} (no network, fake keys).\n`);
    write('The pool holds two keys: key-revoked (the upstream answers 401) and key-good.\n\n');
    try {
      const keys = new KeyManager('openai', [
        { id: 'key-revoked', key: localKeys.revoked },
        { id: 'key-good', key: localKeys.good },
      ]);
      const openai = createOpenAI({ credentials: keys, baseURL: upstream.url });
      const { succeeded, steps } = await runExample({ openai, keys, sloppy, write });
      return succeeded === steps;
    } finally {
      await upstream.close();
    }
  } finally {
    await sloppyUpstream.close();
  }
}
