import { describe, expect, it } from 'vitest';
import { errorPolicies, penalisesCredential, policyOf } from './error-codes';

describe('errorPolicies', () => {
  it('has the code table, row by row (retryable, switches credential, transient, penalises)', () => {
    const table = Object.fromEntries(
      Object.entries(errorPolicies).map(([code, policy]) => [
        code,
        [+policy.retryable, +policy.switchesCredential, +policy.transient, +policy.penalisesCredential].join(''),
      ]),
    );
    expect(table).toEqual({
      authentication: '0101',
      permission: '0101',
      rate_limit: '1101',
      quota_exceeded: '0101',
      invalid_request: '0000',
      not_found: '0000',
      context_length: '0000',
      content_filter: '0000',
      server_error: '1011',
      timeout: '1011',
      network: '1011',
      invalid_response: '1011',
      aborted: '0000',
      credentials_exhausted: '0000',
      invalid_config: '0000',
    });
    expect(penalisesCredential('invalid_request')).toBe(false);
    expect(penalisesCredential('rate_limit')).toBe(true);
  });

  it('treats a code unknown to this copy of core as final and blameless instead of crashing', () => {
    expect(policyOf('some_future_code')).toEqual({ retryable: false, switchesCredential: false, transient: false, penalisesCredential: false });
  });
});
