import { selectPanicCredential } from '@kit/core/provider-utils';
import type { OAuthSelectionStrategy } from './oauth-manager-options';
import { isHealthy, type CredentialState } from './credential-state';

/** Where round-robin goes on from (internal). */
export interface Cursor {
  next: number;
}

/** 0: cannot be handed out; 1: last resort; 2: preferred. */
type Rank = 0 | 1 | 2;

function rankOf(state: CredentialState, now: number, refreshFailuresBeforeUnhealthy: number, excluded: ReadonlySet<string>): Rank {
  if (state.health.availableAt() > now || excluded.has(state.credential.id)) return 0;
  if (state.retiring) return 1;
  return isHealthy(state, refreshFailuresBeforeUnhealthy) || state.health.probeUntil <= now ? 2 : 1;
}

/**
 * Picks the next credential, or `undefined` when none can be handed out. Skipped: credentials in a cooldown (failure,
 * refresh backoff or rate limit), disabled ones and `excluded` ids. Preferred: healthy ones and unhealthy ones whose
 * cooldown ran out with no probe outstanding (that is how they recover); then, as a last resort, unhealthy ones with a
 * probe outstanding and credentials marked for rotation. Round-robin takes the first of the best group from the cursor
 * on; random any of it. When nothing is available, the credential whose only obstacle is a transient cooldown ending
 * soonest is chosen (panic mode), so faults that hit every credential alike never make the pool refuse calls.
 */
export function selectCredential(
  states: readonly CredentialState[],
  strategy: OAuthSelectionStrategy,
  cursor: Cursor,
  now: number,
  random: () => number,
  refreshFailuresBeforeUnhealthy: number,
  excluded: ReadonlySet<string>,
): CredentialState | undefined {
  const ranks = states.map((state) => rankOf(state, now, refreshFailuresBeforeUnhealthy, excluded));
  const best = Math.max(0, ...ranks);
  if (best === 0) return selectPanicCredential(states, now, (state) => excluded.has(state.credential.id));
  const count = states.length;
  const start = cursor.next < count ? cursor.next : 0;
  let skip = strategy === 'random' ? Math.floor(random() * ranks.filter((rank) => rank === best).length) || 0 : 0;
  for (let offset = 0; offset < count; offset++) {
    const index = (start + offset) % count;
    if (ranks[index] !== best) continue;
    if (skip === 0) {
      cursor.next = index + 1;
      return states[index];
    }
    skip--;
  }
  return undefined;
}
