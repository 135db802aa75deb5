import type { IncomingHttpHeaders } from 'node:http';

/** One request the mock upstream received, with every credential masked. */
export interface RecordedRequest {
  method: string;
  /** Path and query as sent, with `key=`-style query parameters masked. */
  path: string;
  /** Lower-case header names; credential headers (`authorization`, `x-api-key`, `x-goog-api-key`, …) read `***`. */
  headers: Record<string, string>;
  /** The parsed JSON body, or `undefined` when there was none or it was not JSON. */
  body: unknown;
  /** The configured credential the request authenticated as. */
  credentialId?: string;
  /** When the request arrived (epoch ms). */
  at: number;
  /** The client closed the connection before the answer finished. */
  aborted: boolean;
}

/** Shown instead of every secret. */
export const SECRET_MASK = '***';

const credentialHeaders = new Set(['authorization', 'proxy-authorization', 'x-api-key', 'x-goog-api-key', 'api-key', 'cookie']);

const credentialQueryParameter = /([?&](?:key|api_key|apikey|api-key|access_token|token)=)[^&#]*/gi;

/** Secrets shorter than this are not searched for inside other values (they would mangle ordinary text). */
const shortestScrubbedSecret = 4;

/** Masks credential-carrying query parameters in a request path. */
export function maskPath(path: string): string {
  return path.replace(credentialQueryParameter, `$1${SECRET_MASK}`);
}

/** Lower-cases header names, joins repeated values and masks credential headers. */
export function maskHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    result[key] = credentialHeaders.has(key) ? SECRET_MASK : Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}

/** Deep-copies `value`, replacing every occurrence of each secret in strings (and object keys) by `***`. */
export function scrubSecrets<T>(value: T, secrets: readonly string[]): T {
  const searched = secrets.filter((secret) => secret.length >= shortestScrubbedSecret);
  if (searched.length === 0) return value;
  return scrub(value, searched) as T;
}

function scrub(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') {
    let text = value;
    for (const secret of secrets) if (text.includes(secret)) text = text.split(secret).join(SECRET_MASK);
    return text;
  }
  if (Array.isArray(value)) return value.map((item) => scrub(item, secrets));
  if (value && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[scrub(key, secrets) as string] = scrub(item, secrets);
    return copy;
  }
  return value;
}

/** What the server knows about a request when it records it. */
export interface RequestRecordInput {
  method: string;
  /** `request.url`: path and query. */
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  credentialId?: string;
  at: number;
  /** Values never to store: every configured secret and the one the request presented. */
  secrets: readonly string[];
}

/** Builds the masked record of a request: nothing in it contains a secret. */
export function recordRequest(input: RequestRecordInput): RecordedRequest {
  const record: RecordedRequest = {
    method: input.method,
    path: scrubSecrets(maskPath(input.url), input.secrets),
    headers: scrubSecrets(maskHeaders(input.headers), input.secrets),
    body: scrubSecrets(input.body, input.secrets),
    at: input.at,
    aborted: false,
  };
  if (input.credentialId !== undefined) record.credentialId = input.credentialId;
  return record;
}
