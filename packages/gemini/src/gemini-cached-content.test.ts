import { KitError, type CredentialSource, type GenerateOptions } from '@kit/core';
import { describe, expect, it } from 'vitest';
import { plainText } from './__fixtures__/gemini-responses';
import { createGemini } from './gemini-provider';

// The Gemini API and Vertex AI refuse `cachedContent` beside `systemInstruction`, `tools` or `toolConfig`: those
// belong in the cache (ai.google.dev/gemini-api/docs/caching). The 400 below is the answer recorded in vercel/ai#3333
// and langchain-ai/langchain-google#978 (the same refusal on Vertex AI: BerriAI/litellm#26077).
const refusal = {
  error: {
    code: 400,
    message:
      'CachedContent can not be used with GenerateContent request setting system_instruction, tools or tool_config.\n\nProposed fix: move those values to CachedContent from GenerateContent request.',
    status: 'INVALID_ARGUMENT',
  },
};

/** A `fetch` answering like Google: the refusal when a cache comes with any of the three fields, else a plain answer. */
function googleFetch(): { fetch: typeof globalThis.fetch; bodies: Record<string, unknown>[] } {
  const bodies: Record<string, unknown>[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const body = JSON.parse(await new Request(input, init).text()) as Record<string, unknown>;
    bodies.push(body);
    const clash = body.cachedContent !== undefined && ['systemInstruction', 'tools', 'toolConfig'].some((key) => body[key] !== undefined);
    return clash ? Response.json(refusal, { status: 400 }) : Response.json(plainText[2]);
  };
  return { fetch, bodies };
}

const vertexAccount: CredentialSource = {
  acquire: async () => ({ id: 'sa-1', secret: 'test-access-token-1', kind: 'oauth' }),
  reportSuccess: () => {},
  reportFailure: () => {},
};

const backends = {
  'the Gemini API': (fetch: typeof globalThis.fetch) => createGemini({ apiKey: 'test-key-1', fetch, maxRetries: 0 }),
  'Vertex AI': (fetch: typeof globalThis.fetch) =>
    createGemini({ backend: 'vertex', project: 'my-project', location: 'us-central1', credentials: vertexAccount, fetch, maxRetries: 0 }),
};

const cache = { gemini: { cachedContent: 'cachedContents/abc123' } };
const weather = { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };

describe.each(Object.entries(backends))('cachedContent on %s', (_backend, create) => {
  it('is sent when the system instruction and tools live in the cache', async () => {
    const { fetch, bodies } = googleFetch();
    const completion = await create(fetch).complete({ prompt: 'What does the contract say about notice?', providerOptions: cache });
    expect(completion.text).toBeTruthy();
    expect(bodies[0]).toMatchObject({ cachedContent: 'cachedContents/abc123' });
    expect(bodies[0]).not.toHaveProperty('systemInstruction');
  });

  it.each<[string, Partial<GenerateOptions>, string]>([
    ['a system prompt', { system: 'Answer as a lawyer.' }, 'systemInstruction (the system prompt)'],
    ['tools and a tool choice', { tools: [weather], toolChoice: 'required' }, 'tools (tools or providerOptions.gemini.tools), toolConfig (toolChoice)'],
    ['Gemini tools', { providerOptions: { gemini: { ...cache.gemini, tools: [{ googleSearch: {} }] } } }, 'tools (tools or providerOptions.gemini.tools)'],
  ])('is refused with %s before anything is sent, naming the fields and what to do', async (_case, extra, fields) => {
    const { fetch, bodies } = googleFetch();
    const failure = await create(fetch)
      .complete({ prompt: 'What does the contract say about notice?', providerOptions: cache, ...extra })
      .catch((error: unknown) => error);
    expect(KitError.is(failure) && failure.code).toBe('invalid_request');
    const { message } = failure as KitError;
    expect(message).toContain(`gemini: providerOptions.gemini.cachedContent: cannot be sent with ${fields}; `);
    expect(message).toContain('put them into the cached content when you create it');
    expect(bodies).toHaveLength(0);
  });
});
