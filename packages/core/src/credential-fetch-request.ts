import { mergeHeaders } from './merge-headers';

/** A body that can be sent again: everything `fetch` accepts except a one-shot stream. */
export type ResendableBody = Exclude<BodyInit, ReadableStream>;

/** One request as `credentialFetch` re-sends it to each credential: the body read once, the headers without auth. */
export interface ResendableRequest {
  url: string;
  /** The caller's init without `headers`, `body`, `signal` and `duplex` (those are set per attempt). */
  init: RequestInit;
  headers: Headers;
  body: ResendableBody | undefined;
  signal: AbortSignal | undefined;
}

/** Where the credential goes on each attempt. */
export interface CredentialHeader {
  /** Header name; compared case-insensitively. */
  name: string;
  /** Written before the secret with one space (`Bearer`); empty for a bare key. */
  scheme: string;
  /** Auth headers removed first (the SDK's dummy key), so the request carries exactly one credential. */
  replaces: readonly string[];
}

/** What the SDK may hand `fetch` as a body, streams and async iterables included (the `openai` SDK accepts both). */
type BodyLike = BodyInit | AsyncIterable<Uint8Array | string> | null | undefined;

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value && !(typeof ReadableStream !== 'undefined' && value instanceof ReadableStream);

/** Joins chunks into one array (a copy: the chunks may be views of a reused buffer). */
function concat(chunks: readonly Uint8Array[], length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/**
 * Reads a one-shot body (a `ReadableStream` or an async iterable) into memory once, so the request can be sent again
 * with another credential; every other body (`string`, `Uint8Array`, `ArrayBuffer`, `Blob`, `FormData`,
 * `URLSearchParams`) can be re-sent as it is and is returned unchanged.
 */
export async function bufferRequestBody(body: BodyLike): Promise<ResendableBody | undefined> {
  if (body === null || body === undefined) return undefined;
  const isStream = typeof ReadableStream !== 'undefined' && body instanceof ReadableStream;
  if (!isStream && !isAsyncIterable(body)) return body as ResendableBody;
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  let length = 0;
  const add = (chunk: unknown) => {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk instanceof Uint8Array ? chunk : new Uint8Array(chunk as ArrayBuffer);
    chunks.push(bytes);
    length += bytes.length;
  };
  if (isStream) {
    const reader = (body as ReadableStream<unknown>).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      add(value);
    }
  } else {
    for await (const chunk of body as AsyncIterable<unknown>) add(chunk);
  }
  return concat(chunks, length);
}

/**
 * The parts of a `fetch(input, init)` call, with the body read once (see {@link bufferRequestBody}). As `fetch` does,
 * `init.headers`, `init.body` and `init.signal` win over a `Request` input's.
 */
export async function toResendableRequest(input: RequestInfo | URL, init: RequestInit | undefined): Promise<ResendableRequest> {
  const request = typeof Request !== 'undefined' && input instanceof Request ? input : undefined;
  const { headers, body, signal, ...rest } = init ?? {};
  const restInit: RequestInit & { duplex?: unknown } = { ...rest };
  // `duplex: 'half'` is only needed to send a stream; the buffered body is not one.
  delete restInit.duplex;
  if (request && restInit.method === undefined) restInit.method = request.method;
  let resendable: ResendableBody | undefined;
  if (body !== undefined) resendable = await bufferRequestBody(body as BodyLike);
  else if (request?.body) resendable = new Uint8Array(await request.arrayBuffer());
  return {
    url: request ? request.url : input instanceof URL ? input.href : String(input),
    init: restInit,
    headers: new Headers(headers ?? request?.headers),
    body: resendable,
    signal: signal ?? request?.signal ?? undefined,
  };
}

/**
 * The headers of one attempt: the request's own, without the auth headers the credential replaces, plus the
 * credential's header — with core's `mergeHeaders` semantics (lower-case names, one value per name: a dummy key the SDK
 * set is replaced, never joined).
 */
export function withCredentialHeader(headers: Headers, credential: CredentialHeader, secret: string): Record<string, string> {
  const merged = mergeHeaders(headers);
  for (const name of credential.replaces) delete merged[name.toLowerCase()];
  return mergeHeaders(merged, { [credential.name]: credential.scheme ? `${credential.scheme} ${secret}` : secret });
}

/** What the request says about itself, for events: the model and whether it asks for a stream (read once per call). */
export function describeRequest(url: string, body: ResendableBody | undefined): { model?: string; streaming: boolean } {
  // Gemini names both in the path: `/models/gemini-2.5-flash:streamGenerateContent`.
  const path = /\/models\/([^/:?]+):(\w+)/.exec(url);
  let model = path ? decodeURIComponent(path[1] as string) : undefined;
  let streaming = path ? path[2] === 'streamGenerateContent' : false;
  const text = typeof body === 'string' ? body : body instanceof Uint8Array ? new TextDecoder().decode(body) : undefined;
  if (text?.trimStart().startsWith('{')) {
    try {
      const parsed = JSON.parse(text) as { model?: unknown; stream?: unknown };
      if (typeof parsed.model === 'string') model = parsed.model;
      if (parsed.stream === true) streaming = true;
    } catch {
      // Not JSON after all: the events just carry less.
    }
  }
  return model === undefined ? { streaming } : { model, streaming };
}
