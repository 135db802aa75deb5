// The built packages, loaded the way a real app can end up with two copies of core: the ESM build (an app's
// `import`) next to the CJS build (what `@kit/openai`'s CJS build `require`s). Runs after the build (`npm test`);
// nothing here is skipped: a missing dist is a failure.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

type Core = typeof import('@kit/core');
type OpenAIPackage = typeof import('@kit/openai');

const require = createRequire(import.meta.url);
const builtFile = (path: string) => new URL(`../../packages/${path}`, import.meta.url);

const coreEsm = (await import(/* @vite-ignore */ pathToFileURL(builtFile('core/dist/index.js').pathname).href)) as Core;
const coreCjs = require(builtFile('core/dist/index.cjs').pathname) as Core;
// Built against @kit/core: its `require('@kit/core')` resolves to core's CJS build, the `coreCjs` above.
const openaiCjs = require(builtFile('openai/dist/index.cjs').pathname) as OpenAIPackage;

// Built at run time: no key-shaped literal in the source.
const apiKey = `sk-test-${'Vd4Qm7Lx'.repeat(4)}`;

/** A `fetch` that answers every request with one JSON error, and counts the calls. */
function refusingFetch(status: number, body: unknown) {
  const calls: Request[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push(new Request(input, init));
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
  return { fetch, calls };
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('the promise resolved');
}

describe('built ESM and CJS copies of @kit/core in one process', () => {
  it('are two module instances (the situation this file is about)', () => {
    expect(coreEsm.KitError).not.toBe(coreCjs.KitError);
    expect(coreEsm.registerProvider).not.toBe(coreCjs.registerProvider);
  });

  it('recognise each other’s KitErrors with instanceof and KitError.is', () => {
    const fromCjs = new coreCjs.KitError('rate_limit', 'slow down', { retryAfterMs: 1000 });
    const fromEsm = new coreEsm.KitError('timeout', 'no answer');
    expect(fromCjs instanceof coreEsm.KitError).toBe(true);
    expect(fromEsm instanceof coreCjs.KitError).toBe(true);
    expect(coreEsm.KitError.is(fromCjs)).toBe(true);
    expect(coreCjs.KitError.is(fromEsm)).toBe(true);
    expect(coreEsm.toKitError(fromCjs)).toBe(fromCjs);
    expect(new Error('plain') instanceof coreEsm.KitError).toBe(false);
  });

  it('keep instanceof precise for a subclass of either copy', () => {
    class GatewayError extends coreEsm.KitError {}
    const gateway = new GatewayError('server_error', 'gateway down');
    expect(gateway instanceof GatewayError).toBe(true);
    expect(gateway instanceof coreCjs.KitError).toBe(true);
    expect(new coreCjs.KitError('server_error', 'x') instanceof GatewayError).toBe(false);
    expect(new coreEsm.KitError('server_error', 'x') instanceof GatewayError).toBe(false);
  });

  it('share one provider registry, both ways', () => {
    coreCjs.registerProvider('echo-cjs', () => ({ name: 'echo-cjs' }) as never);
    coreEsm.registerProvider('echo-esm', () => ({ name: 'echo-esm' }) as never);
    try {
      expect(coreEsm.createProvider('echo-cjs').name).toBe('echo-cjs');
      expect(coreCjs.createProvider('echo-esm').name).toBe('echo-esm');
      expect(coreEsm.getRegisteredProviders()).toEqual(coreCjs.getRegisteredProviders());
    } finally {
      coreCjs.unregisterProvider('echo-cjs');
      coreEsm.unregisterProvider('echo-esm');
    }
    expect(() => coreEsm.createProvider('echo-cjs')).toThrow(/unknown provider "echo-cjs"/);
  });
});

describe('a provider package built against core, with the app on the other build', () => {
  it('is created through the app’s registry and its failures are the app’s KitErrors, without the key', async () => {
    coreEsm.registerProvider('openai', openaiCjs.createOpenAI);
    try {
      const { fetch, calls } = refusingFetch(401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } });
      const provider = coreEsm.createProvider('openai', { apiKey, baseURL: 'https://api.example.test/v1', fetch, maxRetries: 0 });
      const error = await rejectionOf(provider.complete({ prompt: 'hi' }));
      expect(calls.length).toBeGreaterThan(0);
      expect(calls[0]!.headers.get('authorization')).toBe(`Bearer ${apiKey}`);
      expect(error instanceof coreEsm.KitError).toBe(true);
      expect(coreEsm.KitError.is(error)).toBe(true);
      expect(error).toMatchObject({ code: 'authentication', status: 401, provider: 'openai' });
      expect(JSON.stringify(error)).not.toContain(apiKey.slice(0, 12));
    } finally {
      coreEsm.unregisterProvider('openai');
    }
  });

  it('throws settings errors that the app’s KitError recognises', () => {
    let thrown: unknown;
    try {
      openaiCjs.createOpenAI({ apiKey, baseURL: 'not a url' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown instanceof coreEsm.KitError).toBe(true);
    expect(thrown).toMatchObject({ code: 'invalid_config' });
  });
});
