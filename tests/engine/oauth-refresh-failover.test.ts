// A refresh that fails on one account: the call goes to the next account at once; with none left, a clear error.
import { KitError } from '@kit/core';
import { oauthFaults, replies } from '@kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { oauthRig } from './oauth-helpers';

const rig = oauthRig();
afterEach(() => rig.closeAll());

const expired = () => Date.now() - 60_000;

describe('refresh failure on one account', () => {
  it.each([
    ['invalid_grant', oauthFaults.invalidGrant()],
    ['a 503', oauthFaults.serverError(503)],
    ['a broken body', oauthFaults.raw('<html>proxy error</html>', { status: 502, contentType: 'text/html' })],
  ])('%s: the next account answers, the failing one backs off', async (_label, fault) => {
    const { tokens, upstream, manager, provider, managerLog, providerLog } = await rig.start({
      accounts: [
        { id: 'broken', accessToken: 'test-access-token-broken-0', refreshToken: 'test-refresh-token-broken', expiresAt: expired() },
        { id: 'working', accessToken: 'test-access-token-working-0', refreshToken: 'test-refresh-token-working', expiresAt: expired() },
      ],
      tokenServer: {
        accounts: [
          { id: 'broken', refreshToken: 'test-refresh-token-broken', script: fault },
          { id: 'working', refreshToken: 'test-refresh-token-working' },
        ],
      },
      upstream: { dialect: 'openai', defaultScript: replies.text('from the working account') },
    });
    for (let call = 0; call < 3; call += 1) {
      const completion = await provider.complete({ prompt: `call ${call}`, stream: call === 1 });
      expect(completion).toMatchObject({ text: 'from the working account', credentialId: 'working' });
    }
    expect(tokens.refreshCount('broken')).toBe(1);
    expect(tokens.refreshCount('working')).toBe(1);
    // The broken account's stale token never reached the upstream.
    expect(tokens.rejectedCount()).toBe(0);
    expect(upstream.requests).toHaveLength(3);
    expect(providerLog.ofType('request-error')).toEqual([]);
    expect(managerLog.ofType('token-refresh').map((event) => `${event.credentialId} ${event.success}`)).toEqual(['broken false', 'working true']);
    expect(manager.getCredentialHealth('broken')).toMatchObject({ consecutiveRefreshFailures: 1, available: false });
  });

  it('every refresh failing: credentials_exhausted naming the last refresh error, with retryAfterMs', async () => {
    const { provider, tokens } = await rig.start({
      accounts: [
        { id: 'a', accessToken: 'test-access-token-a-0', refreshToken: 'test-refresh-token-a', expiresAt: expired() },
        { id: 'b', accessToken: 'test-access-token-b-0', refreshToken: 'test-refresh-token-b', expiresAt: expired() },
      ],
      tokenServer: {
        defaultScript: oauthFaults.invalidGrant(),
        accounts: [
          { id: 'a', refreshToken: 'test-refresh-token-a' },
          { id: 'b', refreshToken: 'test-refresh-token-b' },
        ],
      },
      upstream: { dialect: 'openai' },
    });
    // maxRetries 0: the engine does not wait for the pool to cool down (with retries left it would, and try again).
    const error = await provider.complete({ prompt: 'hi', maxRetries: 0 }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(KitError.is(error)).toBe(true);
    expect(error).toMatchObject({ code: 'credentials_exhausted' });
    // Until the first account's 1 s backoff ends (a few ms of real time passed since it failed).
    expect((error as KitError).retryAfterMs).toBeGreaterThan(500);
    expect((error as KitError).retryAfterMs).toBeLessThanOrEqual(1000);
    expect((error as KitError).message).toContain('token refresh of');
    expect(tokens.refreshCount()).toBe(2);
  });

  it('a transient refresh failure on the only account: the engine waits for its backoff and the retry refreshes', async () => {
    const { tokens, manager, provider, providerLog } = await rig.start({
      accounts: [{ id: 'flaky', accessToken: 'test-access-token-flaky-0', refreshToken: 'test-refresh-token-flaky', expiresAt: expired() }],
      tokenServer: {
        accounts: [{ id: 'flaky', refreshToken: 'test-refresh-token-flaky', script: [oauthFaults.temporarilyUnavailable(), { kind: 'tokens' }] }],
      },
      upstream: { dialect: 'openai', defaultScript: replies.text('ok after a wait') },
      manager: { initialBackoffMs: 50 },
    });
    expect((await provider.complete({ prompt: 'hi' })).text).toBe('ok after a wait');
    // The failed refresh consumed nothing: the second one presented the same, still valid, refresh token.
    expect(tokens.requests.map((request) => request.status)).toEqual([503, 200]);
    expect(manager.getCredentialHealth('flaky')).toMatchObject({ consecutiveRefreshFailures: 0, healthy: true });
    expect(providerLog.ofType('request-start')).toHaveLength(1);
  });
});
