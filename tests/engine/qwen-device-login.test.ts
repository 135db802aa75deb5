// loginWithQwenDevice against the testkit's mock Qwen token server (device code + PKCE S256), on a fake clock:
// the polls never really wait.
import { KitError } from '@kit/core';
import { OAuthManager } from '@kit/oauthmanager';
import { createQwen, qwenOAuthRefresh } from '@kit/qwen';
import { createMockOAuthServer, replies, type DevicePollOutcome, type MockOAuthServer } from '@kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { loginWithQwenDevice, type QwenDeviceVerification } from '../../packages/qwen/src/node/index';
import { expectNoSecrets, upstreams } from './helpers';

const servers = upstreams();
const tokenServers: MockOAuthServer[] = [];
afterEach(async () => {
  await servers.closeAll();
  await Promise.all(tokenServers.splice(0).map((server) => server.close()));
});

/** A clock shared by the login and the token server, moved only by the login's sleeps. */
function fakeTime() {
  let now = 1_900_000_000_000;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleeps,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

async function deviceServer(
  script: DevicePollOutcome[],
  time: ReturnType<typeof fakeTime>,
  device: { interval?: number; expiresIn?: number } = {},
  resourceUrl?: string,
) {
  const server = await createMockOAuthServer({
    preset: 'qwen',
    now: time.now,
    device: { script, accountId: 'qwen-user', ...device },
    ...(resourceUrl ? { resourceUrl } : {}),
  });
  tokenServers.push(server);
  return server;
}

const login = (server: MockOAuthServer, time: ReturnType<typeof fakeTime>, shown: QwenDeviceVerification[] = []) =>
  loginWithQwenDevice({
    id: 'laptop',
    deviceCodeURL: server.deviceCodeUrl,
    tokenURL: server.tokenUrl,
    now: time.now,
    sleep: time.sleep,
    onVerification: (verification) => void shown.push(verification),
  });

const failureOf = async (promise: Promise<unknown>): Promise<KitError> => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!KitError.is(error)) throw new Error(`expected a KitError, got ${String(error)}`);
  return error;
};

describe('loginWithQwenDevice against the mock Qwen token server', () => {
  it('waits through authorization_pending and slow_down, passes the PKCE check, and returns a working credential', async () => {
    const time = fakeTime();
    const upstream = await servers.start({ dialect: 'openai', defaultScript: replies.text('logged in') });
    // The account's resource URL (Qwen sends a bare host) is the loopback upstream here.
    const resourceUrl = new URL(upstream.url).host;
    const server = await deviceServer(
      ['authorization_pending', 'slow_down', 'authorization_pending', 'approve'],
      time,
      { interval: 3 },
      `http://${resourceUrl}`,
    );
    const shown: QwenDeviceVerification[] = [];
    const credential = await login(server, time, shown);

    expect(credential).toMatchObject({
      id: 'laptop',
      accessToken: 'test-access-token-qwen-user-1',
      refreshToken: 'test-refresh-token-qwen-user-1',
      resourceUrl: `http://${resourceUrl}`,
      scopes: ['openid', 'profile', 'email', 'model.completion'],
    });
    expect(credential.expiresAt).toBe(time.now() + 3_600_000);
    expect(time.sleeps).toEqual([3_000, 3_000, 8_000, 8_000]);
    expect(shown).toEqual([
      expect.objectContaining({
        userCode: 'TEST-0001',
        verificationUri: `${server.url}/device`,
        verificationUriComplete: `${server.url}/device?user_code=TEST-0001`,
      }),
    ]);
    const polls = server.requests.filter((request) => request.endpoint === 'token');
    expect(polls.map((request) => request.error ?? 'tokens')).toEqual(['authorization_pending', 'slow_down', 'authorization_pending', 'tokens']);
    expect(server.requests[0]).toMatchObject({
      endpoint: 'device-code',
      form: { code_challenge_method: 'S256', scope: 'openid profile email model.completion' },
    });

    // The credential goes straight into an OAuthManager; its refresh token works with qwenOAuthRefresh, and its
    // resource URL routes the call.
    const manager = new OAuthManager('qwen', [{ ...credential, expiresAt: Date.now() - 1 }], (account, context) =>
      qwenOAuthRefresh(account, { ...context, tokenURL: server.tokenUrl }),
    );
    const loopbackOnly: typeof fetch = async (input, init) => {
      if (new URL(String(input)).hostname !== '127.0.0.1') throw new TypeError(`test: refused a request to ${String(input)}`);
      return fetch(input, init);
    };
    const qwen = createQwen({ credentials: manager, maxRetries: 0, fetch: loopbackOnly });
    expect((await qwen.complete({ prompt: 'hi' })).text).toBe('logged in');
    expect(server.refreshCount('qwen-user')).toBe(1);
    expect(upstream.requests).toHaveLength(1);
  });

  it('ends with a clear error when the server says the code expired', async () => {
    const time = fakeTime();
    const server = await deviceServer(['authorization_pending', 'expired_token'], time);
    const error = await failureOf(login(server, time));
    expect(error).toMatchObject({ code: 'authentication', provider: 'qwen' });
    expect(error.message).toMatch(/code expired before it was authorised; start the login again/);
  });

  it("stops polling once the code's lifetime is over", async () => {
    const time = fakeTime();
    const server = await deviceServer(['authorization_pending'], time, { interval: 5, expiresIn: 17 });
    const error = await failureOf(login(server, time));
    expect(error.message).toMatch(/expired/);
    // Polled at 5, 10 and 15 s; at 20 s the code is dead and no fourth poll is sent.
    expect(server.requests.filter((request) => request.endpoint === 'token')).toHaveLength(3);
  });

  it('ends with a clear error when the user denies the request', async () => {
    const time = fakeTime();
    const server = await deviceServer(['authorization_pending', 'access_denied'], time);
    const error = await failureOf(login(server, time));
    expect(error).toMatchObject({ code: 'authentication' });
    expect(error.message).toMatch(/denied/);
    expectNoSecrets([error, error.message, error.stack], ['test-device-code-1']);
  });
});
