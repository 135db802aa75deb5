import { KitError } from '@kit/core';
import { pkceChallenge } from '@kit/core/provider-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QWEN_OAUTH_CLIENT_ID, QWEN_OAUTH_DEVICE_CODE_URL, QWEN_OAUTH_SCOPE, QWEN_OAUTH_TOKEN_URL } from '../qwen-oauth-request';
import { loginWithQwenDevice, type QwenDeviceVerification } from './login-with-qwen-device';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** A fake clock that only moves when the login sleeps: no real waiting. */
function fakeTime(start = 1_800_000_000_000) {
  let now = start;
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

/** Qwen's device endpoints, with the polls answered in turn by `polls` (the last one repeats). */
function deviceServer(polls: (() => Response)[], authorization: Record<string, unknown> = {}) {
  const forms: { url: string; fields: Record<string, string> }[] = [];
  let poll = 0;
  const record = async (request: Request) => {
    const fields = Object.fromEntries(new URLSearchParams(await request.text()));
    forms.push({ url: request.url, fields });
    return fields;
  };
  server.use(
    http.post(QWEN_OAUTH_DEVICE_CODE_URL, async ({ request }) => {
      await record(request);
      return HttpResponse.json({
        device_code: 'test-device-code-1',
        user_code: 'WDJB-MJHT',
        verification_uri: 'https://chat.qwen.ai/authorize',
        verification_uri_complete: 'https://chat.qwen.ai/authorize?user_code=WDJB-MJHT&client=qwen-code',
        expires_in: 900,
        ...authorization,
      });
    }),
    http.post(QWEN_OAUTH_TOKEN_URL, async ({ request }) => {
      await record(request);
      const answer = polls[Math.min(poll, polls.length - 1)] as () => Response;
      poll += 1;
      return answer();
    }),
  );
  return forms;
}

const pending = () => HttpResponse.json({ error: 'authorization_pending', error_description: 'The authorization request is still pending' }, { status: 400 });
const slowDown = () => HttpResponse.json({ error: 'slow_down', error_description: 'Polling too fast' }, { status: 429 });
const granted = () =>
  HttpResponse.json({
    access_token: 'test-access-token-1',
    refresh_token: 'test-refresh-token-1',
    token_type: 'Bearer',
    expires_in: 21600,
    scope: 'openid profile email model.completion',
    resource_url: 'portal.qwen.ai',
  });

const failureOf = async (promise: Promise<unknown>): Promise<KitError> => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!KitError.is(error)) throw new Error(`expected a KitError, got ${String(error)}`);
  return error;
};

