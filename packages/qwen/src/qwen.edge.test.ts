// Runs in the edge-runtime environment (no Node built-ins): @kit/qwen's main entry must work there.
import { describe, expect, it } from 'vitest';
import { createQwen, qwenOAuthRefresh } from './index';

describe('@kit/qwen on an edge runtime', () => {
  it('streams from an OAuth account through an injected fetch, routed by its resourceUrl', async () => {
    const urls: string[] = [];
    const fetch: typeof globalThis.fetch = async (input) => {
      urls.push(String(input));
      const chunks = [
        { choices: [{ index: 0, delta: { content: 'edge ok' }, finish_reason: null }] },
        { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      ];
      return new Response(`${chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('')}data: [DONE]\n\n`, {
        headers: { 'content-type': 'text/event-stream' },
      });
    };
    const credentials = {
      acquire: async () => ({ id: 'account-1', secret: 'test-access-token-1', kind: 'oauth' as const, baseURL: 'chat-resource.example.com' }),
      reportSuccess: () => {},
      reportFailure: () => {},
    };
    const text = await (await createQwen({ credentials, fetch }).generateChatCompletion({ prompt: 'hi' })).text();
    expect(text).toBe('edge ok');
    expect(urls).toEqual(['https://chat-resource.example.com/v1/chat/completions']);
  });

  it('refreshes a token with a form post', async () => {
    let body = '';
    const fetch: typeof globalThis.fetch = async (_input, init) => {
      body = String(init?.body);
      return Response.json({ access_token: 'test-access-token-2', expires_in: 60 });
    };
    const result = await qwenOAuthRefresh({ id: 'a', accessToken: 'test-access-token-1', refreshToken: 'test-refresh+token' }, { fetch });
    expect(result).toEqual({ accessToken: 'test-access-token-2', refreshToken: 'test-refresh+token', expiresInMs: 60_000 });
    expect(body).toContain('refresh_token=test-refresh%2Btoken');
  });
});
