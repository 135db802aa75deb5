import { KitError, type Provider } from '@kit/core';
import { KeyManager } from '@kit/keymanager';
import { createOpenAI } from '@kit/openai';

/** The Worker's variables (`wrangler secret put OPENAI_API_KEYS`; `OPENAI_BASE_URL` is optional). */
export interface Env {
  /** The pool: API keys separated by commas. */
  OPENAI_API_KEYS: string;
  /** Another OpenAI-compatible server (read by `createOpenAI` from `env`, as the official SDK reads it). */
  OPENAI_BASE_URL?: string;
}

// One pool per isolate, kept across requests: a key that failed (revoked, rate-limited) stays benched for the next
// requests this isolate serves instead of being tried again on each.
let pool: { keys: string; provider: Provider } | undefined;

function providerFor(env: Env): Provider {
  if (pool?.keys !== env.OPENAI_API_KEYS) {
    const keys = (env.OPENAI_API_KEYS ?? '')
      .split(',')
      .map((key) => key.trim())
      .filter(Boolean);
    // `env` is read instead of `process.env` (Workers have none): here for OPENAI_BASE_URL.
    pool = { keys: env.OPENAI_API_KEYS, provider: createOpenAI({ env, credentials: new KeyManager('openai', keys) }) };
  }
  return pool.provider;
}

/** The HTTP status that tells the client what went wrong: its request, the pool's limits, or the upstream. */
function statusOf(error: KitError): number {
  if (error.code === 'invalid_request' || error.code === 'context_length' || error.code === 'content_filter') return 400;
  if (error.code === 'rate_limit' || error.code === 'credentials_exhausted') return 503;
  if (error.code === 'timeout') return 504;
  return error.code === 'invalid_config' ? 500 : 502;
}

/** A JSON error answer; `retry-after` (seconds) when the pool knows when a key will be free again. */
function errorResponse(error: KitError): Response {
  const headers: Record<string, string> = error.retryAfterMs === undefined ? {} : { 'retry-after': String(Math.ceil(error.retryAfterMs / 1000)) };
  return Response.json({ error: { code: error.code, message: error.message } }, { status: statusOf(error), headers });
}

/**
 * `POST /` with `{ "prompt": "…" }`: the answer streamed back as plain text while the model writes it. Failover
 * across the pool happens before the first byte; an upstream failure after it errors the body (the client sees a
 * broken response, never a short one). A client that goes away cancels the body, which aborts the upstream call.
 */
export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    if (request.method !== 'POST') return new Response('POST a JSON body: { "prompt": "…" }\n', { status: 405, headers: { allow: 'POST' } });
    const body = (await request.json().catch(() => undefined)) as { prompt?: unknown } | undefined;
    if (typeof body?.prompt !== 'string') return Response.json({ error: { code: 'invalid_request', message: 'prompt: must be a string' } }, { status: 400 });
    try {
      const provider = providerFor(env);
      // A Worker's request should not outlive its client's patience: a 20 s bound on the whole call (retries and
      // waits for a rate-limited pool included) and one retry, instead of the defaults' 180 s. A pool whose keys are
      // all cooling for longer fails at once with a 503 and `retry-after`, rather than holding the request.
      const stream = await provider.generateChatCompletion({ prompt: body.prompt, deadlineMs: 20_000, maxRetries: 1 });
      return stream.toTextStreamResponse({ headers: { 'x-credential-id': stream.credentialId ?? '', 'x-upstream-request-id': stream.requestId ?? '' } });
    } catch (error) {
      // Messages of KitError never hold a key; anything else is not shown to the client.
      if (!KitError.is(error)) return Response.json({ error: { code: 'internal', message: 'internal error' } }, { status: 500 });
      return errorResponse(error);
    }
  },
};
