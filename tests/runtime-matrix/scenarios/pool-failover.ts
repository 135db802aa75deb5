// A KeyManager pool whose first key was revoked: the call fails over to the next key before any content, the revoked
// key backs off (the next call goes straight to the live one), and no key appears in any event or error.
import type { KitEvent } from '@kit/core';
import { KeyManager } from '@kit/keymanager';
import { createOpenAI } from '@kit/openai';
import { expectEqual, expectNoSecret } from './expect-that';
import type { MatrixConfig } from './matrix-config';
import { ANSWERS, POOL_KEYS } from './scripted-answers';

/** `pool-failover`: the revoked key's 401 moves the call to the live key. */
export async function poolFailover(config: MatrixConfig): Promise<void> {
  const events: KitEvent[] = [];
  const keys = new KeyManager('openai', [...POOL_KEYS], { onEvent: (event) => events.push(event) });
  const provider = createOpenAI({ baseURL: config.upstreams['pool-failover'], credentials: keys, onEvent: (event) => events.push(event) });

  const first = await (await provider.generateChatCompletion({ prompt: 'Who serves me?' })).final();
  expectEqual([first.text, first.credentialId], [ANSWERS.pool, 'key-2'], 'first call (text, credential)');
  const failovers = events.flatMap((event) => (event.type === 'failover' ? [[event.from, event.to, event.reason]] : []));
  expectEqual(failovers, [['key-1', 'key-2', 'authentication']], 'failover events');
  const [revoked, live] = keys.getKeyHealth();
  expectEqual([revoked?.consecutiveFailures, live?.healthy, live?.successes], [1, true, 1], 'key health (revoked failures, live healthy, live successes)');

  const second = await provider.complete({ prompt: 'And now?' });
  expectEqual(second.credentialId, 'key-2', 'second call skips the backing-off key');
  expectNoSecret(JSON.stringify([events, keys.getKeyHealth(), keys.getStatus()]), POOL_KEYS, 'events and key health');
}
