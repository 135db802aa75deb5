import { KitError, type KitErrorCode } from '@kit/core';
import { describe, expect, it } from 'vitest';
import { movesToNextEntry } from './moves-on';

const error = (code: KitErrorCode) => new KitError(code, code);

describe('movesToNextEntry', () => {
  it.each<KitErrorCode>([
    'authentication',
    'permission',
    'rate_limit',
    'quota_exceeded',
    'server_error',
    'timeout',
    'network',
    'invalid_response',
    'credentials_exhausted',
    'not_found',
  ])('%s moves on', (code) => {
    expect(movesToNextEntry(error(code), false)).toBe(true);
  });

  it.each<KitErrorCode>(['invalid_request', 'content_filter', 'aborted', 'invalid_config', 'context_length'])('%s does not move on', (code) => {
    expect(movesToNextEntry(error(code), false)).toBe(false);
  });

  it('context_length moves on only with contextLengthFallback', () => {
    expect(movesToNextEntry(error('context_length'), true)).toBe(true);
    expect(movesToNextEntry(error('invalid_request'), true)).toBe(false);
  });

  it('a code unknown to this copy of core is final', () => {
    expect(movesToNextEntry(new KitError('something_new' as KitErrorCode, 'new'), true)).toBe(false);
  });
});
