import { KitError } from '@kit/core';

/**
 * The `invalid_config` error of the manager: `field` names the bad input (`credentials[2].accessToken`,
 * `options.maxBackoffMs`, `id`); the message never repeats a value (it could be a token).
 */
export function configError(provider: string, field: string, problem = 'is invalid'): KitError {
  return new KitError('invalid_config', `OAuthManager(${provider}): ${field} ${problem}`, { provider });
}

/** Throws `configError` unless `ok`. */
export function check(ok: unknown, provider: string, field: string, problem?: string): asserts ok {
  if (!ok) throw configError(provider, field, problem);
}
