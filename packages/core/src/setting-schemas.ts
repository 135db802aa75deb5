import * as z from 'zod/mini';

/**
 * The longest duration a timer can wait: `setTimeout` treats anything above 2³¹ − 1 ms (about 24.8 days) as 1 ms,
 * so a larger `timeoutMs` would fire at once instead of never.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/** RFC 9110 `token`: the characters a header name may hold. */
const headerNamePattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** A header value must not smuggle another header (CR, LF) or end the string early (NUL). */
const headerValuePattern = /^[^\r\n\0]*$/;
const whitespace = /\s/;

function isHttpURL(value: string): boolean {
  if (!/^https?:\/\/[^\s/?#]+\S*$/i.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** A string that is not empty. */
export function nonEmptyStringSchema() {
  return z.string().check(z.minLength(1));
}

/**
 * A duration in milliseconds that a timer can wait: an integer from `min` (default 1) to `MAX_TIMER_MS`. Use it for
 * every `*Ms` setting that ends up in `setTimeout`.
 */
export function durationMsSchema(min = 1) {
  return z
    .int()
    .check(
      min === 1 ? z.positive() : z.minimum(min),
      z.maximum(MAX_TIMER_MS, { error: `must be at most ${MAX_TIMER_MS} (about 24.8 days: timers cannot wait longer)` }),
    );
}

/** An absolute `http://` or `https://` URL with a host and no whitespace. */
export function httpURLSchema() {
  return z.string().check(z.refine(isHttpURL, { error: 'must be an http(s) URL without spaces' }));
}

/** Extra HTTP headers: names that are HTTP tokens, values without line breaks. */
export function headersSchema() {
  return z.record(
    z.string().check(z.regex(headerNamePattern, { error: "is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)" })),
    z.string().check(z.regex(headerValuePattern, { error: 'must not contain a line break (CR, LF) or NUL' })),
  );
}

/**
 * An API key: not empty, and without whitespace anywhere (a key copied with a trailing newline or a space would be
 * refused by the server as a wrong key, far from where the mistake is). The message never quotes the key.
 */
export function apiKeySchema() {
  return z.string().check(
    z.minLength(1),
    z.refine((value: string) => !whitespace.test(value), {
      error: 'must not contain whitespace or a line break (was a space or newline copied with the key?)',
    }),
  );
}

const isFunction = (value: unknown) => typeof value === 'function';

/** A function, typed as `T`. */
export function functionSchema<T>(message = 'must be a function') {
  return z.custom<T>(isFunction, { error: message });
}

/** An object with the named methods, typed as `T` (a `CredentialSource`, a `MetricsSink`, …). */
export function implementsSchema<T>(methods: readonly string[], message: string) {
  return z.custom<T>((value) => typeof value === 'object' && value !== null && methods.every((name) => isFunction((value as Record<string, unknown>)[name])), {
    error: message,
  });
}
