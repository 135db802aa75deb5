import { createUpstreamError } from '@kit/core/provider-utils';
import { describe, expect, it } from 'vitest';
import { errorBody } from './__fixtures__/anthropic-streams';
import { refineAnthropicError } from './anthropic-errors';

const classify = (status: number, type: string, message: string, headers: Record<string, string> = {}) =>
  createUpstreamError(
    { status, body: errorBody(type, message), headers: new Headers({ 'request-id': 'req_011Test', ...headers }) },
    { provider: 'anthropic', credentialId: 'key-1', refine: refineAnthropicError, secrets: ['test-key-1'] },
  );

// Bodies as the API sends them (https://docs.claude.com/en/api/errors): `{ type: 'error', error: { type, message }, request_id }`.
describe('Anthropic error bodies', () => {
  it.each([
    [401, 'authentication_error', 'invalid x-api-key', 'authentication'],
    [403, 'permission_error', 'Your API key does not have permission to use the specified resource.', 'permission'],
    [404, 'not_found_error', 'model: claude-nonexistent', 'not_found'],
    [413, 'request_too_large', 'Request exceeds the maximum allowed number of bytes.', 'invalid_request'],
    [429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit', 'rate_limit'],
    [400, 'invalid_request_error', 'messages: roles must alternate between "user" and "assistant"', 'invalid_request'],
    [400, 'invalid_request_error', 'prompt is too long: 1048577 tokens > 1000000 maximum', 'context_length'],
    [
      400,
      'invalid_request_error',
      'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
      'quota_exceeded',
    ],
    [400, 'invalid_request_error', 'You have reached your specified API usage limits. You will regain access on 2026-12-01 at 00:00 UTC.', 'quota_exceeded'],
    [402, 'billing_error', 'Payment required', 'quota_exceeded'],
    [500, 'api_error', 'Internal server error', 'server_error'],
    [529, 'overloaded_error', 'Overloaded', 'server_error'],
    [504, 'timeout_error', 'Request timed out', 'timeout'],
  ])('%i %s → %s', (status, type, message, code) => {
    const error = classify(status, type, message);
    expect(error).toMatchObject({ code, status, requestId: 'req_011Test', credentialId: 'key-1', provider: 'anthropic' });
    expect(error.message).toContain(message);
  });

  it('an overloaded_error is a server error whatever the status; other 5xx keep their status code', () => {
    expect(classify(503, 'overloaded_error', 'Overloaded').code).toBe('server_error');
    expect(classify(500, 'invalid_request_error', 'odd').code).toBe('server_error');
  });

  it('a 429 carries its retry-after; nothing leaks the key', () => {
    const error = classify(429, 'rate_limit_error', 'rate limited for key test-key-1', { 'retry-after': '17' });
    expect(error).toMatchObject({ code: 'rate_limit', retryAfterMs: 17_000 });
    expect(JSON.stringify(error)).not.toContain('test-key-1');
    expect(error.message).not.toContain('test-key-1');
  });

  it('a body that is not Anthropic’s falls back to the status', () => {
    const error = createUpstreamError(
      { status: 413, body: '<html>413 Request Entity Too Large</html>', headers: new Headers() },
      { provider: 'anthropic', refine: refineAnthropicError },
    );
    expect(error.code).toBe('invalid_request');
  });
});

describe("Anthropic's own wordings", () => {
  it("an exhausted subscription's extra usage is quota_exceeded (core alone would read a bad request)", () => {
    // github.com/openclaw/openclaw pull request #61763
    const message = "You're out of extra usage. Add more at claude.ai/settings/usage and keep going.";
    expect(classify(400, 'invalid_request_error', message)).toMatchObject({ code: 'quota_exceeded', retryable: false });
    expect(
      createUpstreamError({ status: 400, body: errorBody('invalid_request_error', message), headers: new Headers() }, { provider: 'anthropic' }).code,
    ).toBe('invalid_request');
    expect(refineAnthropicError({ status: 500, body: errorBody('invalid_request_error', message), headers: new Headers() })).toBeUndefined();
  });

  it('"billing" in an invalid_request_error is no evidence of quota', () => {
    expect(classify(400, 'invalid_request_error', 'thinking.budget_tokens: see Plans & Billing for limits').code).toBe('invalid_request');
  });
});
