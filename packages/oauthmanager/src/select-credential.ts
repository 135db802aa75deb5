import type { OAuthSelectionStrategy } from './oauth-manager-options';
import { availableAt, isHealthy, type CredentialState } from './credential-state';

/** Where round-robin goes on from (internal). */
export interface Cursor {
  next: number;
}

/**
 * Picks the next credential, or `undefined` when none can be handed out. Skipped: credentials in backoff (failure,
 * refresh or rate limit) and `excluded` ids. Preferred: healthy ones and unhealthy ones whose backoff ran out with no
 * probe outstanding (that is how they recover); then, as a last resort, unhealthy ones with a probe outstanding and
 * credentials marked for rotation. Round-robin takes the first of the best group from the cursor on; random any of it.
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
  // 0: cannot be handed out; 1: last resort; 2: preferred.
  const rank = (state: CredentialState) =>
    availableAt(state) > now || excluded.has(state.credential.id)
      ? 0
      : !state.retiring && (isHealthy(state, refreshFailuresBeforeUnhealthy) || state.probeUntil <= now)
        ? 2
        : 1;
  const ranks = states.map(rank);
  const best = Math.max(0, ...ranks);
  if (!best) return undefined;
  const count = states.length;
  const start = cursor.next < count ? cursor.next : 0;
  let skip = strategy == 'random' ? Math.floor(random() * ranks.filter((value) => value == best).length) : 0;
  for (let offset = 0; offset < count; offset++) {
    const index = (start + offset) % count;
    if (ranks[index] == best && !skip--) {
      cursor.next = index + 1;
      return states[index];
    }
  }
  return undefined;
}
