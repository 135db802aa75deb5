import {
  codeForBody,
  codeForStatus,
  KitError,
  parseDuration,
  upstreamMessage,
  type ErrorRefinement,
  type ErrorRefiner,
  type KitErrorCode,
  type RequestContext,
  type UpstreamErrorResponse,
} from '@kit/core';

// "Please try again in 6m0s." / "try again in 20ms" / "Please retry in 1.5s" (OpenAI, Groq, most compatible servers).
const retryHint = /(?:try again|retry) in ~?\s*((?:\d+(?:\.\d+)?(?:ms|s|m|h))+)/i;

/** The wait an error message asks for ("Please try again in 6m0s"), in milliseconds. */
export function retryHintMs(message: string | undefined): number | undefined {
  const match = message ? retryHint.exec(message) : null;
  return match ? parseDuration(match[1] as string) : undefined;
}

/** The error object of an OpenAI-style body: `{ error: {...} }`, or vLLM's top-level `{ object: 'error', ... }`. */
export function openAIErrorObject(body: unknown): Record<string, unknown> | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const record = body as Record<string, unknown>;
  const error = record.error;
  if (error && typeof error === 'object') return error as Record<string, unknown>;
  if (typeof error === 'string') return { message: error };
  return record.object === 'error' ? record : undefined;
}

/** The `error.code` / `error.type` identifiers of a body, lower-cased. */
export function openAIErrorIdentifiers(body: unknown): string[] {
  const error = openAIErrorObject(body);
  if (!error) return [];
  return [error.code, error.type].filter((value): value is string => typeof value === 'string').map((value) => value.toLowerCase());
}

/**
 * Builds an error refiner from a table of provider error identifiers (`error.code` / `error.type`),
 * plus the retry wait OpenAI-style messages carry when no `Retry-After` header came with them.
 */
export function createOpenAIErrorRefiner(codes: Readonly<Record<string, KitErrorCode>> = {}): ErrorRefiner {
  return (response: UpstreamErrorResponse): ErrorRefinement | undefined => {
    const refinement: ErrorRefinement = {};
    // Identifiers narrow client errors; a 5xx stays the server's fault whatever its body says.
    if (response.status < 500) for (const id of openAIErrorIdentifiers(response.body)) {
      const code = codes[id];
      if (code) {
        refinement.code = code;
        break;
      }
    }
    if (!response.headers.has('retry-after') && !response.headers.has('retry-after-ms')) {
      const wait = retryHintMs(upstreamMessage(response.body));
      if (wait !== undefined) refinement.retryAfterMs = wait;
    }
    return refinement.code || refinement.retryAfterMs !== undefined ? refinement : undefined;
  };
}

/** The refinement every OpenAI-compatible server gets: retry waits read from the message. */
export const refineOpenAIError: ErrorRefiner = /* @__PURE__ */ createOpenAIErrorRefiner();

/**
 * The `KitError` for an error the upstream sent inside a 2xx answer (an SSE `data: {"error": …}` chunk or a JSON body).
 * Classified by its identifiers and message; a numeric `code` is read as an HTTP status; `server_error` otherwise.
 */
export function openAIErrorFromBody(body: unknown, context: RequestContext): KitError {
  const error = openAIErrorObject(body) ?? {};
  const numeric = typeof error.code === 'number' ? error.code : typeof error.status === 'number' ? error.status : undefined;
  const status = numeric !== undefined && numeric >= 400 && numeric < 600 ? numeric : undefined;
  const code = codeForBody({ error }) ?? (status !== undefined ? codeForStatus(status) : 'server_error');
  const message = upstreamMessage({ error }) ?? 'error in the response stream';
  const retryAfterMs = retryHintMs(message);
  return new KitError(code, `${context.provider}: ${message}`, {
    provider: context.provider,
    credentialId: context.credential.id,
    ...(status !== undefined ? { status } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}
