import { afterEach, describe, expect, it, vi } from 'vitest';
import { createChatProvider } from './create-chat-provider';
import { missingKeyAdvice, readEnvironmentVariable } from './environment';
import { sseFraming } from './framing';
import { KitError } from './kit-error';
import type { ProviderDefinition } from './provider-definition';

// Runs in the node and the edge-runtime projects.

const definition: ProviderDefinition = {
  specificationVersion: 'v1',
  type: 'example',
  defaultBaseURL: 'https://api.example.test/v1',
  defaultModel: 'example-1',
  apiKeyEnvVar: 'EXAMPLE_API_KEY',
  capabilities: { streaming: true, tools: false, vision: false, documents: false, audio: false, reasoning: false, json: false },
  fallbackModels: [],
  authHeaders: (lease) => ({ authorization: `Bearer ${lease.secret}` }),
  chat: {
    framing: sseFraming,
    buildRequest: (options) => ({ path: '/chat', body: { model: options.model } }),
    createStreamMapper: () => ({ push: (chunk, emit) => emit({ type: 'text-delta', text: chunk.data }), end: () => {} }),
    parseResponse: (body, _context, emit) => {
      emit({ type: 'text-delta', text: (body as { text: string }).text });
      emit({ type: 'finish', finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } });
    },
  },
};

/** A `fetch` that answers every call and records the Authorization header it was sent. */
function recordingFetch() {
  const authorizations: string[] = [];
  const fetch = async (_url: string | URL | Request, init?: RequestInit) => {
    authorizations.push(new Headers(init?.headers).get('authorization') ?? '');
    return new Response(JSON.stringify({ text: 'ok' }), { headers: { 'content-type': 'application/json' } });
  };
  return { fetch: fetch as typeof globalThis.fetch, authorizations };
}

/** Runs `body` in a runtime without `process` (a Worker), synchronously, and puts `process` back. */
function withoutProcess<T>(body: () => T): T {
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'process');
  Object.defineProperty(globalThis, 'process', { value: undefined, configurable: true, writable: true });
  try {
    return body();
  } finally {
    if (saved) Object.defineProperty(globalThis, 'process', saved);
  }
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('readEnvironmentVariable', () => {
  it('reads the env object instead of process.env when one is given, trimmed; non-strings and blanks are unset', () => {
    const env = { EXAMPLE_API_KEY: '  test-key-env-1\n', KV: { get() {} }, BLANK: '   ' };
    expect(readEnvironmentVariable('EXAMPLE_API_KEY', env)).toBe('test-key-env-1');
    expect(readEnvironmentVariable('KV', env)).toBeUndefined();
    expect(readEnvironmentVariable('BLANK', env)).toBeUndefined();
    expect(readEnvironmentVariable('MISSING', env)).toBeUndefined();
  });

  it('reads nothing where the runtime has no process', () => {
    expect(withoutProcess(() => readEnvironmentVariable('PATH'))).toBeUndefined();
  });

  it('survives a process.env that throws on read (Deno without --allow-env)', () => {
    const throwing = new Proxy(
      {},
      {
        get() {
          throw new Error('Requires env access');
        },
      },
    );
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'process');
    Object.defineProperty(globalThis, 'process', { value: { env: throwing }, configurable: true, writable: true });
    try {
      expect(readEnvironmentVariable('EXAMPLE_API_KEY')).toBeUndefined();
    } finally {
      if (saved) Object.defineProperty(globalThis, 'process', saved);
      else Reflect.deleteProperty(globalThis, 'process');
    }
  });
});

describe('the env setting', () => {
  it('gives the key where process.env has none: the key is read from env at request time', async () => {
    const { fetch, authorizations } = recordingFetch();
    const provider = createChatProvider(definition, { env: { EXAMPLE_API_KEY: 'test-key-env-1' }, fetch });
    const completion = await provider.complete({ prompt: 'hi' });
    expect(completion.text).toBe('ok');
    expect(authorizations).toEqual(['Bearer test-key-env-1']);
  });

  it('is read instead of process.env, not after it', async () => {
    vi.stubEnv('EXAMPLE_API_KEY', 'test-key-process-1');
    const { fetch, authorizations } = recordingFetch();
    await createChatProvider(definition, { env: { EXAMPLE_API_KEY: 'test-key-env-2' }, fetch }).complete({ prompt: 'hi' });
    expect(authorizations).toEqual(['Bearer test-key-env-2']);
    const without = createChatProvider(definition, { env: {}, fetch });
    await expect(without.complete({ prompt: 'hi' })).rejects.toMatchObject({
      code: 'invalid_config',
      message: 'apiKey: example has none: EXAMPLE_API_KEY is not in the env setting; add it, or pass apiKey or credentials',
    });
  });

  it('an explicit apiKey wins over env', async () => {
    const { fetch, authorizations } = recordingFetch();
    await createChatProvider(definition, { apiKey: 'test-key-explicit-1', env: { EXAMPLE_API_KEY: 'test-key-env-3' }, fetch }).complete({ prompt: 'hi' });
    expect(authorizations).toEqual(['Bearer test-key-explicit-1']);
  });

  it('must be an object: anything else is invalid_config naming env', () => {
    for (const env of ['EXAMPLE_API_KEY=test-key-env-4', 42, null]) {
      let thrown: unknown;
      try {
        createChatProvider(definition, { env: env as never });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(KitError);
      expect(thrown).toMatchObject({ code: 'invalid_config', message: expect.stringMatching(/^invalid example settings: env: must be an object/) });
      expect((thrown as KitError).message).not.toContain('test-key-env-4');
    }
  });
});

describe('the missing-key error says how to pass the key in this runtime', () => {
  it('with process.env: set the variable', () => {
    expect(missingKeyAdvice('OPENAI_API_KEY', undefined)).toBe('set OPENAI_API_KEY or pass apiKey or credentials');
  });

  it('without process (Workers, edge functions): pass apiKey: env.OPENAI_API_KEY, readable through masking', async () => {
    const advice = withoutProcess(() => missingKeyAdvice('OPENAI_API_KEY', undefined));
    expect(advice).toBe('no process.env here (Workers, edge): pass apiKey: env.OPENAI_API_KEY or env or credentials');
    const provider = createChatProvider({ ...definition, apiKeyEnvVar: 'OPENAI_API_KEY' }, { fetch: recordingFetch().fetch });
    const pending = withoutProcess(() => provider.complete({ prompt: 'hi' }));
    // The message goes through KitError's masking: the advice must survive it word for word.
    await expect(pending).rejects.toMatchObject({ code: 'invalid_config', message: `apiKey: example has none: ${advice}` });
  });

  it('for a provider without a variable: pass apiKey or credentials', () => {
    expect(missingKeyAdvice(undefined, undefined)).toBe('pass apiKey or credentials');
  });
});
