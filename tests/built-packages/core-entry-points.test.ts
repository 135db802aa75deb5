// The built @kit/core, both entries (`@kit/core` and `@kit/core/provider-utils`) in both formats. The entries are
// built with code splitting, so what they share (KitError, the error policies, masking) is one module per format:
// a provider that builds its errors with provider-utils throws the very `KitError` class the app imported, and no
// module-level state is held twice. Runs after the build (`npm test`); a missing dist is a failure.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

type Core = typeof import('@kit/core');
type ProviderUtils = typeof import('@kit/core/provider-utils');

const require = createRequire(import.meta.url);
const builtFile = (path: string) => new URL(`../../packages/core/dist/${path}`, import.meta.url).pathname;
const importBuilt = async <T>(path: string) => (await import(/* @vite-ignore */ pathToFileURL(builtFile(path)).href)) as T;

const formats = [
  { format: 'ESM', core: await importBuilt<Core>('index.js'), utils: await importBuilt<ProviderUtils>('provider-utils/index.js') },
  { format: 'CJS', core: require(builtFile('index.cjs')) as Core, utils: require(builtFile('provider-utils/index.cjs')) as ProviderUtils },
];

// Built at run time: no key-shaped literal in the source.
const apiKey = `sk-test-${'Qp3Zw8Rn'.repeat(4)}`;

describe.each(formats)('built @kit/core, $format', ({ core, utils }) => {
  it('has one KitError class for both entries', () => {
    const upstream = utils.createUpstreamError({ status: 429, body: { error: { message: 'slow down' } }, headers: new Headers() }, { provider: 'acme' });
    expect(upstream.constructor).toBe(core.KitError);
    expect(utils.abortedError('acme').constructor).toBe(core.KitError);
    expect(upstream).toMatchObject({ code: 'rate_limit', status: 429 });
  });

  it('exports no name from both entries', () => {
    expect(Object.keys(utils).filter((name) => name in core)).toEqual([]);
    expect(core).not.toHaveProperty('sleep');
    expect(core).not.toHaveProperty('createChatProvider');
  });

  it('runs a provider made with createChatProvider; its failures are the app’s KitErrors, without the key', async () => {
    const definition = {
      specificationVersion: 'v1' as const,
      type: 'acme',
      defaultBaseURL: 'https://api.acme.test/v1',
      defaultModel: 'acme-1',
      fallbackModels: [],
      capabilities: { streaming: true, tools: false, vision: false, documents: false, audio: false, reasoning: false, json: false },
      authHeaders: (lease: { secret: string }) => ({ authorization: `Bearer ${lease.secret}` }),
      chat: {
        framing: utils.sseFraming,
        buildRequest: (options: { model: string; stream: boolean }) => ({ path: '/chat', body: { model: options.model, stream: options.stream } }),
        createStreamMapper: () => ({
          push: (chunk: { data: string }, emit: (event: never) => void) =>
            emit(
              (chunk.data === '[DONE]'
                ? { type: 'finish', finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } }
                : { type: 'text-delta', text: chunk.data }) as never,
            ),
          end: () => {},
        }),
        parseResponse: () => {},
      },
    } as unknown as Parameters<ProviderUtils['createChatProvider']>[0];
    const streaming = utils.createChatProvider(definition, {
      apiKey,
      fetch: async () => new Response('data: Hello\n\ndata: [DONE]\n\n', { headers: { 'content-type': 'text/event-stream' } }),
    });
    expect(await (await streaming.generateChatCompletion({ prompt: 'hi' })).text()).toBe('Hello');

    const refusing = utils.createChatProvider(definition, {
      apiKey,
      maxRetries: 0,
      fetch: async () =>
        new Response(JSON.stringify({ error: { message: `invalid key ${apiKey}` } }), { status: 401, headers: { 'content-type': 'application/json' } }),
    });
    const error = await refusing.complete({ prompt: 'hi' }).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(core.KitError);
    expect((error as Error).constructor).toBe(core.KitError);
    expect(error).toMatchObject({ code: 'authentication', status: 401, provider: 'acme' });
    expect(JSON.stringify(error)).not.toContain(apiKey.slice(8, 16));
    expect((error as Error).message).not.toContain(apiKey.slice(8, 16));
  });
});
