import { createUpstreamError } from '@kit/core/provider-utils';
import { describe, expect, it } from 'vitest';
import { refineQwenError } from './qwen-errors';

const answer = (status: number, code: string, message: string) => ({
  status,
  body: { error: { code, type: code, param: null, message } },
  headers: new Headers(),
});

describe('refineQwenError', () => {
  it("reads DashScope's identifiers and its input-length message", () => {
    expect(refineQwenError(answer(400, 'Arrearage', 'Access denied, please make sure your account is in good standing.'))).toMatchObject({
      code: 'quota_exceeded',
    });
    expect(refineQwenError(answer(403, 'AllocationQuota.FreeTierOnly', 'The free tier of the model has been exhausted.'))).toMatchObject({
      code: 'quota_exceeded',
    });
    expect(refineQwenError(answer(400, 'DataInspectionFailed', 'Input data may contain inappropriate content.'))).toMatchObject({ code: 'content_filter' });
    expect(refineQwenError(answer(400, 'InvalidParameter', 'Range of input length should be [1, 30720]'))).toMatchObject({ code: 'context_length' });
  });

  it('leaves everything else to the generic classification, and never turns a 5xx into a client fault', () => {
    expect(refineQwenError(answer(400, 'InvalidParameter', 'temperature must be in [0, 2)'))?.code).toBeUndefined();
    expect(refineQwenError(answer(500, 'DataInspectionFailed', 'Range of input length should be [1, 30720]'))?.code).toBeUndefined();
    const error = createUpstreamError(answer(429, 'Throttling.RateQuota', 'Requests rate limit exceeded, please try again later.'), {
      provider: 'qwen',
      refine: refineQwenError,
    });
    expect(error.code).toBe('rate_limit');
  });

  it("reads DashScope's per-minute token throttle, worded as OpenAI's insufficient_quota, as a rate limit", () => {
    // github.com/can1357/oh-my-pi issue #8496: "429 Throttling.AllocationQuota" with this body.
    const throttle = answer(
      429,
      'insufficient_quota',
      'You exceeded your current quota, please check your plan and billing details. For details, see: https://help.aliyun.com/zh/model-studio/error-code#token-limit',
    );
    expect(refineQwenError(throttle)).toEqual({ code: 'rate_limit' });
    expect(createUpstreamError(throttle, { provider: 'qwen', refine: refineQwenError })).toMatchObject({ code: 'rate_limit', retryable: true });
    expect(createUpstreamError(throttle, { provider: 'qwen' }).code).toBe('quota_exceeded');
    // An overdue account stays a quota problem.
    expect(refineQwenError(answer(400, 'Arrearage', 'Access denied, please make sure your account is in good standing.'))).toEqual({ code: 'quota_exceeded' });
  });
});
