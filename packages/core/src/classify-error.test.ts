import { describe, expect, it } from 'vitest';
import { classifyUpstreamError, codeForBody, createUpstreamError } from './classify-error';
import type { KitErrorCode } from './error-codes';

const headers = (init: Record<string, string> = {}) => new Headers(init);
const classify = (status: number, body: unknown = {}) => classifyUpstreamError({ status, body, headers: headers() });

describe('classifyUpstreamError', () => {
  const cases: [string, number, unknown, KitErrorCode][] = [
    ['401', 401, { error: { message: 'Incorrect API key provided', code: 'invalid_api_key' } }, 'authentication'],
    ['403', 403, { error: { message: 'forbidden' } }, 'permission'],
    ['429 rate limit', 429, { error: { message: 'Rate limit reached', code: 'rate_limit_exceeded' } }, 'rate_limit'],
    ['429 insufficient_quota', 429, { error: { message: 'You exceeded your current quota', code: 'insufficient_quota' } }, 'quota_exceeded'],
    ['402', 402, { error: { message: 'payment required' } }, 'quota_exceeded'],
    ['400 credit balance', 400, { error: { type: 'invalid_request_error', message: 'Your credit balance is too low' } }, 'quota_exceeded'],
    ['400', 400, { error: { message: 'bad temperature', type: 'invalid_request_error' } }, 'invalid_request'],
    ['422', 422, 'unprocessable', 'invalid_request'],
    ['400 context', 400, { error: { code: 'context_length_exceeded', message: "This model's maximum context length is 128000 tokens" } }, 'context_length'],
    ['400 prompt too long', 400, { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens' } }, 'context_length'],
    ['400 content filter', 400, { error: { code: 'content_filter', message: 'flagged' } }, 'content_filter'],
    ['400 bad key (Gemini style)', 400, { error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT' } }, 'authentication'],
    ['404', 404, { error: { code: 'model_not_found', message: 'The model does not exist' } }, 'not_found'],
    ['408', 408, '', 'timeout'],
    ['500', 500, { error: { message: 'boom' } }, 'server_error'],
    ['502', 502, '<html>bad gateway</html>', 'server_error'],
    ['503', 503, {}, 'server_error'],
    ['504', 504, {}, 'timeout'],
    ['529 overloaded', 529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, 'server_error'],
    ['403 with an invalid_request_error type stays permission', 403, { error: { type: 'invalid_request_error', code: 'unsupported_country_region_territory', message: 'Country, region, or territory not supported' } }, 'permission'],
    ['504 with a server_error body stays timeout', 504, { error: { type: 'server_error', message: 'upstream timed out' } }, 'timeout'],
    ['404 with invalid_request_error type stays not_found', 404, { error: { type: 'invalid_request_error', message: 'Unknown model' } }, 'not_found'],
    ['429 per-minute token quota stays a rate limit', 429, { type: 'too_many_requests_error', code: 'token_quota_exceeded', message: 'Tokens per minute limit exceeded' }, 'rate_limit'],
    ['429 Gemini RESOURCE_EXHAUSTED per-minute quota stays a rate limit', 429, { error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded for quota metric generate_content requests per minute' } }, 'rate_limit'],
    ['500 that mentions quota stays a server error', 500, { error: { message: 'insufficient_quota backend failure' } }, 'server_error'],
  ];
  for (const [name, status, body, expected] of cases) {
    it(`${name} → ${expected}`, () => expect(classify(status, body)).toBe(expected));
  }

  it('reads in-stream error bodies without a status', () => {
    expect(codeForBody({ error: { type: 'overloaded_error', message: 'Overloaded' } })).toBe('server_error');
    expect(codeForBody({ error: { code: 'rate_limit_exceeded', message: 'slow down' } })).toBe('rate_limit');
    expect(codeForBody({ unrelated: true })).toBeUndefined();
  });
});

describe('createUpstreamError', () => {
  it('carries status, retry-after, request id and the provider message, with the key masked', () => {
    const error = createUpstreamError(
      {
        status: 429,
        body: { error: { message: 'Rate limit reached for key test-key-secret-123', code: 'rate_limit_exceeded' } },
        headers: headers({ 'retry-after': '7', 'x-request-id': 'req_1' }),
      },
      { provider: 'openai', credentialId: 'key-1', secrets: ['test-key-secret-123'] },
    );
    expect(error.code).toBe('rate_limit');
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBe(7000);
    expect(error.requestId).toBe('req_1');
    expect(error.credentialId).toBe('key-1');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('Rate limit reached');
    expect(error.message).not.toContain('test-key-secret-123');
  });

  it('prefers retry-after-ms and lets a provider refine the code', () => {
    const error = createUpstreamError(
      { status: 400, body: { error: { message: 'x' } }, headers: headers({ 'retry-after-ms': '250' }) },
      { provider: 'p', refine: () => ({ code: 'content_filter', message: 'blocked' }) },
    );
    expect(error.code).toBe('content_filter');
    expect(error.retryable).toBe(false);
    expect(error.retryAfterMs).toBe(250);
    expect(error.message).toBe('p: blocked (HTTP 400)');
  });
});
