import { createUpstreamError } from '@kit/core';
import { describe, expect, it } from 'vitest';
import { refineQwenError } from './qwen-errors';

const answer = (status: number, code: string, message: string) => ({ status, body: { error: { code, type: code, param: null, message } }, headers: new Headers() });

describe('refineQwenError', () => {
  it("reads DashScope's identifiers and its input-length message", () => {
    expect(refineQwenError(answer(400, 'Arrearage', 'Access denied, please make sure your account is in good standing.'))).toMatchObject({ code: 'quota_exceeded' });
    expect(refineQwenError(answer(403, 'AllocationQuota.FreeTierOnly', 'The free tier of the model has been exhausted.'))).toMatchObject({ code: 'quota_exceeded' });
    expect(refineQwenError(answer(400, 'DataInspectionFailed', 'Input data may contain inappropriate content.'))).toMatchObject({ code: 'content_filter' });
    expect(refineQwenError(answer(400, 'InvalidParameter', 'Range of input length should be [1, 30720]'))).toMatchObject({ code: 'context_length' });
  });

  it('leaves everything else to the generic classification, and never turns a 5xx into a client fault', () => {
    expect(refineQwenError(answer(400, 'InvalidParameter', 'temperature must be in [0, 2)'))?.code).toBeUndefined();
    expect(refineQwenError(answer(500, 'DataInspectionFailed', 'Range of input length should be [1, 30720]'))?.code).toBeUndefined();
    const error = createUpstreamError(answer(429, 'Throttling.RateQuota', 'Requests rate limit exceeded, please try again later.'), { provider: 'qwen', refine: refineQwenError });
    expect(error.code).toBe('rate_limit');
  });
});
