/** Every `KitError` code. */
export type KitErrorCode =
  | 'authentication'
  | 'permission'
  | 'rate_limit'
  | 'quota_exceeded'
  | 'invalid_request'
  | 'not_found'
  | 'context_length'
  | 'content_filter'
  | 'server_error'
  | 'timeout'
  | 'network'
  | 'invalid_response'
  | 'aborted'
  | 'credentials_exhausted'
  | 'invalid_config';

/** How the engine and the credential pools treat an error of a code. */
export interface ErrorPolicy {
  /**
   * What the caller reads on the error it finally receives: retrying *this call later* may succeed (a rate limit,
   * an upstream fault). A revoked key, a forbidden project or an exhausted quota are not retryable: the same call
   * will fail the same way until someone acts.
   */
  retryable: boolean;
  /** The fault belongs to the credential that was used: it is reported against it and moves the call to another. */
  switchesCredential: boolean;
  /**
   * The fault hits every credential alike (5xx, timeouts, resets, garbage): the engine retries it with backoff
   * within `maxRetries`; a pool may cool the credential briefly but never benches it for long.
   */
  transient: boolean;
  /** The credential's health is affected at all (credential faults and transient faults). */
  penalisesCredential: boolean;
  /**
   * The credential failed for good as far as this call goes (revoked, forbidden, out of quota): it is not handed out
   * again within the call. A rate limit is not: the same key may be waited for.
   */
  excludesCredential: boolean;
}

// The code table, by column: credential faults switch credentials; transient faults are retried with backoff;
// every other code is final and nobody's fault.
const credentialFaults: readonly KitErrorCode[] = ['authentication', 'permission', 'rate_limit', 'quota_exceeded'];
const transientFaults: readonly KitErrorCode[] = ['server_error', 'timeout', 'network', 'invalid_response'];
const finalCodes: readonly KitErrorCode[] = [
  'invalid_request',
  'not_found',
  'context_length',
  'content_filter',
  'aborted',
  'credentials_exhausted',
  'invalid_config',
];

/**
 * Whether retrying a call that failed with this code later may succeed (`KitError.retryable`): rate limits and
 * transient faults. A function apart from the table, so that importing only `KitError` does not pull the table in.
 */
export function isRetryableCode(code: string): boolean {
  return code === 'rate_limit' || (transientFaults as readonly string[]).includes(code);
}

/** The code table as data. */
export const errorPolicies = /* @__PURE__ */ (() =>
  Object.fromEntries(
    [...credentialFaults, ...transientFaults, ...finalCodes].map((code) => {
      const switchesCredential = credentialFaults.includes(code);
      const transient = transientFaults.includes(code);
      const policy: ErrorPolicy = {
        retryable: isRetryableCode(code),
        switchesCredential,
        transient,
        penalisesCredential: switchesCredential || transient,
        excludesCredential: switchesCredential && code !== 'rate_limit',
      };
      return [code, policy];
    }),
  ) as Readonly<Record<KitErrorCode, ErrorPolicy>>)();

/** The policy of a code; a code unknown to this copy of core (a newer provider package) is treated as a final, blameless error. */
export function policyOf(code: string): ErrorPolicy {
  return (errorPolicies as Record<string, ErrorPolicy | undefined>)[code] ?? unknownCodePolicy;
}

const unknownCodePolicy: ErrorPolicy = { retryable: false, switchesCredential: false, transient: false, penalisesCredential: false, excludesCredential: false };

/** Whether an error of this code should count against the credential that produced it. */
export function penalisesCredential(code: KitErrorCode): boolean {
  return policyOf(code).penalisesCredential;
}
