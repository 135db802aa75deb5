import { isRecord } from '@kit/core/provider-utils';
import { check, UNKNOWN } from './invalid-config';

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
  readonly id: string;
  readonly secret: string;
  readonly weight: number;
}

/** Whether `value` is a string with something else than whitespace in it. */
export const isFilled = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/**
 * Validates one key input. `field` is how the input is named in errors (`keys[2]`, `key`);
 * `defaultId` is used when the input gives no id.
 */
export function normaliseKeyInput(input: unknown, field: string, defaultId: string, provider: string): NormalisedKey {
  const text = typeof input === 'string';
  const definition: unknown = text ? { key: input } : input;
  check(isRecord(definition), provider, field);
  for (const name in definition) check(/^(id|key|weight)$/.test(name), provider, `${field}.${name}`, UNKNOWN);
  const { id, key, weight = 1 } = definition;
  // A string input is named by its position alone. An explicit id must be a non-empty string without the key.
  check(isFilled(key), provider, text ? field : `${field}.key`);
  check(id === undefined || (isFilled(id) && !id.includes(key)), provider, `${field}.id`);
  check(Number.isFinite(weight) && (weight as number) > 0, provider, `${field}.weight`);
  return { id: id ?? defaultId, secret: key, weight: weight as number };
}
