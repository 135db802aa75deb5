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

/** How the engine treats an error of a code (SPEC §4). */
export interface ErrorPolicy {
  /** Another attempt may succeed (on this or another credential). */
  retryable: boolean;
  /** The credential is at fault: report a failure against it and move to the next one. */
  penalisesCredential: boolean;
  /** Moving to another credential is the fix, so the move costs no retry and no sleep. */
  switchesCredential: boolean;
}

// The code table of SPEC §4, by column: credential faults switch credentials; they and transient faults are
// retryable and count against the credential; every other code is final and nobody's fault.
const credentialFaults: readonly KitErrorCode[] = ['authentication', 'permission', 'rate_limit', 'quota_exceeded'];
const retryableFaults: readonly KitErrorCode[] = [...credentialFaults, 'server_error', 'timeout', 'network', 'invalid_response'];
const finalCodes: readonly KitErrorCode[] = ['invalid_request', 'not_found', 'context_length', 'content_filter', 'aborted', 'credentials_exhausted', 'invalid_config'];

/** The code table of SPEC §4 as data. */
export const errorPolicies = Object.fromEntries(
  [...retryableFaults, ...finalCodes].map((code) => {
    const retryable = retryableFaults.includes(code);
    return [code, { retryable, penalisesCredential: retryable, switchesCredential: credentialFaults.includes(code) }];
  }),
) as Readonly<Record<KitErrorCode, ErrorPolicy>>;

/** Whether an error of this code should count against the credential that produced it. */
export function penalisesCredential(code: KitErrorCode): boolean {
  return errorPolicies[code].penalisesCredential;
}
