// Shared by the credentialFetch interop tests: a loopback upstream that knows a rate-limited and a good key (any other
// key — the revoked one — gets the dialect's 401), and a KeyManager over the three keys, every event collected.
import type { KitEvent } from '@kit/core';
import { KeyManager } from '@kit/keymanager';
import { MetricsCollector } from '@kit/metrics';
import { createMockUpstream, faults, replies, type DialectName, type MockUpstream } from '@kit/testkit';

/** Fake keys: obviously not real, long enough that a leak would be unambiguous. */
export const interopKeys = {
  revoked: 'test-interop-key-revoked-0123456789',
  limited: 'test-interop-key-limited-0123456789',
  good: 'test-interop-key-good-0123456789',
};

/** Starts an upstream of `dialect` where the revoked key is unknown (401), one key is rate limited (429, 1 s) and one answers. */
export function startInteropUpstream(dialect: Extract<DialectName, 'openai' | 'anthropic'>, answer = 'pooled answer'): Promise<MockUpstream> {
  return createMockUpstream({
    dialect,
    credentials: [
      { id: 'limited', secret: interopKeys.limited, script: faults.rateLimited({ retryAfterSeconds: 1 }) },
      { id: 'good', secret: interopKeys.good, script: replies.text(answer) },
    ],
  });
}

/**
 * A KeyManager over the three keys, and one log of every event (the pool's and credentialFetch's) fed to a collector.
 * The pool's monotonic clock stands still unless a test moves `clock.ms`: the rate-limited key's 1 s cooldown never
 * ends by itself in the middle of a test, however slow the machine.
 */
export function interopPool(provider: string) {
  const clock = { ms: 1_000_000 };
  const events: KitEvent[] = [];
  const metrics = new MetricsCollector();
  const onEvent = (event: KitEvent) => {
    events.push(event);
    metrics.record(event);
  };
  const keys = new KeyManager(
    provider,
    [
      { id: 'key-revoked', key: interopKeys.revoked },
      { id: 'key-limited', key: interopKeys.limited },
      { id: 'key-good', key: interopKeys.good },
    ],
    { onEvent, monotonicNow: () => clock.ms },
  );
  return {
    clock,
    keys,
    events,
    metrics,
    onEvent,
    ofType: <T extends KitEvent['type']>(type: T) => events.filter((event): event is Extract<KitEvent, { type: T }> => event.type === type),
  };
}

/** The health of a pool's keys by id: what the tests assert on. */
export function healthById(keys: KeyManager) {
  return Object.fromEntries(keys.getKeyHealth().map((key) => [key.id, key]));
}
