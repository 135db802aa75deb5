import type { KitEvent } from '@kit/core';
import { createMockUpstream, type MockUpstream, type MockUpstreamOptions } from '@kit/testkit';

/** Starts mock upstreams and closes every one after the test. */
export function upstreams() {
  const open: MockUpstream[] = [];
  return {
    async start(options: MockUpstreamOptions): Promise<MockUpstream> {
      const upstream = await createMockUpstream(options);
      open.push(upstream);
      return upstream;
    },
    async closeAll(): Promise<void> {
      await Promise.all(open.splice(0).map((upstream) => upstream.close()));
    },
  };
}

/** Collects every event a provider or manager emits. */
export function eventLog() {
  const events: KitEvent[] = [];
  return {
    events,
    onEvent: (event: KitEvent) => events.push(event),
    ofType: <T extends KitEvent['type']>(type: T) => events.filter((event): event is Extract<KitEvent, { type: T }> => event.type === type),
  };
}

/** Fake keys: obviously not real, long enough that a leak would be unambiguous. */
export const fakeKeys = Array.from({ length: 6 }, (_, index) => `test-key-secret-${index + 1}-abcdefghij`);

/** Everything observable, serialised, must not contain any of the secrets. */
export function expectNoSecrets(observable: unknown[], secrets: readonly string[]): void {
  const text = observable
    .map((item) =>
      typeof item === 'string'
        ? item
        : JSON.stringify(item, (_key, value) => (value instanceof Error ? { ...value, message: value.message, stack: value.stack } : value)),
    )
    .join('\n');
  for (const secret of secrets) {
    if (text.includes(secret)) throw new Error(`a secret leaked: ...${secret.slice(-6)}`);
  }
}
