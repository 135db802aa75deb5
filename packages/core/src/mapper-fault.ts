import { KitError } from './kit-error';

const blameless = new WeakSet<KitError>();

/**
 * What a provider's mapper threw that is not a `KitError` (a `SyntaxError`, a `TypeError` of a third-party mapper):
 * `invalid_response`, and marked so that the engine never holds it against the credential — a mapper bug is not the
 * key's fault. A `KitError` a mapper throws on purpose (an in-stream error body) is passed through unchanged.
 */
export function fromMapper(error: unknown, provider: string, credentialId?: string, secrets: readonly (string | undefined)[] = []): KitError {
  if (KitError.is(error)) return error;
  const kitError = new KitError('invalid_response', `${provider}: the response could not be read: ${(error as Error | undefined)?.message ?? String(error)}`, {
    provider,
    credentialId,
    cause: error,
    // A mapper's message may quote the body (V8's JSON.parse snippet), and the body may echo the credential.
    secrets,
  });
  blameless.add(kitError);
  return kitError;
}

/**
 * What a provider's `buildRequest` threw that is not a `KitError` (a bug in request mapping): `invalid_request`, which
 * is final (the same call would build the same request again), and never held against the credential.
 */
export function fromRequestBuilder(error: unknown, provider: string): KitError {
  if (KitError.is(error)) return error;
  const kitError = new KitError('invalid_request', `${provider}: the request could not be built: ${(error as Error | undefined)?.message ?? String(error)}`, {
    provider,
    cause: error,
  });
  blameless.add(kitError);
  return kitError;
}

/** Whether an error came from a mapper bug rather than from the upstream (see `fromMapper`). */
export function isMapperFault(error: KitError): boolean {
  return blameless.has(error);
}
