import { afterEach, describe, expect, it, vi } from 'vitest';
import { KitError } from './kit-error';
import type { Provider } from './provider';
import { createProvider, getRegisteredProviders, registerProvider, unregisterProvider } from './provider-registry';

const fakeProvider = (name: string) => ({ name, type: name }) as unknown as Provider;

describe('provider registry', () => {
  afterEach(() => unregisterProvider('fake'));

  it('creates a registered type with its settings', () => {
    let received: unknown;
    registerProvider('fake', (settings) => {
      received = settings;
      return { name: 'fake', type: 'fake' } as unknown as Provider;
    });
    expect(createProvider('fake', { apiKey: 'test-key-1' }).name).toBe('fake');
    expect(received).toEqual({ apiKey: 'test-key-1' });
    expect(getRegisteredProviders()).toContain('fake');
  });

  it('lists the registered types for an unknown one', () => {
    registerProvider('fake', () => fakeProvider('fake'));
    expect(() => createProvider('nope')).toThrow(/unknown provider "nope"; registered: .*fake/);
  });

  it('rejects bad registrations with invalid_config', () => {
    expect(() => registerProvider('', () => ({}) as Provider)).toThrow(/type/);
    expect(() => registerProvider('x', 'nope' as never)).toThrow(/factory/);
  });
});

describe('provider registry across copies of core', () => {
  const registryKey = Symbol.for('@kit/core.provider-registry');

  /** A fresh instance of the module, as a second copy of core (another version, or the other of ESM/CJS) would be. */
  async function anotherCopy(): Promise<typeof import('./provider-registry')> {
    vi.resetModules();
    return import('./provider-registry');
  }

  afterEach(() => {
    unregisterProvider('echo');
    unregisterProvider('other-echo');
  });

  it('creates through one copy what was registered through another, and lists it in both', async () => {
    const copy = await anotherCopy();
    copy.registerProvider('echo', () => fakeProvider('echo'));
    registerProvider('other-echo', () => fakeProvider('other-echo'));
    expect(createProvider('echo').name).toBe('echo');
    expect(copy.createProvider('other-echo').name).toBe('other-echo');
    expect(getRegisteredProviders()).toEqual(expect.arrayContaining(['echo', 'other-echo']));
    expect(copy.getRegisteredProviders()).toEqual(getRegisteredProviders());
    expect(copy.unregisterProvider('echo')).toBe(true);
    expect(() => createProvider('echo')).toThrow(/unknown provider "echo"/);
  });

  it("throws the other copy's errors as KitErrors of this copy too", async () => {
    const copy = await anotherCopy();
    let thrown: unknown;
    try {
      copy.createProvider('nope');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(KitError);
    expect(thrown).toMatchObject({ code: 'invalid_config' });
  });

  it('creates the shared registry on first use, not when the module is imported', async () => {
    const holder = globalThis as { [registryKey]?: unknown };
    const saved = Object.getOwnPropertyDescriptor(globalThis, registryKey);
    try {
      delete holder[registryKey];
      const copy = await anotherCopy();
      expect(registryKey in globalThis).toBe(false);
      expect(copy.getRegisteredProviders()).toEqual([]);
      copy.registerProvider('echo', () => fakeProvider('echo'));
      expect(holder[registryKey]).toBeInstanceOf(Map);
      // Not enumerable, not writable: invisible to globalThis listings and not replaced by a stray assignment.
      expect(Object.getOwnPropertyDescriptor(globalThis, registryKey)).toMatchObject({ enumerable: false, writable: false });
    } finally {
      delete holder[registryKey];
      if (saved) Object.defineProperty(globalThis, registryKey, saved);
    }
  });
});
