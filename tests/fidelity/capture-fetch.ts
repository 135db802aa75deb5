import { cannedAnswer, type WireDialect } from './canned-answers';

/** One HTTP request as it left @kit (or an official SDK): what a snapshot shows. */
export interface CapturedRequest {
  method: string;
  /** The full URL: base URL, path and query. */
  url: string;
  /** Lower-case names, sorted; a credential header shows where the key was as `<api-key>`. */
  headers: Record<string, string>;
  /** The parsed JSON body (`undefined` when none was sent). */
  body: unknown;
}

/** Headers that carry a credential: their value is shown with the key replaced by `<api-key>`. */
const credentialHeaders = new Set(['authorization', 'x-api-key', 'api-key', 'x-goog-api-key']);

/**
 * Headers an official SDK adds about itself (`x-stainless-*`, `user-agent`, retry counters): left out, so that an SDK's
 * request and @kit's compare on what the API reads. @kit sends none of them.
 */
const sdkNoise = /^(user-agent|x-stainless-.*)$/;

/** A `fetch` argument as a string URL. */
const urlOf = (input: RequestInfo | URL) => (typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);

/**
 * A `fetch` that records every request and answers it with a canned success in the dialect's format (JSON, or a
 * stream when the request asked for one), without any network. The key is replaced only inside the credential
 * headers: a key anywhere else (a URL, the body, another header) stays in the capture, where the no-secrets check
 * finds it.
 */
export function createCaptureFetch(dialect: WireDialect, apiKey: string) {
  const requests: CapturedRequest[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const headers: Record<string, string> = {};
    const given = new Headers(init?.headers);
    for (const name of [...given.keys()].sort()) {
      if (sdkNoise.test(name)) continue;
      const value = given.get(name) ?? '';
      headers[name] = credentialHeaders.has(name) ? value.split(apiKey).join('<api-key>') : value;
    }
    const text = typeof init?.body === 'string' ? init.body : undefined;
    const body: unknown = text === undefined ? undefined : JSON.parse(text);
    const url = urlOf(input);
    requests.push({ method: init?.method ?? 'GET', url, headers, body });
    const streaming = headers.accept === 'text/event-stream' || url.includes('alt=sse') || (body as { stream?: unknown } | undefined)?.stream === true;
    return cannedAnswer(dialect, streaming);
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}
