import { KitError } from './kit-error';
import type { RequestContext } from './provider-definition';
import { truncateMasked } from './truncate-masked';

/**
 * The error of a stream chunk that is not the JSON it should be (a spliced or corrupted line): `invalid_response`,
 * quoting at most 120 characters of the chunk, masked. Shared by every stream mapper.
 */
export function malformedStreamChunk(data: string, context: RequestContext): KitError {
  return new KitError('invalid_response', `${context.provider}: malformed JSON in the response stream: ${truncateMasked(data, 120)}`, {
    provider: context.provider,
    credentialId: context.credential.id,
  });
}

/** Parses one stream chunk's JSON, or throws `malformedStreamChunk`. */
export function parseStreamChunk(data: string, context: RequestContext): unknown {
  try {
    return JSON.parse(data);
  } catch {
    throw malformedStreamChunk(data, context);
  }
}
