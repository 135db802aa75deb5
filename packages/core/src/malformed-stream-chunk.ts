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

/**
 * One stream event's data: its JSON; `undefined` for a blank line (a keep-alive: nothing); otherwise `data` itself,
 * a string and so no object (an `event: error` may carry plain text). Parsed JSON is never `data` itself: a JSON
 * string parses to its content, without the quotes. Blankness is looked for only once the parse failed: a trim of
 * every event's data cost ~0.5 % of the SSE bench.
 */
export function parseStreamData(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return data.trim() ? data : undefined;
  }
}

/** Parses one stream chunk's JSON (`undefined` for a blank one), or throws `malformedStreamChunk`. */
export function parseStreamChunk(data: string, context: RequestContext): unknown {
  const json = parseStreamData(data);
  if (json === data) throw malformedStreamChunk(data, context);
  return json;
}