describe('loginWithQwenDevice', () => {
  it('asks for a device code with PKCE S256, shows the URL, polls through pending and slow_down, and returns the credential', async () => {
    const forms = deviceServer([pending, slowDown, pending, granted], { interval: 2 });
    const time = fakeTime();
    const shown: QwenDeviceVerification[] = [];
    const credential = await loginWithQwenDevice({
      id: 'work',
      now: time.now,
      sleep: time.sleep,
      onVerification: (verification) => void shown.push(verification),
    });

    expect(credential).toEqual({
      id: 'work',
      clientId: QWEN_OAUTH_CLIENT_ID,
      accessToken: 'test-access-token-1',
      refreshToken: 'test-refresh-token-1',
      expiresAt: 1_800_000_000_000 + 2_000 + 2_000 + 7_000 + 7_000 + 21_600_000,
      scopes: ['openid', 'profile', 'email', 'model.completion'],
      resourceUrl: 'portal.qwen.ai',
    });
    // The interval is honoured (2 s), and slow_down adds 5 s to every later poll.
    expect(time.sleeps).toEqual([2_000, 2_000, 7_000, 7_000]);
    expect(shown).toEqual([
      {
        verificationUri: 'https://chat.qwen.ai/authorize',
        verificationUriComplete: 'https://chat.qwen.ai/authorize?user_code=WDJB-MJHT&client=qwen-code',
        userCode: 'WDJB-MJHT',
        expiresAt: 1_800_000_000_000 + 900_000,
      },
    ]);
    const [authorize, ...polls] = forms;
    expect(authorize?.fields).toMatchObject({ client_id: QWEN_OAUTH_CLIENT_ID, scope: QWEN_OAUTH_SCOPE, code_challenge_method: 'S256' });
    expect(polls).toHaveLength(4);
    for (const poll of polls) {
      expect(poll.fields).toMatchObject({
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        client_id: QWEN_OAUTH_CLIENT_ID,
        device_code: 'test-device-code-1',
      });
      // The verifier sent with the polls is the one whose challenge was registered.
      expect(await pkceChallenge(poll.fields.code_verifier as string)).toBe(authorize?.fields.code_challenge);
    }
  });

  it('polls every 5 s when the server gives no interval', async () => {
    deviceServer([pending, granted]);
    const time = fakeTime();
    await loginWithQwenDevice({ now: time.now, sleep: time.sleep, onVerification: () => {} });
    expect(time.sleeps).toEqual([5_000, 5_000]);
  });

  it('ends with a clear authentication error when the code expires (server says so, or its lifetime runs out)', async () => {
    deviceServer([pending, () => HttpResponse.json({ error: 'expired_token', error_description: 'Device code expired' }, { status: 400 })]);
    const time = fakeTime();
    const error = await failureOf(loginWithQwenDevice({ now: time.now, sleep: time.sleep, onVerification: () => {} }));
    expect(error).toMatchObject({ code: 'authentication', provider: 'qwen' });
    expect(error.message).toMatch(/expired/);

    server.resetHandlers();
    const forms = deviceServer([pending], { expires_in: 12, interval: 5 });
    const clock = fakeTime();
    const lapsed = await failureOf(loginWithQwenDevice({ now: clock.now, sleep: clock.sleep, onVerification: () => {} }));
    expect(lapsed.message).toMatch(/expired/);
    expect(forms.length - 1).toBe(2); // polled at 5 s and 10 s; at 15 s the code is dead
  });

  it('ends with a clear authentication error when the user denies access', async () => {
    deviceServer([pending, () => HttpResponse.json({ error: 'access_denied', error_description: 'The user denied the request' }, { status: 400 })]);
    const time = fakeTime();
    const error = await failureOf(loginWithQwenDevice({ now: time.now, sleep: time.sleep, onVerification: () => {} }));
    expect(error).toMatchObject({ code: 'authentication' });
    expect(error.message).toMatch(/denied/);
  });

  it('fails clearly on a broken device-code answer or an unexpected poll error, without leaking the device code', async () => {
    server.use(http.post(QWEN_OAUTH_DEVICE_CODE_URL, () => HttpResponse.json({ user_code: 'X' })));
    expect((await failureOf(loginWithQwenDevice({ onVerification: () => {} }))).code).toBe('invalid_response');
    server.resetHandlers();
    server.use(
      http.post(QWEN_OAUTH_DEVICE_CODE_URL, () => HttpResponse.json({ error: 'invalid_client', error_description: 'unknown client' }, { status: 401 })),
    );
    expect((await failureOf(loginWithQwenDevice({ onVerification: () => {} }))).code).toBe('authentication');
    server.resetHandlers();
    deviceServer([() => HttpResponse.json({ error: 'server_error', error_description: 'device test-device-code-1 failed' }, { status: 500 })]);
    const time = fakeTime();
    const error = await failureOf(loginWithQwenDevice({ now: time.now, sleep: time.sleep, onVerification: () => {} }));
    expect(error.code).toBe('server_error');
    expect(JSON.stringify([error, error.message, error.stack])).not.toContain('test-device-code-1');
  });

  it("runs the device-code and token requests through core's HTTP client: hooks see each of them", async () => {
    deviceServer([pending, granted]);
    const time = fakeTime();
    const traced: string[] = [];
    const hooks = {
      beforeRequest: [({ request }: { request: Request }) => void traced.push(`${request.method} ${request.url}`)],
      afterResponse: [({ response }: { response: Response }) => void traced.push(`${response.status}`)],
    };
    await loginWithQwenDevice({ now: time.now, sleep: time.sleep, onVerification: () => {}, hooks });
    expect(traced).toEqual([`POST ${QWEN_OAUTH_DEVICE_CODE_URL}`, '200', `POST ${QWEN_OAUTH_TOKEN_URL}`, '400', `POST ${QWEN_OAUTH_TOKEN_URL}`, '200']);
  });

  it('stops at once when aborted while waiting', async () => {
    deviceServer([pending]);
    const controller = new AbortController();
    const login = loginWithQwenDevice({ signal: controller.signal, onVerification: () => controller.abort() });
    expect((await failureOf(login)).code).toBe('aborted');
  });
});
