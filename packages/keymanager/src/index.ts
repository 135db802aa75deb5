/**
 * `KeyManager`: a pool of API keys with round-robin, weighted or random selection, health tracking and backoff.
 * Pass it as a provider's `credentials`.
 *
 * @module @kit/keymanager
 */
export { KeyManager, type ExecuteWithFailoverOptions, type FailoverOperation } from './key-manager';
export type { KeyManagerOptions, KeySelectionStrategy } from './key-manager-options';
export type { KeyDefinition, KeyInput } from './key-input';
export type { KeyHealth, KeyManagerStatus } from './key-health';
