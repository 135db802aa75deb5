/** Reads `retry-after-ms` or `retry-after` (seconds or HTTP date) into milliseconds. */
export function parseRetryAfter(headers: Headers, now: number = Date.now()): number | undefined {
  const milliseconds = headers.get('retry-after-ms');
  if (milliseconds !== null) {
    const value = Number(milliseconds);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const retryAfter = headers.get('retry-after');
  if (retryAfter === null || retryAfter.trim() === '') return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Parses a duration like `1s`, `6m0s`, `20ms`, `1h2m3.5s` (OpenAI's reset headers) into milliseconds. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  let total = 0;
  let matched = '';
  for (const match of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) {
    total += Number(match[1]) * (units[match[2] as string] ?? 0);
    matched += match[0];
  }
  return matched === trimmed ? total : undefined;
}

/** A parsed wait as whole milliseconds, rounded up past float noise (`"1.984999999s"` → 1985, `"9m38.016s"` → 578016). */
function wholeMilliseconds(milliseconds: number): number {
  return Math.ceil(Math.round(milliseconds * 1000) / 1000);
}

/**
 * The wait of a Google `RetryInfo` detail (`error.details[]` whose `@type` ends in `google.rpc.RetryInfo`, with a
 * protobuf duration such as `retryDelay: "2.5s"`), in milliseconds. Reads `{ error }` and `[{ error }]` bodies.
 */
export function retryInfoDelayMs(body: unknown): number | undefined {
  const record: unknown = Array.isArray(body) ? body[0] : body;
  const error = record && typeof record === 'object' ? (record as Record<string, unknown>).error : undefined;
  const details = error && typeof error === 'object' ? (error as Record<string, unknown>).details : undefined;
  if (!Array.isArray(details)) return undefined;
  for (const detail of details) {
    if (!detail || typeof detail !== 'object') continue;
    const { '@type': type, retryDelay } = detail as Record<string, unknown>;
    if (typeof type !== 'string' || !type.endsWith('google.rpc.RetryInfo') || typeof retryDelay !== 'string') continue;
    const delay = parseDuration(retryDelay);
    if (delay !== undefined) return wholeMilliseconds(delay);
  }
  return undefined;
}

// "Please try again in 2s", "in 1m30s", "in 420ms", "in 1.984999999s" (OpenAI, Groq); "Please retry in 43.5s"
// (Gemini); "Please retry after 86400 seconds" (Azure).
const retryHint =
  /(?:try again|retry) (?:in|after) ~?\s*(?:((?:\d+(?:\.\d+)?(?:ms|h|m|s))+)\b|(\d+(?:\.\d+)?) ?(milliseconds?|seconds?|secs?|minutes?|mins?|hours?)\b)/i;

/** Milliseconds per unit word: `milliseconds`, `seconds`/`secs`, `minutes`/`mins`, `hours`. */
function wordUnitMs(unit: string): number {
  const word = unit.toLowerCase();
  if (word.startsWith('milli')) return 1;
  if (word.startsWith('s')) return 1000;
  return word.startsWith('m') ? 60_000 : 3_600_000;
}

/**
 * The wait a message asks for in words ("Please try again in 2s", "retry after 6 seconds"), in milliseconds.
 * Weak evidence: core reads it only for a `rate_limit` that came with no header and no `RetryInfo`.
 */
export function retryHintFromMessage(message: string | undefined): number | undefined {
  const match = message ? retryHint.exec(message) : null;
  if (!match) return undefined;
  const [, compact, amount, unit] = match;
  const milliseconds = compact !== undefined ? parseDuration(compact) : Number(amount) * wordUnitMs(unit as string);
  return milliseconds === undefined ? undefined : wholeMilliseconds(milliseconds);
}
