const MASK = '***';

// Values that must never be shown whatever secret list is known: auth headers, key query parameters,
// and strings shaped like provider keys or bearer tokens.
const secretPatterns: RegExp[] = [
  // header-like or JSON-like `name: value` pairs (the value after an optional Bearer/Basic scheme)
  /((?:authorization|x-api-key|x-goog-api-key|api[-_]?key|access[-_]?token|refresh[-_]?token|client[-_]?secret)["']?\s*[:=]\s*["']?(?:bearer\s+|basic\s+)?)[^\s"',;&}]+/gi,
  // key-carrying query parameters
  /([?&](?:key|api_key|apikey|access_token|token)=)[^&\s"']+/gi,
  // a bearer token anywhere
  /(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  // strings shaped like provider keys and Google access tokens
  /()\b(?:(?:sk|rk|pk|csk|gsk|xai)[-_][A-Za-z0-9_-]{8,}|AIza[0-9A-Za-z_-]{20,}|ya29\.[0-9A-Za-z._-]{10,})/g,
];

/**
 * Returns `text` with every known secret and every secret-shaped value replaced by `***`.
 * `secrets` are exact values to remove (the credential in use); patterns catch the rest.
 */
export function maskSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let masked = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) masked = masked.split(secret).join(MASK);
  }
  for (const pattern of secretPatterns) masked = masked.replace(pattern, `$1${MASK}`);
  return masked;
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
