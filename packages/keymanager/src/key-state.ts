import { CredentialHealthRecord } from '@kit/core/provider-utils';
import type { NormalisedKey } from './key-input';

/** The bookkeeping of one key (internal; never leaves the manager): the key, its health record, its weight counter. */
export interface KeyState extends NormalisedKey {
  /** Health, cooldowns and counts: the state machine shared with `OAuthManager`. */
  readonly health: CredentialHealthRecord;
  /** Smooth weighted round-robin counter. */
  currentWeight: number;
}

/** A fresh, healthy state for a validated key (every field present from the start, so all states share one shape). */
export const createKeyState = (key: NormalisedKey): KeyState => ({
  id: key.id,
  secret: key.secret,
  weight: key.weight,
  health: new CredentialHealthRecord(),
  currentWeight: 0,
});
