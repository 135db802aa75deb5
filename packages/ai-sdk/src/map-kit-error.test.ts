import { KitError } from '@kit/core';
import { APICallError } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { mapKitError } from './map-kit-error';

const context = { url: 'https://api.anthropic.com/v1' };

describe('mapKitError', () => {
  it('a KitError becomes an APICallError with @kit retryable verdict, the status, the request id and the wait', () => {
    const kitError = new KitError('rate_limit', 'anthropic: Number of requests has exceeded your rate limit', {
      status: 429,
      provider: 'anthropic',
      credentialId: 'key-2',
      retryAfterMs: 30_000,
      requestId: 'req_1',
    });
    const error = mapKitError(kitError, context);
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      message: 'anthropic: Number of requests has exceeded your rate limit',
      url: 'https://api.anthropic.com/v1',
      statusCode: 429,
      isRetryable: true,
      responseHeaders: { 'retry-after-ms': '30000', 'x-request-id': 'req_1' },
      data: { code: 'rate_limit', credentialId: 'key-2' },
      cause: kitError,
    });
  });

  it('non-retryable codes stay non-retryable; no secret given to the KitError reaches the APICallError', () => {
    const secret = 'test-key-anthropic-abcdefghijklmnop';
    const kitError = new KitError('authentication', `invalid x-api-key ${secret}`, { status: 401, secrets: [secret] });
    const error = mapKitError(kitError, context) as APICallError;
    expect(error.isRetryable).toBe(false);
    expect(error.statusCode).toBe(401);
    expect(JSON.stringify({ error, data: error.data, message: error.message, stack: error.stack })).not.toContain(secret);
  });

  it('an aborted KitError rethrows the signal reason, or an AbortError', () => {
    const controller = new AbortController();
    const reason = new Error('user left');
    controller.abort(reason);
    expect(mapKitError(new KitError('aborted', 'aborted'), { ...context, abortSignal: controller.signal })).toBe(reason);
    const fallback = mapKitError(new KitError('aborted', 'aborted'), context);
    expect(fallback).toBeInstanceOf(DOMException);
    expect((fallback as DOMException).name).toBe('AbortError');
  });

  it('anything else passes through unchanged', () => {
    const other = new TypeError('not mine');
    expect(mapKitError(other, context)).toBe(other);
  });
});
