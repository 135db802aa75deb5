// Helpers shared by this package's tests (not exported from the package).
import { KitError, type KitErrorCode, type KitEvent } from '@kit/core';
import type { OAuthCredential, RefreshedToken, RefreshFunction } from './oauth-credential';
import { OAuthManager } from './oauth-manager';
import type { OAuthManagerOptions } from './oauth-manager-options';

export const START = 1_700_000_000_000;
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** Obviously fake tokens, long enough that a leak would be unambiguous. */
export const accessTokenOf = (id: string, n = 0) => `test-access-token-${id}-${n}-abcdefgh`;
export const refreshTokenOf = (id: string, n = 0) => `test-refresh-token-${id}-${n}-abcdefgh`;

/** A credential valid for an hour from START. */
export function credential(id: string, extra: Partial<OAuthCredential> = {}): OAuthCredential {
  return { id, accessToken: accessTokenOf(id), refreshToken: refreshTokenOf(id), expiresAt: START + HOUR, ...extra };
}

/**
 * A scripted refresh function: each call answers the next tokens for the credential (rotating the refresh token),
 * or throws what `fail(credential, n)` returns. Records every call.
 */
export function scriptedRefresh(
  options: {
    fail?: (credential: OAuthCredential, n: number) => unknown;
    lifetimeMs?: number;
    clock?: () => number;
    rotate?: boolean;
    gate?: Promise<unknown>;
  } = {},
) {
  const calls: { id: string; refreshToken: string | undefined; signal: AbortSignal }[] = [];
  const counters = new Map<string, number>();
  const refresh: RefreshFunction = async (credential, { signal }) => {
    calls.push({ id: credential.id, refreshToken: credential.refreshToken, signal });
    const n = (counters.get(credential.id) ?? 0) + 1;
    counters.set(credential.id, n);
    if (options.gate) await options.gate;
    const failure = options.fail?.(credential, n);
    if (failure) throw failure;
    const result: RefreshedToken = { accessToken: accessTokenOf(credential.id, n), expiresInMs: options.lifetimeMs ?? HOUR };
    if (options.rotate !== false) result.refreshToken = refreshTokenOf(credential.id, n);
    return result;
  };
  return { refresh, calls };
}

/** A manager over a fake clock, recording its events. */
export function setup(credentials: OAuthCredential[], refresh: RefreshFunction, options: OAuthManagerOptions = {}) {
  const clock = { time: START };
  const events: KitEvent[] = [];
  const manager = new OAuthManager('gemini', credentials, refresh, {
    now: () => clock.time,
    onEvent: (event) => events.push(event),
    ...options,
  });
  const ofType = <T extends KitEvent['type']>(type: T) => events.filter((event): event is Extract<KitEvent, { type: T }> => event.type === type);
  return { manager, clock, events, ofType };
}

export const kitError = (code: KitErrorCode, extra: { retryAfterMs?: number; status?: number; message?: string } = {}) =>
  new KitError(code, extra.message ?? `upstream said ${code}`, extra);

/** Catches what a promise rejects with. */
export async function rejectionOf(promise: Promise<unknown>): Promise<KitError> {
  try {
    await promise;
  } catch (error) {
    if (!KitError.is(error)) throw error;
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** Catches what a function throws. */
export function thrownBy(action: () => unknown): KitError {
  try {
    action();
  } catch (error) {
    if (!KitError.is(error)) throw error;
    return error;
  }
  throw new Error('expected a KitError to be thrown');
}

/** Every token/secret of the credentials, for leak checks. */
export function secretsIn(credentials: readonly OAuthCredential[], extraRounds = 5): string[] {
  const secrets: string[] = [];
  for (const { id, accessToken, refreshToken, clientSecret } of credentials) {
    secrets.push(accessToken);
    if (refreshToken) secrets.push(refreshToken);
    if (clientSecret) secrets.push(clientSecret);
    for (let n = 1; n <= extraRounds; n++) secrets.push(accessTokenOf(id, n), refreshTokenOf(id, n));
  }
  return secrets;
}

/** Throws when any secret appears in the serialised observables. */
export function expectNoSecrets(observables: readonly unknown[], secrets: readonly string[]): void {
  const text = observables
    .map((item) =>
      typeof item === 'string'
        ? item
        : JSON.stringify(item, (_key, value) => (value instanceof Error ? { message: value.message, stack: value.stack, cause: value.cause } : value)),
    )
    .join('\n');
  for (const secret of secrets) if (text.includes(secret)) throw new Error(`a secret leaked: …${secret.slice(-12)}`);
}
