/** Headers as callers write them: a plain record (an `undefined` value is skipped), a `Headers`, or nothing. */
export type HeaderSource = Readonly<Record<string, string | undefined>> | Headers | undefined;

/**
 * Merges header sources into one plain record with lower-case names and one value per name. Names are compared
 * case-insensitively and a later source wins (`{ Authorization: 'a' }` then `{ authorization: 'b' }` gives
 * `{ authorization: 'b' }`, never `'a, b'`); an `undefined` source or value is skipped: it removes nothing.
 */
export function mergeHeaders(...sources: readonly HeaderSource[]): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const source of sources) {
    if (!source) continue;
    // `Headers` is there wherever `fetch` is (every runtime @kit supports).
    if (source instanceof Headers) {
      source.forEach((value, name) => {
        merged[name] = value;
      });
      continue;
    }
    for (const name in source) {
      const value = source[name];
      if (value !== undefined) merged[name.toLowerCase()] = value;
    }
  }
  return merged;
}

/** The parts of a chat request's headers, named by where they come from. */
export interface ChatRequestHeaderParts {
  /** Streams ask for `text/event-stream`, other calls for `application/json`. */
  stream: boolean;
  /** Whether a JSON body is sent (`content-type: application/json`). */
  hasBody: boolean;
  /** The provider definition's `headers` (e.g. `anthropic-version`). */
  provider?: HeaderSource;
  /** The wire request's own headers (e.g. a beta flag for one feature). */
  request?: HeaderSource;
  /** The user's `headers` provider setting. */
  settings?: HeaderSource;
  /** The call's `options.headers`. */
  call?: HeaderSource;
  /** The credential's authentication headers (`definition.authHeaders(lease)`); left out when there is no secret. */
  auth?: HeaderSource;
}

/**
 * The headers of a chat request, lowest precedence first: the engine's defaults (`accept`, `content-type`), the
 * provider definition's headers, the wire request's headers, the user's `headers` setting, the call's
 * `options.headers`, and last the credential's authentication headers — so a user `Authorization` header never
 * joins the credential's: the request carries exactly one, the credential's. One value per name, lower-case names.
 */
export function chatRequestHeaders(parts: ChatRequestHeaderParts): Record<string, string> {
  const defaults: Record<string, string> = { accept: parts.stream ? 'text/event-stream' : 'application/json' };
  if (parts.hasBody) defaults['content-type'] = 'application/json';
  return mergeHeaders(defaults, parts.provider, parts.request, parts.settings, parts.call, parts.auth);
}
