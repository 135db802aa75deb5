import * as z from 'zod/mini';
import { nonEmptyCheck } from './non-empty-check';
import { isPlainObject, parseContext, type SafeParser } from './validate';

/**
 * The longest duration a timer can wait: `setTimeout` treats anything above 2³¹ − 1 ms (about 24.8 days) as 1 ms,
 * so a larger `timeoutMs` would fire at once instead of never.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/** RFC 9110 `token`: the characters a header name may hold. */
export const headerNamePattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
export const HEADER_NAME_ERROR = "is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)";
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

/**
 * A string matching `pattern`, else `error`. A refinement, not `z.regex`: the same check and message without zod's
 * string-format machinery in every bundle.
 */
export function patternStringSchema(pattern: RegExp, error: string) {
  return z.string().check(z.refine((value) => pattern.test(value), { error }));
}

/**
 * `https://`, or `http://` to a loopback host only (a local test server): for endpoints that receive a secret (a client
 * secret, a signed assertion), which must never cross a network in clear.
 */
export const isSecureOrLoopbackURL = (url: string): boolean =>
  /^https:\/\//i.test(url) || /^http:\/\/(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?(\/|$)/i.test(url);

/** A string that is not empty. */
export function nonEmptyStringSchema() {
  return z.string().check(nonEmptyCheck);
}

/**
 * A safe integer, worded as `z.int()` words it ("must be a finite number" for what is no number, "must be an
 * integer" for a fraction) — without `z.int()`'s number-format machinery (every int32/uint32/float range and its
 * messages), which cost every bundle that validates settings ~0.35 KB min+gzip. Checks chained after it run only
 * on an integer.
 */
export function integerSchema() {
  return z.number().check(z.refine(Number.isSafeInteger, { error: 'must be an integer', abort: true }));
}

/**
 * A number's lower bound, worded as `z.minimum` words it ("must be at least 0"; `exclusive`: "must be greater than
 * 0", as `z.positive`). The bounds of core's settings and call options are refinements, not zod's numeric checks:
 * those add their check classes and bounds bookkeeping (0.17 KB min+gzip) to every app for a handful of fields.
 */
export function atLeast(min: number, exclusive = false) {
  return z.refine<number>((value) => (exclusive ? value > min : value >= min), {
    error: exclusive ? `must be greater than ${min}` : `must be at least ${min}`,
  });
}

/** A number's upper bound, worded as `z.maximum` words it ("must be at most 2"), or with `error`. */
export function atMost(max: number, error = `must be at most ${max}`) {
  return z.refine<number>((value) => value <= max, { error });
}

/**
 * A duration in milliseconds that a timer can wait: an integer from `min` (default 1) to `MAX_TIMER_MS`. Use it for
 * every `*Ms` setting that ends up in `setTimeout`.
 */
export function durationMsSchema(min = 1) {
  return integerSchema().check(
    min === 1 ? atLeast(0, true) : atLeast(min),
    atMost(MAX_TIMER_MS, `must be at most ${MAX_TIMER_MS} (about 24.8 days: timers cannot wait longer)`),
  );
}

/** An absolute `http://` or `https://` URL with a host and no whitespace. */
export function httpURLSchema() {
  return z.string().check(z.refine(isHttpURL, { error: 'must be an http(s) URL without spaces' }));
}

/** Extra HTTP headers: names that are HTTP tokens, values without line breaks. */
export function headersSchema() {
  return recordSchema(
    (name) => headerNamePattern.test(name),
    HEADER_NAME_ERROR,
    patternStringSchema(headerValuePattern, 'must not contain a line break (CR, LF) or NUL'),
  );
}

/**
 * An API key: not empty, and without whitespace anywhere (a key copied with a trailing newline or a space would be
 * refused by the server as a wrong key, far from where the mistake is). The message never quotes the key.
 */
export function apiKeySchema() {
  return z.string().check(
    nonEmptyCheck,
    z.refine((value: string) => !whitespace.test(value), {
      error: 'must not contain whitespace or a line break (was a space or newline copied with the key?)',
    }),
  );
}

const isFunction = (value: unknown) => typeof value === 'function';

// Plain objects only, as `z.record` took them: a `Headers`, `Map` or `Date` would pass with no entry checked.
const isRecord = isPlainObject;

/**
 * A plain object whose keys pass `isKey` and whose values pass `value`, each problem named by its key
 * (`headers.X Trace: is not a valid HTTP header name`). A refinement over the object rather than `z.record`, which
 * would add 0.6 KB min+gzip to every app; values are checked, not transformed (the object is kept as it is).
 */
export function recordSchema<V>(isKey: (key: string) => boolean, keyError: string, value: SafeParser<V>) {
  return z.custom<Record<string, V>>(isRecord, { error: 'must be an object' }).check(
    z.superRefine((record, context) => {
      for (const key of Object.keys(record)) {
        if (!isKey(key)) context.addIssue({ code: 'custom', message: keyError, path: [key], input: key });
        const result = value.safeParse(record[key], parseContext);
        if (!result.success)
          // The issue as it is (an unknown key keeps its `keys`), placed under `key`.
          for (const issue of result.error.issues) context.addIssue({ ...(issue as z.core.$ZodRawIssue), path: [key, ...(issue.path ?? [])] as PropertyKey[] });
      }
    }),
  );
}

/** A function, typed as `T`. */
export function functionSchema<T>(message = 'must be a function') {
  return z.custom<T>(isFunction, { error: message });
}

/** A non-null object (an array is one too). */
export const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;

/** An object with the named methods, typed as `T` (a `CredentialSource`, a `MetricsSink`, …). */
export function implementsSchema<T>(methods: readonly string[], message: string) {
  return z.custom<T>((value) => isObject(value) && methods.every((name) => isFunction((value as Record<string, unknown>)[name])), {
    error: message,
  });
}
