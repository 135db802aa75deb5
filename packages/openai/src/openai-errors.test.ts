import { createUpstreamError } from '@kit/core/provider-utils';
import { describe, expect, it } from 'vitest';
import { defineOpenAIProvider } from './openai-provider';

const refine = defineOpenAIProvider().refineError;
const classify = (status: number, error: Record<string, unknown>, headers: Record<string, string> = {}) =>
  createUpstreamError({ status, body: { error }, headers: new Headers(headers) }, { provider: 'openai', credentialId: 'key-1', refine });

// Bodies as OpenAI sends them (https://platform.openai.com/docs/guides/error-codes).
describe('OpenAI error bodies', () => {
  it('invalid_api_key → authentication', () => {
    const error = classify(401, {
      message: 'Incorrect API key provided: test-key-1. You can find your API key at https://platform.openai.com/account/api-keys.',
      type: 'invalid_request_error',
      param: null,
      code: 'invalid_api_key',
    });
    expect(error.code).toBe('authentication');
  });

  it('insufficient_quota (a 429) → quota_exceeded, not rate_limit', () => {
    const error = classify(429, {
      message: 'You exceeded your current quota, please check your plan and billing details.',
      type: 'insufficient_quota',
      param: null,
      code: 'insufficient_quota',
    });
    expect(error.code).toBe('quota_exceeded');
  });

  it('rate_limit_exceeded → rate_limit with the wait from the message', () => {
    const error = classify(429, {
      message:
        'Rate limit reached for gpt-4.1-mini in organization org-abc on tokens per min (TPM): Limit 200000, Used 199800, Requested 500. Please try again in 90ms.',
      type: 'tokens',
      param: null,
      code: 'rate_limit_exceeded',
    });
    expect(error).toMatchObject({ code: 'rate_limit', retryAfterMs: 90 });
    expect(classify(429, { message: 'Please try again in 6m0s.', code: 'rate_limit_exceeded' }, { 'retry-after-ms': '1500' }).retryAfterMs).toBe(1500);
  });

  it('context_length_exceeded → context_length', () => {
    const error = classify(400, {
      message:
        "This model's maximum context length is 128000 tokens. However, your messages resulted in 130412 tokens. Please reduce the length of the messages.",
      type: 'invalid_request_error',
      param: 'messages',
      code: 'context_length_exceeded',
    });
    expect(error.code).toBe('context_length');
  });

  it('model_not_found → not_found', () => {
    const error = classify(404, {
      message: 'The model `gpt-9` does not exist or you do not have access to it.',
      type: 'invalid_request_error',
      param: null,
      code: 'model_not_found',
    });
    expect(error.code).toBe('not_found');
  });

  it('OpenAI-only codes', () => {
    expect(classify(429, { message: 'Billing hard limit has been reached', type: 'invalid_request_error', code: 'billing_hard_limit_reached' }).code).toBe(
      'quota_exceeded',
    );
    expect(
      classify(403, { message: 'Country, region, or territory not supported', type: 'request_forbidden', code: 'unsupported_country_region_territory' }).code,
    ).toBe('permission');
    expect(
      classify(401, {
        message: 'OpenAI-Organization header should match organization for API key',
        type: 'invalid_request_error',
        code: 'mismatched_organization',
      }).code,
    ).toBe('authentication');
    expect(
      classify(400, {
        message: 'Invalid prompt: your prompt was flagged as potentially violating our usage policy.',
        type: 'invalid_request_error',
        code: 'invalid_prompt',
      }).code,
    ).toBe('content_filter');
    expect(
      classify(400, {
        message: "Unsupported parameter: 'max_tokens' is not supported with this model.",
        type: 'invalid_request_error',
        code: 'unsupported_parameter',
      }).code,
    ).toBe('invalid_request');
    expect(classify(500, { message: 'The server had an error while processing your request.', type: 'server_error', code: null }).code).toBe('server_error');
  });
});

describe('OpenAI free-tier rate limits', () => {
  it('a 429 rate_limit_exceeded whose message points to billing stays a rate limit with the wait it names', () => {
    // github.com/arc53/DocsGPT issue #287
    const error = classify(429, {
      message:
        'Rate limit reached for default-gpt-3.5-turbo in organization org-xxx on requests per min. Limit: 3 / min. Please try again in 20s. ' +
        'Please add a payment method to your account to increase your rate limit. Visit https://platform.openai.com/account/billing to add a payment method.',
      type: 'requests',
      param: null,
      code: 'rate_limit_exceeded',
    });
    expect(error).toMatchObject({ code: 'rate_limit', retryable: true, retryAfterMs: 20_000 });
  });

  it('credit_balance_exhausted (a prepaid account at zero, sent as 429) → quota_exceeded', () => {
    // Code as reported in github.com/promptfoo/promptfoo pull request #10881; message constructed for this test.
    expect(classify(429, { message: 'Prepaid balance used up.', type: 'requests', code: 'credit_balance_exhausted' }).code).toBe('quota_exceeded');
  });
});
