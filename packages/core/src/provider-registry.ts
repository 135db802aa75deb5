import { KitError } from './kit-error';
import type { Provider } from './provider';

/** Builds a provider from its settings. */
export type ProviderFactory<TSettings = Record<string, unknown>> = (settings?: TSettings) => Provider;

const factories = new Map<string, ProviderFactory<never>>();

/** Registers a factory under a type name. Explicit: importing a provider package registers nothing. */
export function registerProvider<TSettings>(type: string, factory: ProviderFactory<TSettings>): void {
  if (typeof type !== 'string' || type.trim() === '') throw new KitError('invalid_config', 'type: must be a non-empty string');
  if (typeof factory !== 'function') throw new KitError('invalid_config', `factory: must be a function (registering "${type}")`);
  factories.set(type, factory as ProviderFactory<never>);
}

/** Creates a provider of a registered type; an unknown type lists the registered ones. */
export function createProvider<TSettings = Record<string, unknown>>(type: string, settings?: TSettings): Provider {
  const factory = factories.get(type) as ProviderFactory<TSettings> | undefined;
  if (!factory) {
    const known = [...factories.keys()].sort();
    throw new KitError(
      'invalid_config',
      `type: unknown provider "${type}"; registered: ${known.length > 0 ? known.join(', ') : 'none (call registerProvider first)'}`,
    );
  }
  return factory(settings);
}

/** The registered type names. */
export function getRegisteredProviders(): string[] {
  return [...factories.keys()].sort();
}

/** Removes a registration (tests, hot reload). */
export function unregisterProvider(type: string): boolean {
  return factories.delete(type);
}
