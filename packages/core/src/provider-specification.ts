import { KitError } from './kit-error';

/**
 * The version of the provider contract this `@kit/core` implements: the `ProviderDefinition` shape and what
 * `createChatProvider` does with it. A definition names the version it was written for in `specificationVersion`;
 * `createChatProvider` and `registerProvider` refuse any other, so a provider package built for another contract
 * fails at once with a clear `invalid_config` error instead of misbehaving later.
 */
export const PROVIDER_SPECIFICATION_VERSION = 'v1';

/** The provider contract version this `@kit/core` implements (`PROVIDER_SPECIFICATION_VERSION`). */
export type ProviderSpecificationVersion = typeof PROVIDER_SPECIFICATION_VERSION;

/** Throws `invalid_config` unless `version` is `PROVIDER_SPECIFICATION_VERSION`; `provider` names the culprit. */
export function checkSpecificationVersion(version: unknown, provider: string): void {
  if (version !== PROVIDER_SPECIFICATION_VERSION) {
    const message = `specificationVersion: provider "${provider}" implements ${version}, this @kit/core ${PROVIDER_SPECIFICATION_VERSION}: install matching versions`;
    throw new KitError('invalid_config', message, { provider });
  }
}
