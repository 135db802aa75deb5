// Runs inside the scratch npm project of check-packages.mjs, where every @kit package was installed from its packed
// tarball (so only what the tarball ships is importable), on the machine's own Node. One streaming call through a
// KeyManager pool whose first key is revoked, against a @kit/testkit loopback upstream: the pool must fail over and
// the whole text must arrive. Prints one line; exits non-zero on any difference.
import { KeyManager } from '@kit/keymanager';
import { createOpenAI } from '@kit/openai';
import { createMockUpstream, faults, replies } from '@kit/testkit';

const expected = 'Hello from a packed tarball';
const upstream = await createMockUpstream({
  dialect: 'openai',
  credentials: [
    { id: 'revoked', secret: 'test-key-tarball-revoked', script: faults.unauthorized() },
    { id: 'good', secret: 'test-key-tarball-good', script: replies.text(expected) },
  ],
});
try {
  const keys = new KeyManager('openai', [
    { id: 'revoked', key: 'test-key-tarball-revoked' },
    { id: 'good', key: 'test-key-tarball-good' },
  ]);
  const openai = createOpenAI({ credentials: keys, baseURL: upstream.url });
  const stream = await openai.generateChatCompletion({ prompt: 'Say hello.' });
  let text = '';
  for await (const event of stream) if (event.type === 'text-delta') text += event.text;
  const health = Object.fromEntries(keys.getKeyHealth().map((key) => [key.id, key]));
  const problems = [];
  if (text !== expected) problems.push(`streamed ${JSON.stringify(text)}, expected ${JSON.stringify(expected)}`);
  if (health.revoked?.lastErrorCode !== 'authentication') problems.push(`revoked key: last error ${health.revoked?.lastErrorCode}`);
  if (health.good?.successes !== 1) problems.push(`good key: ${health.good?.successes} successes`);
  if (problems.length > 0) {
    console.error(`one call (node ${process.version}): FAILED — ${problems.join('; ')}`);
    process.exitCode = 1;
  } else {
    console.log(`one call (node ${process.version}): streamed "${text}" through a pool past a revoked key`);
  }
} finally {
  await upstream.close();
}
