export { KeyManager, type ExecuteWithFailoverOptions, type FailoverOperation } from './key-manager';
export type { KeyManagerOptions, KeySelectionStrategy } from './key-manager-options';
export type { KeyDefinition, KeyInput } from './key-input';
export type { KeyHealth, KeyManagerStatus } from './key-health';
