import type { Provider } from '@kit/core';
import type { KeyManager } from '@kit/keymanager';
import { createMockUpstream, faults, replies, type MockUpstream } from '@kit/testkit';

/** The fake Anthropic keys of the local demo. */
export const anthropicDemoKeys = { revoked: 'demo-anthropic-key-revoked', good: 'demo-anthropic-key-good' };

/** A local server speaking Anthropic's Messages API: one key revoked, one answering with thinking and text. */
export function startLocalAnthropic(): Promise<MockUpstream> {
  return createMockUpstream({
    dialect: 'anthropic',
    chunkDelayMs: 10,
    credentials: [
      { id: 'revoked', secret: anthropicDemoKeys.revoked, script: faults.unauthorized() },
      {
        id: 'good',
        secret: anthropicDemoKeys.good,
        script: replies.text('Claude here: the first key was revoked, so this answer came from the second.', {
          reasoning: 'The caller wants to know which key answered.',
        }),
      },
    ],
  });
}

/** Streams one Claude answer through a pool whose first key is revoked, thinking included. */
export async function runAnthropicStep(anthropic: Provider, keys: KeyManager, write: (text: string) => void): Promise<boolean> {
  const line = (text = '') => write(`${text}\n`);
  line('\n=== 5. Anthropic: a pool whose first key is revoked ===');
  const stream = await anthropic.generateChatCompletion({ prompt: 'Which key answered?', maxTokens: 200 });
  let thinking = false;
  for await (const event of stream) {
    if (event.type === 'start') line(`[${event.model} via ${event.credentialId}]`);
    if (event.type === 'reasoning-delta' && event.text) {
      if (!thinking) write('(thinking) ');
      thinking = true;
      write(event.text);
    }
    if (event.type === 'text-delta') {
      if (thinking) line();
      thinking = false;
      write(event.text);
    }
    if (event.type === 'finish') line(`\n[finish: ${event.finishReason}]`);
  }
  const health = keys.getKeyHealth();
  for (const key of health) line(`${key.id.padEnd(14)} ${key.healthy && !key.lastErrorCode ? 'answering' : `last error ${key.lastErrorCode}`}`);
  return health.some((key) => key.successes > 0);
}
