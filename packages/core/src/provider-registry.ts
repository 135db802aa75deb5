import { KitError } from './kit-error';
import type { Provider } from './provider';
import { checkSpecificationVersion, type ProviderSpecificationVersion } from './provider-specification';

/**
 * Builds a provider from its settings. A factory may declare the provider specification it implements as a
 * `specificationVersion` property; `registerProvider` then refuses a mismatch at once.
 */
export type ProviderFactory<TSettings = Record<string, unknown>> = ((settings?: TSettings) => Provider) & {
  readonly specificationVersion?: ProviderSpecificationVersion;
};

// One registry per process, shared by every copy of core (two versions, or the ESM and CJS builds loaded together):
// a Map of type name → factory kept on `globalThis` under a `Symbol.for` key. Its key and shape are the contract
// between copies: never change them. Created on first use, never at import (`sideEffects: false`).
const registryKey = Symbol.for('@kit/core.provider-registry');

type RegistryHolder = { [registryKey]?: Map<string, ProviderFactory<never>> };

function factories(): Map<string, ProviderFactory<never>> {
  const holder = globalThis as RegistryHolder;
  let registry = holder[registryKey];
  if (!(registry instanceof Map)) {
    registry = new Map<string, ProviderFactory<never>>();
    // Not enumerable and not writable: a stray assignment cannot replace the registry every copy reads.
    Object.defineProperty(globalThis, registryKey, { value: registry, configurable: true });
  }
  return registry;
}

/**
 * Registers a factory under a type name. Explicit: importing a provider package registers nothing. The registry is
 * one per process: a type registered through one copy of `@kit/core` is created through any other. A factory that
 * declares a `specificationVersion` other than this core's is refused with `invalid_config`; a factory that declares
 * none is checked when it builds its provider (`createChatProvider` checks the definition's).
 */
export function registerProvider<TSettings>(type: string, factory: ProviderFactory<TSettings>): void {
  if (typeof type !== 'string' || type.trim() === '') throw new KitError('invalid_config', 'type: must be a non-empty string');
  if (typeof factory !== 'function') throw new KitError('invalid_config', `factory: must be a function (registering "${type}")`);
  if (factory.specificationVersion !== undefined) checkSpecificationVersion(factory.specificationVersion, type);
  factories().set(type, factory as ProviderFactory<never>);
}

/** Creates a provider of a registered type; an unknown type lists the registered ones. */
export function createProvider<TSettings = Record<string, unknown>>(type: string, settings?: TSettings): Provider {
  const factory = factories().get(type) as ProviderFactory<TSettings> | undefined;
  if (!factory) {
    const known = [...factories().keys()].sort();
    throw new KitError(
      'invalid_config',
      `type: unknown provider "${type}"; registered: ${known.length > 0 ? known.join(', ') : 'none (call registerProvider first)'}`,
    );
  }
  return factory(settings);
}

/** The registered type names. */
export function getRegisteredProviders(): string[] {
  return [...factories().keys()].sort();
}

/** Removes a registration (tests, hot reload). */
export function unregisterProvider(type: string): boolean {
  return factories().delete(type);
}
