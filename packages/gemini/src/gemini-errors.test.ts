import { createUpstreamError } from '@kit/core/provider-utils';
import { describe, expect, it } from 'vitest';
import { errors } from './__fixtures__/gemini-responses';
import { geminiErrorFromBody, refineGeminiError } from './gemini-errors';

const classify = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  createUpstreamError(
    { status, body, headers: new Headers(headers) },
    { provider: 'gemini', credentialId: 'key-1', secrets: ['test-key-1'], refine: refineGeminiError },
  );

describe('Google error bodies', () => {
  it('400 API_KEY_INVALID → authentication (Google answers a bad key with 400 INVALID_ARGUMENT)', () => {
    expect(classify(400, errors.apiKeyInvalid)).toMatchObject({
      code: 'authentication',
      status: 400,
      message: 'gemini: API key not valid. Please pass a valid API key. (HTTP 400)',
    });
  });

  it('429 RESOURCE_EXHAUSTED per-minute → rate_limit with RetryInfo.retryDelay as retryAfterMs (not the message\'s "quota" wording)', () => {
    expect(classify(429, errors.perMinuteQuota)).toMatchObject({ code: 'rate_limit', retryAfterMs: 43_000 });
  });

  it('without RetryInfo the message\'s "Please retry in 43.5s" is used; a Retry-After header, when one comes, beats both', () => {
    const body = { error: { code: 429, message: 'Resource has been exhausted (e.g. check quota). Please retry in 43.5s.', status: 'RESOURCE_EXHAUSTED' } };
    expect(classify(429, body)).toMatchObject({ code: 'rate_limit', retryAfterMs: 43_500 });
    expect(classify(429, errors.perMinuteQuota, { 'retry-after': '5' }).retryAfterMs).toBe(5_000);
    expect(classify(429, { error: { code: 429, message: 'Resource exhausted', status: 'RESOURCE_EXHAUSTED' } }, { 'retry-after': '5' }).retryAfterMs).toBe(
      5_000,
    );
  });

  it("a per-day quota, or Code Assist QUOTA_EXHAUSTED → quota_exceeded, keeping the server's wait", () => {
    expect(classify(429, errors.perDayQuota)).toMatchObject({ code: 'quota_exceeded', retryAfterMs: 3_600_000 });
    expect(classify(429, errors.codeAssistCapacity)).toMatchObject({ code: 'quota_exceeded', retryAfterMs: 7_980_000 });
  });

  it('PERMISSION_DENIED → permission, UNAUTHENTICATED → authentication, NOT_FOUND → not_found', () => {
    expect(classify(403, errors.permissionDenied).code).toBe('permission');
    expect(classify(401, errors.unauthenticated).code).toBe('authentication');
    expect(classify(404, errors.notFound).code).toBe('not_found');
  });

  it('an input over the token limit → context_length; other INVALID_ARGUMENT → invalid_request', () => {
    expect(classify(400, errors.tooLong).code).toBe('context_length');
    expect(classify(400, errors.badRequest).code).toBe('invalid_request');
  });

  it('5xx stay server errors (INTERNAL, UNAVAILABLE); 504 DEADLINE_EXCEEDED is a timeout', () => {
    expect(classify(500, errors.internal).code).toBe('server_error');
    expect(classify(503, errors.overloaded).code).toBe('server_error');
    expect(classify(504, { error: { code: 504, message: 'Deadline expired before operation could complete.', status: 'DEADLINE_EXCEEDED' } }).code).toBe(
      'timeout',
    );
  });

  it('lenient: array bodies, text bodies and garbage details do not crash', () => {
    expect(classify(429, [errors.perMinuteQuota])).toMatchObject({ code: 'rate_limit', retryAfterMs: 43_000 });
    expect(classify(502, '<html>Bad Gateway</html>').code).toBe('server_error');
    expect(classify(400, { error: { status: 'INVALID_ARGUMENT', details: [null, 3, { violations: 'x' }] } }).code).toBe('invalid_request');
    expect(refineGeminiError({ status: 400, body: null, headers: new Headers() })).toBeUndefined();
  });

  it('a 400 that says "API key not valid" without ErrorInfo is still authentication', () => {
    expect(classify(400, { error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT' } }).code).toBe(
      'authentication',
    );
  });

  it('prepaid credits depleted is quota_exceeded, not a rate limit, though it comes as 429 RESOURCE_EXHAUSTED', () => {
    // As reported in github.com/dyad-sh/dyad issue #3626 (the SDK retried it 3×).
    const body = {
      error: {
        code: 429,
        message: 'Your prepayment credits are depleted. Please go to AI Studio at https://ai.studio/projects to manage your project and billing.',
        status: 'RESOURCE_EXHAUSTED',
      },
    };
    expect(refineGeminiError({ status: 429, body, headers: new Headers() })).toBeUndefined();
    expect(classify(429, body)).toMatchObject({ code: 'quota_exceeded', retryable: false });
  });

  it('FAILED_PRECONDITION (region, billing not linked) is the project\'s permission problem, not quota: "billing" is no evidence', () => {
    // github.com/EvanZhouDev/gemini-ai issue #16
    const body = {
      error: { code: 400, message: 'User location is not supported for the API use without a billing account linked.', status: 'FAILED_PRECONDITION' },
    };
    expect(classify(400, body)).toMatchObject({ code: 'permission', retryable: false });
  });

  it("a per-day quota id wins over a short RetryInfo; the server's wait is kept", () => {
    const body = {
      error: {
        code: 429,
        status: 'RESOURCE_EXHAUSTED',
        message: 'You exceeded your current quota.',
        details: [
          { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier' }] },
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '36s' },
        ],
      },
    };
    expect(classify(429, body)).toMatchObject({ code: 'quota_exceeded', retryAfterMs: 36_000 });
    expect(refineGeminiError({ status: 503, body, headers: new Headers() })).toBeUndefined();
  });

  it('never shows the key', () => {
    const body = { error: { code: 400, message: 'API key not valid: test-key-1', status: 'INVALID_ARGUMENT' } };
    expect(JSON.stringify(classify(400, body))).not.toContain('test-key-1');
  });
});

describe('geminiErrorFromBody (an error inside a stream)', () => {
  const context = { provider: 'gemini', model: 'gemini-2.5-flash', stream: true, credential: { id: 'acct-1', kind: 'oauth' as const } };

  it("is classified by the body's code and status", () => {
    expect(geminiErrorFromBody(errors.overloaded, context)).toMatchObject({ code: 'server_error', status: 503, credentialId: 'acct-1' });
    expect(geminiErrorFromBody(errors.perMinuteQuota, context)).toMatchObject({ code: 'rate_limit', retryAfterMs: 43_000 });
    expect(geminiErrorFromBody({ error: { message: 'something' } }, context).code).toBe('server_error');
    expect(geminiErrorFromBody(errors.perDayQuota, context)).toMatchObject({ code: 'quota_exceeded', status: 429, retryAfterMs: 3_600_000 });
    expect(geminiErrorFromBody({ error: { message: 'User location is not supported for the API use.', status: 'FAILED_PRECONDITION' } }, context).code).toBe(
      'permission',
    );
  });
});

describe('Code Assist: VALIDATION_REQUIRED on a request', () => {
  // The 403 the Gemini CLI turns into its ValidationRequiredError (packages/core/src/utils/googleQuotaErrors.ts): an
  // ErrorInfo from cloudcode-pa.googleapis.com with reason VALIDATION_REQUIRED, the link in a google.rpc.Help detail
  // or, failing that, in the ErrorInfo's metadata.validation_link.
  const validation = (details: Record<string, unknown>[]) => ({
    error: { code: 403, message: 'Account validation is required.', status: 'PERMISSION_DENIED', details },
  });
  const errorInfo = { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'VALIDATION_REQUIRED', domain: 'cloudcode-pa.googleapis.com' };

  it('is permission, with the Help link in the message', () => {
    const body = validation([
      errorInfo,
      { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description: 'Verify your account', url: 'https://accounts.google.com/verify?x=1' }] },
    ]);
    const error = classify(403, body);
    expect(error.code).toBe('permission');
    expect(error.message).toContain('Account validation is required. (validate the account at https://accounts.google.com/verify?x=1, then retry)');
  });

  it('falls back to metadata.validation_link', () => {
    const error = classify(403, validation([{ ...errorInfo, metadata: { validation_link: 'https://accounts.google.com/verify?y=2' } }]));
    expect(error.message).toContain('https://accounts.google.com/verify?y=2');
  });
});
