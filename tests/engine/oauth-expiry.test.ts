// A session of calls while tokens expire: the manager refreshes before the expired token is ever sent, and streams
// refresh exactly like non-streaming calls. One clock drives both the manager and the token server.
import type { StreamEvent } from '@kit/core';
import { replies } from '@kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { oauthRig } from './oauth-helpers';

const rig = oauthRig();
afterEach(() => rig.closeAll());

const MINUTE = 60_000;

async function streamText(stream: AsyncIterable<StreamEvent>): Promise<string> {
  let text = '';
  for await (const event of stream) if (event.type === 'text-delta') text += event.text;
  return text;
}

describe('expired token mid-session', () => {
  it('a streaming session whose token expires between calls: refreshed before the next call, no 401 ever', async () => {
    const clock = { time: 1_800_000_000_000 };
    const { tokens, upstream, manager, provider, managerLog } = await rig.start({
      accounts: [{ id: 'acct', accessToken: 'test-access-token-acct-0', refreshToken: 'test-refresh-token-acct', expiresAt: clock.time + 30 * MINUTE }],
      tokenServer: {
        now: () => clock.time,
        accessTokenLifetimeSeconds: 1800,
        accounts: [
          { id: 'acct', refreshToken: 'test-refresh-token-acct', accessToken: 'test-access-token-acct-0', accessTokenExpiresAt: clock.time + 30 * MINUTE },
        ],
      },
      upstream: { dialect: 'openai', defaultScript: replies.text('still here') },
      manager: { now: () => clock.time },
    });
    const seen: string[] = [];
    for (let call = 0; call < 8; call += 1) {
      const stream = call % 2 === 0;
      const result = await provider.generateChatCompletion({ prompt: `turn ${call}`, stream });
      seen.push(await streamText(result));
      clock.time += 10 * MINUTE; // the 30-minute tokens expire every third turn
    }
    expect(seen).toEqual(Array(8).fill('still here'));
    expect(tokens.rejectedCount()).toBe(0);
    // Refreshed when within 5 min of expiry: at 30 − 10·k ≤ 5 min left, i.e. before turns 3 and 6.
    expect(tokens.refreshCount('acct')).toBe(2);
    expect(managerLog.ofType('token-refresh').map((event) => event.success)).toEqual([true, true]);
    expect(upstream.requests).toHaveLength(8);
    expect(manager.getCredentialHealth('acct')).toMatchObject({ healthy: true, consecutiveFailures: 0 });
  });

  it('a token revoked early (expiry unknown) mid-session: the stream call gets 401, refreshes once, retries on the same account', async () => {
    const { tokens, upstream, manager, provider, providerLog } = await rig.start({
      accounts: [
        { id: 'acct', accessToken: 'test-access-token-acct-0', refreshToken: 'test-refresh-token-acct' },
        { id: 'spare', accessToken: 'test-access-token-spare-0', refreshToken: 'test-refresh-token-spare' },
      ],
      tokenServer: {
        accounts: [
          { id: 'acct', refreshToken: 'test-refresh-token-acct', accessToken: 'test-access-token-acct-0' },
          { id: 'spare', refreshToken: 'test-refresh-token-spare', accessToken: 'test-access-token-spare-0' },
        ],
      },
      upstream: { dialect: 'openai', defaultScript: replies.text('after the refresh') },
    });
    expect(await streamText(await provider.generateChatCompletion({ prompt: 'first' }))).toBe('after the refresh');
    tokens.revokeAccessTokens('acct');
    // Round-robin hands 'spare' out next; the call after that meets the revoked token.
    await (await provider.generateChatCompletion({ prompt: 'second' })).final();
    const third = await provider.generateChatCompletion({ prompt: 'third' });
    expect(await streamText(third)).toBe('after the refresh');
    expect(tokens.rejectedCount()).toBe(1);
    expect(tokens.refreshCount('acct')).toBe(1);
    expect(tokens.refreshCount('spare')).toBe(0);
    const errors = providerLog.ofType('request-error');
    expect(errors).toEqual([expect.objectContaining({ credentialId: 'acct', willRetry: true, error: expect.objectContaining({ code: 'authentication' }) })]);
    expect(providerLog.ofType('failover')).toEqual([]);
    expect(providerLog.ofType('request-success').map((event) => event.credentialId)).toEqual(['acct', 'spare', 'acct']);
    expect(upstream.requests).toHaveLength(3);
    expect(manager.getCredentialHealth('acct')).toMatchObject({ healthy: true, consecutiveFailures: 0 });
  });
});
