// 401 handling through the engine: refresh once and retry on the same account; a second 401 moves to the next account.
import { replies } from '@kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { bearerOf, oauthRig } from './oauth-helpers';

const rig = oauthRig();
afterEach(() => rig.closeAll());

const twoAccounts = (stale: string) => ({
  accounts: [
    { id: 'first', accessToken: stale, refreshToken: 'test-refresh-token-first' },
    { id: 'second', accessToken: 'test-access-token-second-0', refreshToken: 'test-refresh-token-second' },
  ],
  tokenServer: {
    accounts: [
      { id: 'first', refreshToken: 'test-refresh-token-first' },
      { id: 'second', refreshToken: 'test-refresh-token-second', accessToken: 'test-access-token-second-0' },
    ],
  },
});

describe('401 → refresh → retry', () => {
  it.each([true, false])('stream: %s — the old token is rejected, the new one answers on the same account', async (stream) => {
    // The first account's token is unknown to the token server (revoked, say): the upstream answers 401.
    const { tokens, upstream, manager, provider, providerLog, managerLog } = await rig.start({
      ...twoAccounts('test-access-token-first-revoked'),
      upstream: { dialect: 'openai', defaultScript: replies.text('retried and answered') },
    });
    const completion = await provider.complete({ prompt: 'hi', stream });
    expect(completion).toMatchObject({ text: 'retried and answered', credentialId: 'first' });
    expect(tokens.rejectedCount()).toBe(1);
    expect(tokens.refreshCount('first')).toBe(1);
    expect(upstream.requests).toHaveLength(1);
    expect(providerLog.ofType('request-start').map((event) => event.credentialId)).toEqual(['first', 'first']);
    expect(providerLog.ofType('failover')).toEqual([]);
    expect(managerLog.ofType('credential-failure')).toEqual([]);
    expect(manager.getCredentialHealth('first')).toMatchObject({ healthy: true, consecutiveFailures: 0 });
  });

  it('a second 401 (the refreshed token is rejected too) moves to the next account, once', async () => {
    // A resource server that refuses the first account whatever its token (e.g. it lost access to the API).
    const { tokens, provider, providerLog, manager } = await rig.start({
      ...twoAccounts('test-access-token-first-0'),
      upstream: { dialect: 'openai', defaultScript: replies.text('answered by the second account') },
      resourceFetch: (protectedFetch) => async (input, init) => {
        if (bearerOf(input, init)?.startsWith('test-access-token-first')) {
          return new Response(JSON.stringify({ error: { message: 'account disabled', type: 'invalid_request_error', code: 'invalid_api_key' } }), {
            status: 401,
          });
        }
        return protectedFetch(input, init);
      },
    });
    const completion = await provider.complete({ prompt: 'hi' });
    expect(completion).toMatchObject({ text: 'answered by the second account', credentialId: 'second' });
    expect(tokens.refreshCount('first')).toBe(1);
    expect(tokens.refreshCount('second')).toBe(0);
    expect(providerLog.ofType('request-start').map((event) => event.credentialId)).toEqual(['first', 'first', 'second']);
    expect(providerLog.ofType('failover')).toEqual([expect.objectContaining({ from: 'first', to: 'second', reason: 'authentication' })]);
    expect(manager.getCredentialHealth('first')).toMatchObject({ consecutiveFailures: 1, available: false });
    // The next call does not try the refused account while it backs off; no further refresh happens.
    expect((await provider.complete({ prompt: 'again' })).credentialId).toBe('second');
    expect(tokens.refreshCount('first')).toBe(1);
  });

  it('with one account and a refreshed token still refused, the call fails with authentication, not a loop', async () => {
    const { tokens, provider } = await rig.start({
      accounts: [{ id: 'only', accessToken: 'test-access-token-only-0', refreshToken: 'test-refresh-token-only' }],
      tokenServer: { accounts: [{ id: 'only', refreshToken: 'test-refresh-token-only' }] },
      upstream: { dialect: 'openai' },
      resourceFetch: () => async () => new Response(JSON.stringify({ error: { message: 'nope', code: 'invalid_api_key' } }), { status: 401 }),
    });
    await expect(provider.complete({ prompt: 'hi' })).rejects.toMatchObject({ code: 'authentication' });
    expect(tokens.refreshCount('only')).toBe(1);
  });
});
