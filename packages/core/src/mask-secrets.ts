const MASK = '***';

// Names whose value is a credential: auth headers, key settings, OAuth fields.
const secretName = '(?:authorization|x-api-key|x-goog-api-key|api[-_]?key|access[-_]?token|refresh[-_]?token|client[-_]?secret)';
// `name: value`, `name=value`, `"name": "value"`, `'name': 'value'`, `\"name\":\"value\"` (JSON inside a JSON string):
// the name with its optional quote and separator, then either a quoted value or a bare one, each after an optional
// auth scheme. Groups: prefix, separator, quote, scheme, quoted value | scheme, bare value.
const scheme = String.raw`((?:bearer|basic)\s+)?`;
const namedValue = new RegExp(String.raw`(${secretName}\\?["']?\s*([:=])\s*)(?:(\\?["'])${scheme}([^"'\\]+)|${scheme}([^\s"'\\,;&}]+))`, 'gi');
const plainWord = /^(?:[A-Za-z][a-z]*|[A-Z]+)$/;

// Values that are secret by their place or shape alone, whatever secret list is known.
const shapePatterns: RegExp[] = [
  // key-carrying query parameters
  /([?&](?:key|api_key|apikey|access_token|token)=)[^&\s"']+/gi,
  // a bearer token anywhere
  /(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  // strings shaped like provider keys and Google access tokens, and the start of one cut short before a cut mark
  // (`…`, or V8's `"...` in a JSON.parse message, which cuts anywhere)
  /()(?:\b(?:(?:sk|rk|pk|csk|gsk|xai)[-_][\w-]{8,}|AIza[\w-]{20,}|ya29\.[\w.-]{10,})|(?:(?:sk|rk|pk|csk|gsk|xai)[-_]|AIza|ya29\.)[\w.-]*(?=["'`]?(?:\.{3}|…)))/g,
];

/**
 * Returns `text` with every known secret and every secret-shaped value replaced by `***`.
 * `secrets` are exact values to remove (the credential in use); any run of 8 or more of their characters is removed
 * too, so that a piece left by a cut (an error body cut to a length, V8's snippet of a body in a `JSON.parse` error)
 * is masked. Patterns catch the rest: auth headers, `name=value` and quoted `"name": "value"` pairs of credential
 * fields, key query parameters, bearer tokens, key-shaped strings (also their start before a cut mark). An unquoted
 * `name: value` is masked only when the value looks like a secret, so that `apiKey: must not be empty` stays readable.
 */
export function maskSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let masked = text;
  for (const secret of secrets) if (secret && secret.length >= 4) masked = maskPiecesOf(masked, secret);
  masked = masked.replace(namedValue, maskNamedValue);
  for (const pattern of shapePatterns) masked = masked.replace(pattern, `$1${MASK}`);
  return masked;
}

/**
 * The replacement of one `namedValue` match. A quoted value, a value after `=` or an auth scheme is always a secret;
 * an unquoted one after `:` is when it has 8+ characters and a digit, or when no prose follows it (a header line)
 * and it is not a plain word of fewer than 16 letters (`Required`, `undefined`): `apiKey: must not be empty` and
 * `apiKey: openai has none` are messages, not keys.
 */
function maskNamedValue(
  match: string,
  prefix: string,
  separator: string,
  quote: string | undefined,
  quotedScheme = '',
  _quoted: string | undefined,
  bareScheme = '',
  bare = '',
  offset: number,
  whole: string,
): string {
  if (quote !== undefined) return prefix + quote + quotedScheme + MASK;
  const value = bare.replace(/[.:!?)\]]+$/, ''); // trailing punctuation is not part of the value
  const end = offset + match.length;
  const secret =
    separator !== ':' ||
    bareScheme !== '' ||
    (value.length >= 8 && (/\d/.test(value) || (!/^ +[A-Za-z]/.test(whole.slice(end, end + 2)) && (value.length >= 16 || !plainWord.test(value)))));
  return secret && value !== MASK ? prefix + bareScheme + MASK + bare.slice(value.length) : match;
}

/** Deep-copies plain data with every string masked (for events and snapshots). */
export function maskValue<T>(value: T, secrets: readonly (string | undefined)[] = []): T {
  if (typeof value === 'string') return maskSecrets(value, secrets) as T;
  if (Array.isArray(value)) return value.map((item) => maskValue(item, secrets)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = maskValue(item, secrets);
    return copy as T;
  }
  return value;
}

/**
 * `text` with every run of 8 or more characters of `secret` (and `secret` itself, if shorter) replaced by `***`:
 * what a cut leaves of a secret is masked as surely as the whole. A run starts where 8 characters of the text are
 * 8 consecutive characters of the secret (a set lookup per position).
 */
function maskPiecesOf(text: string, secret: string): string {
  const size = Math.min(8, secret.length);
  const windows = new Set<string>();
  for (let end = size; end <= secret.length; end++) windows.add(secret.slice(end - size, end));
  let result = '';
  for (let start = 0; start < text.length; ) {
    let end = start + size;
    if (windows.has(text.slice(start, end))) {
      while (end < text.length && secret.includes(text.slice(start, end + 1))) end++;
      result += MASK;
      start = end;
    } else result += text[start++];
  }
  return result;
}
