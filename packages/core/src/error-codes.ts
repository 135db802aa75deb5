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

const policy = (retryable: boolean, penalisesCredential: boolean, switchesCredential = false): ErrorPolicy => ({
  retryable,
  penalisesCredential,
  switchesCredential,
});

/** The code table of SPEC §4 as data. */
export const errorPolicies: Readonly<Record<KitErrorCode, ErrorPolicy>> = {
  authentication: policy(true, true, true),
  permission: policy(true, true, true),
  rate_limit: policy(true, true, true),
  quota_exceeded: policy(true, true, true),
  invalid_request: policy(false, false),
  not_found: policy(false, false),
  context_length: policy(false, false),
  content_filter: policy(false, false),
  server_error: policy(true, true),
  timeout: policy(true, true),
  network: policy(true, true),
  invalid_response: policy(true, true),
  aborted: policy(false, false),
  credentials_exhausted: policy(false, false),
  invalid_config: policy(false, false),
};

/** Whether an error of this code should count against the credential that produced it. */
export function penalisesCredential(code: KitErrorCode): boolean {
  return errorPolicies[code].penalisesCredential;
}
