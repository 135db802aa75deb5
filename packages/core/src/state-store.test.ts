import { describe, expect, it } from 'vitest';
import { mergeSharedHealth, type SharedHealth, sharedCredentialKey } from './state-store';

const none: SharedHealth = { penaltyUntil: 0, rateLimitedUntil: 0, consecutiveFailures: 0, unhealthy: 0, disabled: 0 };

describe('mergeSharedHealth (what every backend applies atomically)', () => {
  it('a later, longer cooldown wins; an earlier, shorter one never shortens it', () => {
    const stored = { ...none, penaltyUntil: 30_000, consecutiveFailures: 1 };
    expect(mergeSharedHealth(stored, { next: { ...none, penaltyUntil: 60_000, consecutiveFailures: 1 }, known: none }).penaltyUntil).toBe(60_000);
    // A writer that had not seen the 30 s cooldown reports 5 s: the 30 s stay.
    expect(mergeSharedHealth(stored, { next: { ...none, penaltyUntil: 5_000, consecutiveFailures: 1 }, known: none }).penaltyUntil).toBe(30_000);
  });

  it('a success clears only what its writer knew: a cooldown set elsewhere meanwhile stays', () => {
    const stored = { ...none, penaltyUntil: 30_000, consecutiveFailures: 2, unhealthy: 1 };
    expect(mergeSharedHealth(stored, { next: none, known: stored })).toEqual(none);
    const longer = { ...stored, penaltyUntil: 90_000 };
    expect(mergeSharedHealth(longer, { next: none, known: stored })).toEqual({ ...none, penaltyUntil: 90_000 });
  });

  it('disable and unhealthy are flags that rise for everyone and fall only by a writer who saw them', () => {
    const disabled = { ...none, disabled: 1, unhealthy: 1, consecutiveFailures: 1 };
    expect(mergeSharedHealth(none, { next: disabled, known: none })).toEqual(disabled);
    expect(mergeSharedHealth(disabled, { next: none, known: none })).toEqual(disabled);
    expect(mergeSharedHealth(disabled, { next: none, known: disabled })).toEqual(none);
  });
});

describe('sharedCredentialKey', () => {
  it('names a credential of a pool without ambiguity (parts are URI-encoded)', () => {
    expect(sharedCredentialKey('api-key', 'openai', 'key-1')).toBe('api-key:openai:key-1');
    expect(sharedCredentialKey('oauth', 'a:b', 'c')).not.toBe(sharedCredentialKey('oauth', 'a', 'b:c'));
  });
});
