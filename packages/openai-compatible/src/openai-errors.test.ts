import { createUpstreamError } from '@kit/core/provider-utils';
import { describe, expect, it } from 'vitest';
import { context } from './__fixtures__/openai-streams';
import { createOpenAIErrorRefiner, openAIErrorFromBody, refineOpenAIError, retryHintMs } from './openai-errors';

const response = (status: number, body: unknown, headers: Record<string, string> = {}) => ({ status, body, headers: new Headers(headers) });

describe('retryHintMs', () => {
  it('reads the wait OpenAI-style messages ask for', () => {
    expect(retryHintMs('Rate limit reached for gpt-4.1 on tokens per min (TPM). Please try again in 20ms. Visit …')).toBe(20);
    expect(retryHintMs('Please try again in 6m0s.')).toBe(360_000);
    expect(retryHintMs('Please try again in 1.5s')).toBe(1500);
    expect(retryHintMs('Please retry in 2s')).toBe(2000);
    expect(retryHintMs('Something else')).toBeUndefined();
    expect(retryHintMs(undefined)).toBeUndefined();
  });
});

describe('refineOpenAIError', () => {
  it('leaves the dialect\'s identifiers and "try again in" waits to core: a Groq 429 keeps its 2 s wait', () => {
    const body = {
      error: {
        message: 'Rate limit reached. Please try again in 7.5s. Upgrade at https://console.groq.com/settings/billing',
        type: 'tokens',
        code: 'rate_limit_exceeded',
      },
    };
    expect(refineOpenAIError(response(429, body))).toBeUndefined();
    expect(createUpstreamError(response(429, body), { provider: 'groq', refine: refineOpenAIError })).toMatchObject({
      code: 'rate_limit',
      retryAfterMs: 7500,
      status: 429,
    });
    expect(createUpstreamError(response(429, body, { 'retry-after': '3' }), { provider: 'groq', refine: refineOpenAIError }).retryAfterMs).toBe(3000);
  });

  it("shows a router's upstream answer (`error.metadata.raw`) and classifies a JSON one by its identifiers", () => {
    // OpenRouter, github.com/diegosouzapw/OmniRoute issue #3044 and github.com/open-webui/computer issue #293.
    const json = {
      error: {
        message: 'Provider returned error',
        code: 400,
        metadata: { raw: '{"error":{"type":"invalid_request_error","code":"context_length_exceeded","message":"Too long."}}', provider_name: 'Crucible' },
      },
    };
    expect(refineOpenAIError(response(400, json))).toEqual({ message: 'Provider returned error: Too long.', code: 'context_length' });
    const text = { error: { message: 'Provider returned error', code: 429, metadata: { raw: 'z-ai/glm is temporarily rate-limited upstream.' } } };
    expect(refineOpenAIError(response(429, text))).toEqual({ message: 'Provider returned error: z-ai/glm is temporarily rate-limited upstream.' });
    const error = createUpstreamError(response(429, text), { provider: 'openrouter', refine: refineOpenAIError });
    expect(error).toMatchObject({
      code: 'rate_limit',
      message: 'openrouter: Provider returned error: z-ai/glm is temporarily rate-limited upstream. (HTTP 429)',
    });
    // A 5xx stays the server's fault whatever the upstream said.
    expect(refineOpenAIError(response(502, json))?.code).toBe('server_error');
  });

  it('maps a provider table of normalised identifiers, for client errors only', () => {
    const refine = createOpenAIErrorRefiner({ billing_hard_limit_reached: 'quota_exceeded', allocationquota_freetieronly: 'quota_exceeded' });
    const body = { error: { message: 'Limit reached', type: 'invalid_request_error', code: 'billing_hard_limit_reached' } };
    expect(refine(response(400, body))).toEqual({ code: 'quota_exceeded' });
    expect(refine(response(403, { error: { code: 'AllocationQuota.FreeTierOnly', message: 'free tier used up' } }))).toEqual({ code: 'quota_exceeded' });
    expect(refine(response(500, body))).toBeUndefined();
  });
});

describe('openAIErrorFromBody', () => {
  it('classifies an in-stream error and carries the credential id, never a default of invalid_request', () => {
    expect(openAIErrorFromBody({ error: { message: 'boom' } }, context)).toMatchObject({ code: 'server_error', credentialId: 'key-1', provider: 'openai' });
    expect(openAIErrorFromBody({ error: 'plain text error' }, context).message).toBe('openai: plain text error');
    expect(openAIErrorFromBody({ error: { message: 'x', type: 'overloaded_error' } }, context).code).toBe('server_error');
    expect(openAIErrorFromBody({ error: { message: 'Request timed out', code: 'timeout_error' } }, context).code).toBe('timeout');
    expect(openAIErrorFromBody({ error: { message: 'x', code: 429 } }, context)).toMatchObject({ code: 'rate_limit', status: 429 });
    expect(openAIErrorFromBody({ error: { message: 'Please try again in 20ms.', code: 'rate_limit_exceeded' } }, context)).toMatchObject({
      code: 'rate_limit',
      retryAfterMs: 20,
    });
    // A quota body never takes a message's wait as a rate limit's.
    expect(
      openAIErrorFromBody({ error: { message: 'Quota gone, try again in 20s.', code: 'insufficient_quota', type: 'insufficient_quota' } }, context),
    ).toMatchObject({
      code: 'quota_exceeded',
      retryAfterMs: undefined,
    });
  });
});
