import { KitError } from '@kit/core';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenRouterAuthUrl, exchangeOpenRouterCode } from './openrouter-auth';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const KEYS = 'https://openrouter.ai/api/v1/auth/keys';
const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('buildOpenRouterAuthUrl', () => {
  it('builds https://openrouter.ai/auth with the callback and the S256 challenge', () => {
    const url = new URL(buildOpenRouterAuthUrl({ callbackUrl: 'http://127.0.0.1:3000/cb', codeChallenge: challenge }));
    expect(url.origin + url.pathname).toBe('https://openrouter.ai/auth');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      callback_url: 'http://127.0.0.1:3000/cb',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
  });

  it('names a bad callbackUrl or challenge', () => {
    expect(() => buildOpenRouterAuthUrl({ callbackUrl: 'javascript:alert(1)', codeChallenge: challenge })).toThrowError(/callbackUrl/);
    expect(() => buildOpenRouterAuthUrl({ callbackUrl: 'https://app.example', codeChallenge: 'short' })).toThrowError(/codeChallenge/);
  });
});

describe('exchangeOpenRouterCode', () => {
  it('POSTs { code, code_verifier, code_challenge_method } as JSON and returns the key', async () => {
    const bodies: unknown[] = [];
    server.use(
      http.post(KEYS, async ({ request }) => {
        expect(request.headers.get('content-type')).toContain('application/json');
        expect(request.headers.has('authorization')).toBe(false);
        bodies.push(await request.json());
        // openrouter.ai/docs/guides/overview/auth/oauth: the answer is `{ key }` (user_id as seen in OpenRouter's SDK types).
        return HttpResponse.json({ key: 'test-key-openrouter-1', user_id: 'user_test_1' });
      }),
    );
    expect(await exchangeOpenRouterCode({ code: 'test-code-1', codeVerifier: 'test-verifier-1' })).toEqual({
      key: 'test-key-openrouter-1',
      userId: 'user_test_1',
    });
    expect(bodies).toEqual([{ code: 'test-code-1', code_verifier: 'test-verifier-1', code_challenge_method: 'S256' }]);
  });

  it('a refused code is an authentication error holding neither the code nor the verifier', async () => {
    server.use(http.post(KEYS, () => HttpResponse.json({ error: { code: 403, message: 'Invalid code test-code-1' } }, { status: 403 })));
    const error = await exchangeOpenRouterCode({ code: 'test-code-1', codeVerifier: 'test-verifier-1' }).catch((caught: unknown) => caught);
    expect(KitError.is(error)).toBe(true);
    expect(error).toMatchObject({ code: 'authentication', status: 403 });
    expect(JSON.stringify(error) + String((error as Error).stack)).not.toMatch(/test-code-1|test-verifier-1/);
  });

  it('is sent once: a 500 is not retried (the code is single-use)', async () => {
    let calls = 0;
    server.use(
      http.post(KEYS, () => {
        calls += 1;
        return HttpResponse.json({ error: { code: 500, message: 'Internal error' } }, { status: 500 });
      }),
    );
    await expect(exchangeOpenRouterCode({ code: 'test-code-1', codeVerifier: 'test-verifier-1' })).rejects.toMatchObject({ code: 'server_error' });
    expect(calls).toBe(1);
  });

  it('an answer without a key is invalid_response; missing inputs are invalid_request', async () => {
    server.use(http.post(KEYS, () => HttpResponse.json({ ok: true })));
    await expect(exchangeOpenRouterCode({ code: 'test-code-1', codeVerifier: 'v' })).rejects.toMatchObject({ code: 'invalid_response' });
    await expect(exchangeOpenRouterCode({ code: '', codeVerifier: 'v' })).rejects.toMatchObject({ code: 'invalid_request', message: /code/ });
    await expect(exchangeOpenRouterCode({ code: 'c', codeVerifier: '' })).rejects.toMatchObject({ code: 'invalid_request', message: /codeVerifier/ });
  });
});
