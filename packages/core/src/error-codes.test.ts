import { describe, expect, it } from 'vitest';
import { errorPolicies, penalisesCredential } from './error-codes';

describe('errorPolicies (SPEC §4)', () => {
  it('has the table of the spec, row by row', () => {
    const table = Object.fromEntries(
      Object.entries(errorPolicies).map(([code, policy]) => [code, [+policy.retryable, +policy.penalisesCredential, +policy.switchesCredential].join('')]),
    );
    expect(table).toEqual({
      authentication: '111',
      permission: '111',
      rate_limit: '111',
      quota_exceeded: '111',
      invalid_request: '000',
      not_found: '000',
      context_length: '000',
      content_filter: '000',
      server_error: '110',
      timeout: '110',
      network: '110',
      invalid_response: '110',
      aborted: '000',
      credentials_exhausted: '000',
      invalid_config: '000',
    });
    expect(penalisesCredential('invalid_request')).toBe(false);
    expect(penalisesCredential('rate_limit')).toBe(true);
  });
});
