import { afterEach, describe, expect, it } from 'vitest';
import { createChatProvider } from './create-chat-provider';
import { DEFAULT_PROVIDER_CAPABILITIES } from './default-capabilities';
import { sseFraming } from './framing';
import type { Provider } from './provider';
import type { ProviderDefinition } from './provider-definition';
import { createProvider, getRegisteredProviders, registerProvider, unregisterProvider, type ProviderFactory } from './provider-registry';
import { PROVIDER_SPECIFICATION_VERSION } from './provider-specification';

// Construction only: nothing here sends a request, so no upstream is needed.
const definition: ProviderDefinition = {
  specificationVersion: PROVIDER_SPECIFICATION_VERSION,
  type: 'acme',
  defaultBaseURL: 'https://api.acme.test/v1',
  defaultModel: 'acme-1',
  fallbackModels: [],
  authHeaders: (lease) => ({ 'x-acme-key': lease.secret }),
  chat: {
    framing: sseFraming,
    buildRequest: (options) => ({ path: '/generate', body: { model: options.model } }),
    createStreamMapper: () => ({ push: () => {}, end: () => {} }),
    parseResponse: () => {},
  },
};

/** A `KitError` with `code` and a message matching `message` (and `provider` when given). */
const kitError = (code: string, message: RegExp, provider?: string) =>
  expect.objectContaining({ name: 'KitError', code, message: expect.stringMatching(message), ...(provider ? { provider } : {}) });

const versionMismatch = (found: string) =>
  new RegExp(`^specificationVersion: provider "acme" implements ${found}, this @kit/core v1: install matching versions$`);

describe('specificationVersion', () => {
  it('is "v1" in this core', () => {
    expect(PROVIDER_SPECIFICATION_VERSION).toBe('v1');
  });

  it('createChatProvider accepts a definition written for this core', () => {
    expect(createChatProvider(definition, { apiKey: 'test-key-spec-1' }).type).toBe('acme');
  });

  it('createChatProvider refuses a definition written for another specification, naming both versions', () => {
    const v2 = { ...definition, specificationVersion: 'v2' as never };
    expect(() => createChatProvider(v2, { apiKey: 'test-key-spec-1' })).toThrow(kitError('invalid_config', versionMismatch('v2'), 'acme'));
  });

  it('createChatProvider refuses a definition that names no specification (one written before versions existed)', () => {
    const { specificationVersion: _omitted, ...unversioned } = definition;
    expect(() => createChatProvider(unversioned as ProviderDefinition, { apiKey: 'test-key-spec-1' })).toThrow(
      kitError('invalid_config', versionMismatch('undefined')),
    );
  });

  it('checks the version before the settings: a mismatched package fails with the version error', () => {
    expect(() => createChatProvider({ ...definition, specificationVersion: 'v0' as never }, { timeoutMs: -1 })).toThrow(versionMismatch('v0'));
  });
});

describe('registerProvider and specificationVersion', () => {
  afterEach(() => unregisterProvider('acme'));

  const factoryDeclaring = (version: string | undefined): ProviderFactory => {
    const factory = (settings?: Record<string, unknown>) => createChatProvider(definition, settings);
    return version === undefined ? factory : Object.assign(factory, { specificationVersion: version as never });
  };

  it('registers a factory that declares this core’s version, or declares none', () => {
    registerProvider('acme', factoryDeclaring('v1'));
    expect(createProvider('acme', { apiKey: 'test-key-spec-2' }).type).toBe('acme');
    unregisterProvider('acme');
    registerProvider('acme', factoryDeclaring(undefined));
    expect(getRegisteredProviders()).toContain('acme');
  });

  it('refuses a factory declaring another version at registration, and registers nothing', () => {
    expect(() => registerProvider('acme', factoryDeclaring('v7'))).toThrow(kitError('invalid_config', versionMismatch('v7'), 'acme'));
    expect(getRegisteredProviders()).not.toContain('acme');
  });

  it('still checks a factory declaring nothing, when it builds its provider', () => {
    const v2 = { ...definition, specificationVersion: 'v2' as never };
    registerProvider('acme', (settings?: Record<string, unknown>): Provider => createChatProvider(v2, settings));
    expect(() => createProvider('acme', { apiKey: 'test-key-spec-3' })).toThrow(versionMismatch('v2'));
  });
});

describe('createChatProvider settings and capabilities', () => {
  it('refuses an unknown setting, naming it (a typo is not silently ignored), without showing its value', () => {
    const typo = () => createChatProvider(definition, { apikey: 'test-key-typo-1' } as never);
    expect(typo).toThrow(kitError('invalid_config', /^invalid acme settings: apikey: is not a known option$/));
  });

  it('gives a definition without capabilities the documented defaults: streaming on, the rest off', () => {
    const provider = createChatProvider(definition, { apiKey: 'test-key-caps-1' });
    expect(provider.capabilities).toEqual({ streaming: true, tools: false, vision: false, documents: false, audio: false, reasoning: false, json: false });
    expect(provider.capabilities).toEqual(DEFAULT_PROVIDER_CAPABILITIES);
  });

  it('merges the capabilities a definition declares over the defaults', () => {
    const provider = createChatProvider({ ...definition, capabilities: { tools: true, json: true } }, { apiKey: 'test-key-caps-2' });
    expect(provider.capabilities).toEqual({ streaming: true, tools: true, vision: false, documents: false, audio: false, reasoning: false, json: true });
  });
});
