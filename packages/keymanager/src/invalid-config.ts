import { KitError } from '@kit/core';

/**
 * The `invalid_config` error every KeyManager validation throws. `field` names the bad input
 * (`keys[2]`, `options.maxBackoffMs`, …); the message never repeats a key.
 */
export function invalidConfig(provider: string, field: string, problem: string): KitError {
  return new KitError('invalid_config', `KeyManager(${provider}): ${field} ${problem}`, { provider });
}
