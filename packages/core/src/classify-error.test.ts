import { describe, expect, it } from 'vitest';
import { classifyUpstreamError, codeForBody, codeForMessage, createUpstreamError, upstreamIdentifiers, upstreamRetryAfterMs } from './classify-error';
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
    [
      '400 bad key (Gemini style)',
      400,
      { error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT' } },
      'authentication',
    ],
    ['404', 404, { error: { code: 'model_not_found', message: 'The model does not exist' } }, 'not_found'],
    ['408', 408, '', 'timeout'],
    ['500', 500, { error: { message: 'boom' } }, 'server_error'],
    ['502', 502, '<html>bad gateway</html>', 'server_error'],
    ['503', 503, {}, 'server_error'],
    ['504', 504, {}, 'timeout'],
    ['529 overloaded', 529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, 'server_error'],
    [
      '403 with an invalid_request_error type stays permission',
      403,
      { error: { type: 'invalid_request_error', code: 'unsupported_country_region_territory', message: 'Country, region, or territory not supported' } },
      'permission',
    ],
    ['504 with a server_error body stays timeout', 504, { error: { type: 'server_error', message: 'upstream timed out' } }, 'timeout'],
    ['404 with invalid_request_error type stays not_found', 404, { error: { type: 'invalid_request_error', message: 'Unknown model' } }, 'not_found'],
    [
      '429 per-minute token quota stays a rate limit',
      429,
      { type: 'too_many_requests_error', code: 'token_quota_exceeded', message: 'Tokens per minute limit exceeded' },
      'rate_limit',
    ],
    [
      '429 Gemini RESOURCE_EXHAUSTED per-minute quota stays a rate limit',
      429,
      { error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded for quota metric generate_content requests per minute' } },
      'rate_limit',
    ],
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

describe('evidence order: identifiers, then (without one) the message, then the status', () => {
  it('an identifier that names the fault decides; the message is not read', () => {
    const body = {
      error: { message: 'Limit reached. Out of credits? Add a payment method at https://example.com/settings/billing', code: 'rate_limit_exceeded' },
    };
    expect(classify(429, body)).toBe('rate_limit');
    expect(classify(400, { error: { message: 'Your credit balance is too low', code: 'context_length_exceeded' } })).toBe('context_length');
  });

  it('without identifiers, the message narrows the status', () => {
    expect(classify(429, { message: 'Insufficient balance on this account' })).toBe('quota_exceeded');
    expect(classify(403, { error: { message: 'Your input was flagged for "violence".', code: 403 } })).toBe('content_filter');
    expect(classify(400, { code: 'Client specified an invalid argument', error: 'Incorrect API key provided: ab***cd.' })).toBe('authentication');
  });

  it('an identifier that only restates the class does not stop the message from narrowing it', () => {
    expect(classify(429, { error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Your prepayment credits are depleted.' } })).toBe('quota_exceeded');
    expect(classify(403, { code: 'permission-denied', error: 'Your team has either used all available credits or reached its monthly spending limit.' })).toBe(
      'quota_exceeded',
    );
    expect(
      classify(429, {
        error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'You exceeded your current quota, please check your plan and billing details.' },
      }),
    ).toBe('rate_limit');
  });

  it('"billing" alone, a credits URL or an upgrade hint are never evidence of an exhausted quota', () => {
    expect(codeForMessage('Please check your plan and billing details.')).toBeUndefined();
    expect(codeForMessage('To increase, visit https://openrouter.ai/settings/credits')).toBeUndefined();
    expect(codeForMessage('Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing')).toBeUndefined();
    expect(classify(429, { error: { message: 'Slow down. Purchase credits at https://example.com/credits to raise limits.' } })).toBe('rate_limit');
    expect(classify(400, { error: { message: 'This API method requires billing to be enabled.' } })).toBe('invalid_request');
  });

  it('Google: ErrorInfo reasons and errors[].reason decide; FAILED_PRECONDITION is a permission problem of the project', () => {
    expect(
      classify(400, {
        error: {
          code: 400,
          status: 'INVALID_ARGUMENT',
          message: 'x',
          details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }],
        },
      }),
    ).toBe('authentication');
    expect(classify(429, { error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'x', errors: [{ reason: 'rateLimitExceeded' }] } })).toBe('rate_limit');
    expect(classify(400, { error: { code: 400, status: 'FAILED_PRECONDITION', message: 'User location is not supported for the API use.' } })).toBe(
      'permission',
    );
    expect(classify(403, { error: { code: 403, status: 'PERMISSION_DENIED', message: 'x', details: [{ reason: 'SERVICE_DISABLED' }] } })).toBe('permission');
  });

  it('Azure: innererror.code is read', () => {
    expect(classify(400, { error: { code: 'BadRequest', message: 'x', innererror: { code: 'ResponsibleAIPolicyViolation' } } })).toBe('content_filter');
  });

  it('body evidence narrows a status only to compatible codes', () => {
    const rateLimitExceeded = { error: { message: 'Request too large for model on tokens per minute', code: 'rate_limit_exceeded' } };
    expect(classify(413, rateLimitExceeded)).toBe('invalid_request');
    expect(classify(413, { error: { message: 'prompt is too long: 210000 tokens > 200000 maximum' } })).toBe('context_length');
    expect(classify(429, { error: { code: 'permission_error', message: 'x' } })).toBe('rate_limit');
    expect(classify(401, { error: { code: 'insufficient_quota', message: 'x' } })).toBe('authentication');
    expect(classify(402, { error: { code: 'invalid_request_error', message: 'Insufficient Balance', type: 'unknown_error' } })).toBe('quota_exceeded');
    expect(classify(503, { error: { code: 'rate_limit_exceeded', message: 'x' } })).toBe('server_error');
    expect(classify(500, { error: { code: 'timeout_error', message: 'x' } })).toBe('timeout');
  });

  it('reads identifiers normalised, from details, errors, innererror, error and the top level', () => {
    expect(
      upstreamIdentifiers({
        code: 'Throttling.RateQuota',
        error: {
          details: [{ reason: 'API_KEY_INVALID' }],
          errors: [{ reason: 'rateLimitExceeded' }],
          innererror: { code: 'ResponsibleAIPolicyViolation' },
          code: 'permission-denied',
          type: 7,
        },
      }),
    ).toEqual(['api_key_invalid', 'ratelimitexceeded', 'responsibleaipolicyviolation', 'permission_denied', 'throttling_ratequota']);
    expect(upstreamIdentifiers([{ error: { status: 'UNAVAILABLE' } }])).toEqual(['unavailable']);
    expect(upstreamIdentifiers('<html>')).toEqual([]);
    expect(upstreamIdentifiers({ error: { code: 'constructor' } })).toEqual(['constructor']);
    expect(classify(400, { error: { code: 'constructor', message: 'x' } })).toBe('invalid_request');
  });

  it('a body without status: identifiers, then message, then class-only identifiers', () => {
    expect(codeForBody({ error: { status: 'UNAVAILABLE', message: 'The model is overloaded.' } })).toBe('server_error');
    expect(codeForBody({ error: { type: 'invalid_request_error', message: 'prompt is too long' } })).toBe('context_length');
    expect(codeForBody({ error: { type: 'invalid_request_error', message: 'messages: empty' } })).toBe('invalid_request');
    expect(codeForBody({ type: 'error', error: { message: 'weird' } })).toBeUndefined();
  });
});

describe('upstreamRetryAfterMs', () => {
  const retryInfo = {
    error: {
      code: 429,
      status: 'RESOURCE_EXHAUSTED',
      message: 'Please retry in 43.5s.',
      details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '2.5s' }],
    },
  };

  it('prefers retry-after-ms, then retry-after, then RetryInfo, then the message hint', () => {
    expect(upstreamRetryAfterMs({ body: retryInfo, headers: headers({ 'retry-after-ms': '120', 'retry-after': '9' }) }, 'rate_limit')).toBe(120);
    expect(upstreamRetryAfterMs({ body: retryInfo, headers: headers({ 'retry-after': '9' }) }, 'rate_limit')).toBe(9000);
    expect(upstreamRetryAfterMs({ body: retryInfo, headers: headers() }, 'rate_limit')).toBe(2500);
    expect(upstreamRetryAfterMs({ body: { error: { message: 'Please retry in 43.5s.' } } }, 'rate_limit')).toBe(43_500);
  });

  it('reads the message hint for a rate limit only; RetryInfo and headers for any code', () => {
    const hinted = { error: { message: 'Your quota is gone. Please try again in 2s.' } };
    expect(upstreamRetryAfterMs({ body: hinted }, 'quota_exceeded')).toBeUndefined();
    expect(upstreamRetryAfterMs({ body: hinted }, 'server_error')).toBeUndefined();
    expect(upstreamRetryAfterMs({ body: retryInfo }, 'quota_exceeded')).toBe(2500);
    expect(upstreamRetryAfterMs({ body: {}, headers: headers({ 'retry-after': '3' }) }, 'server_error')).toBe(3000);
  });

  it("createUpstreamError: a provider's wait wins over every generic source", () => {
    const error = createUpstreamError(
      { status: 429, body: retryInfo, headers: headers({ 'retry-after': '9' }) },
      { provider: 'p', refine: () => ({ retryAfterMs: 42 }) },
    );
    expect(error.retryAfterMs).toBe(42);
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
