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
const credentialFaults = 'authentication permission rate_limit quota_exceeded';
const transientFaults = 'server_error timeout network invalid_response';
const retryableFaults = `${credentialFaults} ${transientFaults}`;
const allCodes = `${retryableFaults} invalid_request not_found context_length content_filter aborted credentials_exhausted invalid_config`;

/** The code table of SPEC §4 as data. */
export const errorPolicies = Object.fromEntries(
  allCodes.split(' ').map((code) => [
    code,
    {
      retryable: retryableFaults.includes(code),
      penalisesCredential: retryableFaults.includes(code),
      switchesCredential: credentialFaults.includes(code),
    },
  ]),
) as Readonly<Record<KitErrorCode, ErrorPolicy>>;

/** Whether an error of this code should count against the credential that produced it. */
export function penalisesCredential(code: KitErrorCode): boolean {
  return errorPolicies[code].penalisesCredential;
}
