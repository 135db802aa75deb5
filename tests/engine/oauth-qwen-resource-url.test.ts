// A Qwen token answer with an unusable resource_url is a failed refresh: the OAuthManager skips that account and the
// calls go to the others, instead of the account failing one call in N at send time, forever.
import { OAuthManager, type OAuthCredential } from '@kit/oauthmanager';
import { createQwen, createQwenOAuthRefresh } from '@kit/qwen';
import { createMockOAuthServer, replies, type MockOAuthServer } from '@kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { eventLog, upstreams } from './helpers';

const servers = upstreams();
const tokenServers: MockOAuthServer[] = [];
afterEach(async () => {
  await servers.closeAll();
  await Promise.all(tokenServers.splice(0).map((server) => server.close()));
});

/** A fetch that refuses anything but loopback, so a wrong base URL fails the test instead of reaching the network. */
const loopbackOnly: typeof fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (url.hostname !== '127.0.0.1') throw new TypeError(`test: refused a request to ${url.host}`);
  return fetch(input, init);
};

describe('Qwen resource_url from the token endpoint', () => {
  it.each(['http://portal.qwen.ai', 'not a host'])('resource_url %j: the account fails its refresh and the other one answers every call', async (bad) => {
    const upstream = await servers.start({ dialect: 'openai', defaultScript: replies.text('answered') });
    const origin = new URL(upstream.url).origin;
    const tokens = await createMockOAuthServer({
      preset: 'qwen',
      accounts: [
        { id: 'misrouted', refreshToken: 'test-refresh-token-misrouted', resourceUrl: bad },
        { id: 'good', refreshToken: 'test-refresh-token-good', resourceUrl: origin },
      ],
    });
    tokenServers.push(tokens);
    const expired = Date.now() - 60_000;
    const accounts: OAuthCredential[] = [
      { id: 'misrouted', accessToken: 'test-stale-access-misrouted', refreshToken: 'test-refresh-token-misrouted', expiresAt: expired },
      { id: 'good', accessToken: 'test-stale-access-good', refreshToken: 'test-refresh-token-good', expiresAt: expired },
    ];
    const managerLog = eventLog();
    const manager = new OAuthManager('qwen', accounts, createQwenOAuthRefresh({ tokenURL: tokens.tokenUrl }), { onEvent: managerLog.onEvent });
    const qwen = createQwen({ credentials: manager, fetch: tokens.protect(loopbackOnly), maxRetries: 0 });

    const answered: string[] = [];
    for (let call = 0; call < 4; call++) {
      const completion = await qwen.complete({ prompt: `call ${call}` });
      answered.push(`${completion.credentialId}: ${completion.text}`);
    }
    expect(answered).toEqual(Array(4).fill('good: answered'));
    expect(upstream.requests).toHaveLength(4);
    expect(managerLog.ofType('token-refresh').map((event) => [event.credentialId, event.success, event.error?.code])).toEqual([
      ['misrouted', false, 'invalid_response'],
      ['good', true, undefined],
    ]);
    expect(manager.getCredentialHealth('misrouted')).toMatchObject({ consecutiveRefreshFailures: 1, available: false });
    // The bad value never reached the credential.
    expect(manager.export().credentials.find((credential) => credential.id === 'misrouted')?.resourceUrl).toBeUndefined();
  });
});
