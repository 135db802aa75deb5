// Single-flight refresh through the engine: however many calls meet an expired token, the token server sees one refresh.
import { replies } from '@kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { oauthRig } from './oauth-helpers';

const rig = oauthRig();
afterEach(() => rig.closeAll());

const HOUR = 3_600_000;

describe('single-flight refresh', () => {
  it('1 000 concurrent acquires of an expired token: exactly one refresh request at the token server', async () => {
    const { tokens, manager } = await rig.start({
      accounts: [{ id: 'solo', accessToken: 'test-access-token-expired', refreshToken: 'test-refresh-token-solo', expiresAt: Date.now() - HOUR }],
      tokenServer: { accounts: [{ id: 'solo', refreshToken: 'test-refresh-token-solo' }] },
      upstream: { dialect: 'openai' },
    });
    const leases = await Promise.all(Array.from({ length: 1000 }, () => manager.acquire()));
    expect(tokens.refreshCount()).toBe(1);
    expect(new Set(leases.map((lease) => lease.secret))).toEqual(new Set(['test-access-token-solo-1']));
    expect(tokens.requests.filter((request) => request.grantType === 'refresh_token')).toHaveLength(1);
  });

  it('1 000 concurrent calls (streaming and not) over an expired token: one refresh, every call answered with the new token', async () => {
    const { tokens, upstream, manager, provider, managerLog } = await rig.start({
      accounts: [{ id: 'solo', accessToken: 'test-access-token-expired', refreshToken: 'test-refresh-token-solo', expiresAt: Date.now() - HOUR }],
      tokenServer: { accounts: [{ id: 'solo', refreshToken: 'test-refresh-token-solo' }] },
      upstream: { dialect: 'openai', defaultScript: replies.text('fresh token, fresh answer') },
    });
    const calls = Array.from({ length: 1000 }, (_, n) => provider.complete({ prompt: `call ${n}`, stream: n % 2 === 0, timeoutMs: 30_000 }));
    const completions = await Promise.all(calls);
    expect(completions.every((completion) => completion.text === 'fresh token, fresh answer' && completion.credentialId === 'solo')).toBe(true);
    expect(tokens.refreshCount()).toBe(1);
    // No call reached the upstream with the expired token: the refresh happened before any was sent.
    expect(tokens.rejectedCount()).toBe(0);
    expect(upstream.requests).toHaveLength(1000);
    expect(managerLog.ofType('token-refresh')).toEqual([expect.objectContaining({ success: true, credentialId: 'solo' })]);
    expect(manager.getCredentialMetrics('solo')).toMatchObject({ requests: 1000, successes: 1000, refreshCount: 1 });
  }, 60_000);
});
