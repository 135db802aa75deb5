import { KitError } from '@kit/core';

/**
 * The one validation routine of KeyManager: throws `invalid_config` unless `ok`. `field` names the bad input
 * (`keys[2]`, `idOrKey`, …); the message never repeats a key.
 */
export function check(ok: unknown, provider: string, field: string, problem = 'is invalid'): asserts ok {
  if (!ok) throw new KitError('invalid_config', `KeyManager(${provider}): ${field} ${problem}`, { provider });
}

/** The problem of a field that is not expected or a key/id that is not in the pool. */
export const UNKNOWN = 'is unknown';
