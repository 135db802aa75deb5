import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loginWithOpenRouter, startOpenRouterLogin } from './login-with-openrouter';

/** A keys endpoint stand-in that records what it got and answers like OpenRouter. */
function keysEndpoint(answer: () => Response = () => Response.json({ key: 'test-key-openrouter-1' })) {
  const bodies: Record<string, string>[] = [];
  const fetchKey: typeof fetch = async (input, init) => {
    expect(String(input instanceof Request ? input.url : input)).toBe('https://openrouter.ai/api/v1/auth/keys');
    bodies.push(JSON.parse(String(init?.body ?? (input instanceof Request ? await input.text() : ''))) as Record<string, string>);
    return answer();
  };
  return { bodies, fetchKey };
}

describe('startOpenRouterLogin (loopback PKCE)', () => {
  it('builds the auth URL with a 127.0.0.1 callback, exchanges the code with the verifier, closes the server', async () => {
    const { bodies, fetchKey } = keysEndpoint();
    const session = await startOpenRouterLogin({ fetch: fetchKey });
    const url = new URL(session.authorizationUrl);
    expect(url.origin + url.pathname).toBe('https://openrouter.ai/auth');
    expect(url.searchParams.get('callback_url')).toBe(session.callbackUrl);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(session.callbackUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\/[A-Za-z0-9_-]{32}$/);

    const callback = await fetch(`${session.callbackUrl}?code=test-code-1`);
    expect(callback.status).toBe(200);
    expect(await session.key).toEqual({ key: 'test-key-openrouter-1' });
    const body = bodies[0] as Record<string, string>;
    expect(body).toMatchObject({ code: 'test-code-1', code_challenge_method: 'S256' });
    expect(
      createHash('sha256')
        .update(body.code_verifier as string)
        .digest('base64url'),
    ).toBe(url.searchParams.get('code_challenge'));
    await expect(fetch(session.callbackUrl)).rejects.toThrow();
  });

  it('requests to any other path get a 404 and do not end the login', async () => {
    const { bodies, fetchKey } = keysEndpoint();
    const session = await startOpenRouterLogin({ fetch: fetchKey });
    const origin = new URL(session.callbackUrl).origin;
    for (const path of ['/callback?code=forged', '/callback/guess?code=forged', '/']) expect((await fetch(origin + path)).status).toBe(404);
    expect(bodies).toHaveLength(0);
    expect((await fetch(`${session.callbackUrl}?code=test-code-2`)).status).toBe(200);
    expect((await session.key).key).toBe('test-key-openrouter-1');
    expect(bodies.map((body) => body.code)).toEqual(['test-code-2']);
  });

  it('a refused exchange fails the login without the code or the verifier in the error', async () => {
    const { bodies, fetchKey } = keysEndpoint(() => Response.json({ error: { code: 400, message: 'Invalid code' } }, { status: 400 }));
    const session = await startOpenRouterLogin({ fetch: fetchKey });
    expect((await fetch(`${session.callbackUrl}?code=test-code-1`)).status).toBe(502);
    const error = await session.key.catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'authentication', message: expect.stringContaining('Invalid code') });
    const verifier = bodies[0]?.code_verifier as string;
    expect(JSON.stringify(error) + String((error as Error).stack)).not.toContain(verifier);
  });

  it('a callback without a code fails the login; cancel() and an aborted signal end the wait', async () => {
    const session = await startOpenRouterLogin();
    expect((await fetch(`${session.callbackUrl}?error=access_denied`)).status).toBe(400);
    await expect(session.key).rejects.toMatchObject({ code: 'authentication', message: expect.stringContaining('access_denied') });
    const cancelled = await startOpenRouterLogin();
    cancelled.cancel();
    await expect(cancelled.key).rejects.toMatchObject({ code: 'aborted' });
    const controller = new AbortController();
    await expect(loginWithOpenRouter({ signal: controller.signal, onAuthorizationUrl: () => controller.abort() })).rejects.toMatchObject({
      code: 'aborted',
    });
  });
});
