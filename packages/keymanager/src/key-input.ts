import { invalidConfig } from './invalid-config';

/** An API key with an explicit id and/or weight. */
export interface KeyDefinition {
  /**
   * A stable, non-secret name for the key, used in events, health reports and `reportSuccess`/`reportFailure`.
   * Default: `key-<position + 1>`. It must not contain the key itself.
   */
  id?: string;
  /** The API key. */
  key: string;
  /** Share of the traffic under the `'weighted'` strategy (a positive number, default 1). */
  weight?: number;
}

/** One API key as given to `KeyManager`: the key itself, or a {@link KeyDefinition}. */
export type KeyInput = string | KeyDefinition;

/** A validated key (internal). */
export interface NormalisedKey {
  id: string;
  secret: string;
  weight: number;
}

const isBlank = (value: string): boolean => value.trim() === '';

/**
 * Validates one key input. `field` is how the input is named in errors (`keys[2]`, `key`);
 * `defaultId` is used when the input gives no id.
 */
export function normaliseKeyInput(input: unknown, field: string, defaultId: string, provider: string): NormalisedKey {
  if (typeof input === 'string') {
    if (isBlank(input)) throw invalidConfig(provider, field, 'must be a non-empty string');
    return { id: defaultId, secret: input, weight: 1 };
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw invalidConfig(provider, field, 'must be a string or an object { id?, key, weight? }');
  }
  const definition = input as Record<string, unknown>;
  for (const name of Object.keys(definition)) {
    if (name !== 'id' && name !== 'key' && name !== 'weight') {
      throw invalidConfig(provider, `${field}.${name}`, 'is not a known field (expected id, key, weight)');
    }
  }
  const { id, key, weight } = definition;
  if (typeof key !== 'string' || isBlank(key)) throw invalidConfig(provider, `${field}.key`, 'must be a non-empty string');
  if (id !== undefined) {
    if (typeof id !== 'string' || isBlank(id)) throw invalidConfig(provider, `${field}.id`, 'must be a non-empty string');
    if (id.includes(key)) throw invalidConfig(provider, `${field}.id`, 'must not contain the key');
  }
  if (weight !== undefined && (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0)) {
    throw invalidConfig(provider, `${field}.weight`, 'must be a positive finite number');
  }
  return { id: id ?? defaultId, secret: key, weight: weight ?? 1 };
}
