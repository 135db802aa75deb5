import { describe, expect, it } from 'vitest';
import { errorPolicies, penalisesCredential, policyOf } from './error-codes';

describe('errorPolicies', () => {
  it('has the code table, row by row (retryable, switches credential, transient, penalises, excludes for the call)', () => {
    const table = Object.fromEntries(
      Object.entries(errorPolicies).map(([code, policy]) => [
        code,
        [+policy.retryable, +policy.switchesCredential, +policy.transient, +policy.penalisesCredential, +policy.excludesCredential].join(''),
      ]),
    );
    expect(table).toEqual({
      authentication: '01011',
      permission: '01011',
      rate_limit: '11010',
      quota_exceeded: '01011',
      invalid_request: '00000',
      not_found: '00000',
      context_length: '00000',
      content_filter: '00000',
      server_error: '10110',
      timeout: '10110',
      network: '10110',
      invalid_response: '10110',
      aborted: '00000',
      credentials_exhausted: '00000',
      invalid_config: '00000',
    });
    expect(penalisesCredential('invalid_request')).toBe(false);
    expect(penalisesCredential('rate_limit')).toBe(true);
  });

  it('treats a code unknown to this copy of core as final and blameless instead of crashing', () => {
    expect(policyOf('some_future_code')).toEqual({
      retryable: false,
      switchesCredential: false,
      transient: false,
      penalisesCredential: false,
      excludesCredential: false,
    });
  });
});
