import { policyOf, type KitError } from '@kit/core';

/**
 * Whether a router moves from an entry that failed with `error` to the next one, by `@kit/core`'s code table:
 * - credential faults (`authentication`, `permission`, `rate_limit`, `quota_exceeded`), transient faults
 *   (`server_error`, `timeout`, `network`, `invalid_response`) and `credentials_exhausted` (an entry's whole pool is
 *   cooling down) move on: another entry can answer;
 * - `not_found` moves on too: the model or endpoint is missing at *this* entry, another entry (another provider, another
 *   model) may have it;
 * - `context_length` moves on only with `contextLengthFallback` (an entry with a larger window);
 * - `invalid_request`, `content_filter`, `aborted`, `invalid_config` and codes this copy of core does not know are
 *   final: every entry would answer the same, or the caller stopped.
 */
export function movesToNextEntry(error: KitError, contextLengthFallback: boolean): boolean {
  const { code } = error;
  if (code === 'credentials_exhausted' || code === 'not_found') return true;
  if (code === 'context_length') return contextLengthFallback;
  return policyOf(code).penalisesCredential;
}
