// What the engine's defaults cost a serverless function whose upstream refuses: how long one call is held before it
// fails, measured on an injected clock (waits advance it; nothing sleeps). The figures are the ones
// docs/serverless.md gives; a change to the defaults or to the wait rules fails here first.
import type { KitError } from '@kit/core';
import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS, resolveGenerateOptions, singleKeySource } from '@kit/core/provider-utils';
import { defineOpenAICompatibleProvider } from '@kit/openai-compatible';
import { describe, expect, it } from 'vitest';
import { RequestEngine } from '../../packages/core/src/request-engine';

// OpenAI's 429 body (API reference, "Error codes": rate_limit_exceeded) and its 500 body (`server_error`).
const rateLimited = (retryAfterSeconds?: number) =>
  new Response(JSON.stringify({ error: { message: 'Rate limit reached for requests', type: 'requests', param: null, code: 'rate_limit_exceeded' } }), {
    status: 429,
    headers: { 'content-type': 'application/json', ...(retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) }) },
  });
const serverError = () =>
  new Response(JSON.stringify({ error: { message: 'The server had an error while processing your request.', type: 'server_error' } }), {
    status: 500,
    headers: { 'content-type': 'application/json' },
  });

/**
 * One call on a single key with the engine's defaults (timeoutMs 60 000, maxRetries 2, so a 180 s deadline) unless
 * `call` overrides them; every answer is `respond()`. Returns how long the call was held and how many requests it sent.
 */
async function holdOf(respond: () => Response, call: { maxRetries?: number; deadlineMs?: number } = {}) {
  let clock = 0;
  let requests = 0;
  const engine = new RequestEngine({
    provider: 'openai',
    definition: defineOpenAICompatibleProvider({ type: 'openai', defaultBaseURL: 'https://api.example.test/v1', defaultModel: 'gpt-4o-mini' }),
    credentials: singleKeySource(() => 'test-key-single-1'),
    baseURL: undefined,
    headers: {},
    timeoutMs: DEFAULT_TIMEOUT_MS,
    maxRetries: DEFAULT_MAX_RETRIES,
    fetch: async () => {
      requests += 1;
      return respond();
    },
    emit: () => {},
    random: () => 0.5, // no jitter
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
    },
  });
  const options = resolveGenerateOptions({ prompt: 'hi', ...call }, { provider: 'openai', defaultModel: 'gpt-4o-mini', defaultStream: true });
  const error = await engine.generate(options).then(
    () => undefined,
    (thrown: KitError) => thrown,
  );
  return { heldMs: clock, requests, error };
}

describe('how long the defaults hold a failing call (single key)', () => {
  it('the defaults are timeoutMs 60 000 and maxRetries 2: a 180 s deadline', () => {
    expect(DEFAULT_TIMEOUT_MS * (DEFAULT_MAX_RETRIES + 1)).toBe(180_000);
  });

  it('a key rate-limited with Retry-After: 20 is held 40 s (two waits of 20 s), then rate_limit', async () => {
    const { heldMs, requests, error } = await holdOf(() => rateLimited(20));
    expect(heldMs).toBe(40_000);
    expect(requests).toBe(3);
    expect(error).toMatchObject({ code: 'rate_limit', retryAfterMs: 20_000 });
  });

  it('Retry-After: 60 holds it 120 s; a wait that would end past the 180 s deadline is not started (Retry-After: 100 → 100 s)', async () => {
    expect((await holdOf(() => rateLimited(60))).heldMs).toBe(120_000);
    const long = await holdOf(() => rateLimited(100));
    expect(long.heldMs).toBe(100_000);
    expect(long.requests).toBe(2);
  });

  it('a 429 without Retry-After and a 500 are retried after 0.5 s and 1 s: 1.5 s', async () => {
    expect((await holdOf(() => rateLimited())).heldMs).toBe(1_500);
    expect((await holdOf(serverError)).heldMs).toBe(1_500);
  });

  it('maxRetries: 0 fails at once; deadlineMs: 10 000 refuses a 20 s wait and fails at once with retryAfterMs', async () => {
    const noRetries = await holdOf(() => rateLimited(20), { maxRetries: 0 });
    expect(noRetries).toMatchObject({ heldMs: 0, requests: 1 });
    const shortDeadline = await holdOf(() => rateLimited(20), { deadlineMs: 10_000 });
    expect(shortDeadline).toMatchObject({ heldMs: 0, requests: 1 });
    expect(shortDeadline.error).toMatchObject({ code: 'rate_limit', retryAfterMs: 20_000 });
  });
});
