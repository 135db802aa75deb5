// Runs in the edge-runtime environment (no Node built-ins): @kit/azure's main entry must work there.
import { describe, expect, it } from 'vitest';
import { azureEntraCredential, azureEntraRefresh, createAzure } from './index';

describe('@kit/azure on an edge runtime', () => {
  it('streams through an injected fetch with an Entra token, routed by the credential’s resource', async () => {
    const seen: { url: string; authorization: string | null; apiKey: string | null }[] = [];
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const request = new Request(input, init);
      seen.push({ url: request.url, authorization: request.headers.get('authorization'), apiKey: request.headers.get('api-key') });
      const chunks = [
        { id: '', model: '', choices: [], prompt_filter_results: [] },
        { id: 'chatcmpl-1', model: 'gpt-4o', choices: [{ index: 0, delta: { content: 'edge ok' }, finish_reason: null }] },
        { id: 'chatcmpl-1', model: 'gpt-4o', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      ];
      return new Response(`${chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('')}data: [DONE]\n\n`, {
        headers: { 'content-type': 'text/event-stream' },
      });
    };
    const credentials = {
      acquire: async () => ({ id: 'sp', secret: 'test-entra-token-1', kind: 'oauth' as const, baseURL: 'edge-resource' }),
      reportSuccess: () => {},
      reportFailure: () => {},
    };
    const text = await (await createAzure({ credentials, fetch }).generateChatCompletion({ model: 'd', prompt: 'hi' })).text();
    expect(text).toBe('edge ok');
    expect(seen).toEqual([
      { url: 'https://edge-resource.openai.azure.com/openai/v1/chat/completions', authorization: 'Bearer test-entra-token-1', apiKey: null },
    ]);
  });

  it('gets an Entra token with a form post', async () => {
    let body = '';
    const fetch: typeof globalThis.fetch = async (_input, init) => {
      body = String(init?.body);
      return Response.json({ token_type: 'Bearer', expires_in: 3599, access_token: 'test-entra-token-2' });
    };
    const credential = azureEntraCredential({ tenantId: 'contoso.onmicrosoft.com', clientId: 'app-1', clientSecret: 'test-secret+1' });
    expect(await azureEntraRefresh(credential, { fetch })).toEqual({ accessToken: 'test-entra-token-2', expiresInMs: 3_599_000 });
    expect(body).toContain('client_secret=test-secret%2B1');
  });
});
