import { afterEach, describe, expect, it } from 'vitest';
import { createProvider, getRegisteredProviders, registerProvider, unregisterProvider } from './provider-registry';
import type { Provider } from './provider';

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
    registerProvider('fake', () => ({ name: 'fake', type: 'fake' }) as unknown as Provider);
    expect(() => createProvider('nope')).toThrow(/unknown provider "nope"; registered: .*fake/);
  });

  it('rejects bad registrations with invalid_config', () => {
    expect(() => registerProvider('', () => ({}) as Provider)).toThrow(/type/);
    expect(() => registerProvider('x', 'nope' as never)).toThrow(/factory/);
  });
});
