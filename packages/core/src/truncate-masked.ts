import { maskSecrets } from './mask-secrets';

/** The mark a cut text ends with; `maskSecrets` masks the start of a key-shaped string cut short before it. */
const CUT_MARK = '…';

/**
 * Shortens an upstream text (an error body, a malformed stream line, an OAuth `error_description`) for a message,
 * without letting a piece of a secret through: the whole text is masked first (`maskSecrets`), then cut to at most
 * `max` characters ending with `…`, and what the cut left — a run of 8 or more characters of a known secret, the
 * start of a key-shaped string before the `…` — is masked too. A text no longer than `max` is only masked.
 *
 * Where the secrets are not known at the cut (a stream mapper never sees the credential), the error built from the
 * result is masked again by whoever knows them (`KitError`'s `secrets` option, the engine's pass with the credential
 * in use): every run of 8 or more characters of a secret is masked there, wherever it sits.
 */
export function truncateMasked(text: string, max: number, secrets: readonly (string | undefined)[] = []): string {
  const masked = maskSecrets(text, secrets);
  if (masked.length <= max) return masked;
  let end = Math.max(0, max - CUT_MARK.length);
  // Never split a surrogate pair (an emoji would become an unpaired half).
  const last = masked.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end -= 1;
  return maskSecrets(`${masked.slice(0, end)}${CUT_MARK}`, secrets);
}
