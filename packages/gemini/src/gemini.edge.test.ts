// The main entry runs on edge workers: no Node built-ins (this file runs in the edge-runtime environment).
import { describe, expect, it } from 'vitest';
import { createGemini, createGeminiOAuthRefresh } from './index';

const sse = (events: unknown[]) => events.map((event) => `data: ${JSON.stringify(event)}\r\n\r\n`).join('');

describe('@kit/gemini on an edge runtime', () => {
  it('streams a function call and text through a fetch of its own', async () => {
    const urls: string[] = [];
    const gemini = createGemini({
      apiKey: 'test-key-1',
      fetch: async (input) => {
        urls.push(String(input));
        return new Response(
          sse([
            { candidates: [{ content: { parts: [{ text: 'Checking' }] } }] },
            {
              candidates: [{ content: { parts: [{ functionCall: { name: 'lookup', args: { q: 'x' } } }] }, finishReason: 'STOP' }],
              usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 2 },
            },
          ]),
          { headers: { 'content-type': 'text/event-stream' } },
        );
      },
    });
    const completion = await (
      await gemini.generateChatCompletion({
        prompt: 'Look up x',
        tools: [{ name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } }],
      })
    ).final();
    expect(completion).toMatchObject({ text: 'Checking', finishReason: 'tool-calls', toolCalls: [{ name: 'lookup', arguments: '{"q":"x"}' }] });
    expect(urls).toEqual(['https://generativelanguage.googleapis.com/v1beta/models/gemini-3.5-flash-lite:streamGenerateContent?alt=sse']);
  });

  it('refreshes a token with a form POST', async () => {
    const refresh = createGeminiOAuthRefresh({ fetch: async () => Response.json({ access_token: 'test-access-token-2', expires_in: 10 }) });
    expect(await refresh({ id: 'a', clientId: 'c', refreshToken: 'test-refresh-token-1' })).toEqual({
      accessToken: 'test-access-token-2',
      expiresInMs: 10_000,
    });
  });
});
