import { createUpstreamError } from '@kit/core';
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
  it('adds the retry wait from the message when no header gives one', () => {
    const body = { error: { message: 'Rate limit reached. Please try again in 7.5s.', type: 'requests', code: 'rate_limit_exceeded' } };
    expect(refineOpenAIError(response(429, body))).toEqual({ retryAfterMs: 7500 });
    expect(refineOpenAIError(response(429, body, { 'retry-after': '3' }))).toBeUndefined();
    const error = createUpstreamError(response(429, body), { provider: 'groq', refine: refineOpenAIError });
    expect(error).toMatchObject({ code: 'rate_limit', retryAfterMs: 7500, status: 429 });
  });

  it('maps a provider table of identifiers, for client errors only', () => {
    const refine = createOpenAIErrorRefiner({ billing_hard_limit_reached: 'quota_exceeded' });
    const body = { error: { message: 'Limit reached', type: 'invalid_request_error', code: 'billing_hard_limit_reached' } };
    expect(refine(response(400, body))).toEqual({ code: 'quota_exceeded' });
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
  });
});
