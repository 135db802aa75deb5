// Routers nest: a fallback of races, on real loopback upstreams.
import { createFallback, createRace } from '@kit/router';
import { faults, replies } from '@kit/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { eventLog, upstreams } from '../engine/helpers';
import { failovers, msUntilClosed, providerOn } from './router-harness';

const servers = upstreams();
afterEach(async () => {
  vi.useRealTimers();
  await servers.closeAll();
});

describe('a fallback of races', () => {
  it('the first race loses every entry (500, 401), the fallback moves to the second race, whose fastest entry wins', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const broken = await servers.start({ dialect: 'openai', defaultScript: faults.serverError(500) });
    // The 401 comes 10 ms after the 500, so that the first race's last failure (its error code) is known.
    const revoked = await servers.start({ dialect: 'openai', defaultScript: faults.slowFirstByte(10, faults.unauthorized()) });
    const slow = await servers.start({ dialect: 'openai', defaultScript: faults.slowFirstByte(400, replies.text('slow')) });
    const quick = await servers.start({ dialect: 'openai', defaultScript: faults.slowFirstByte(30, replies.text('quick')) });
    const outer = eventLog();
    const inner = eventLog();
    const primary = createRace([providerOn(broken, 'broken').provider, providerOn(revoked, 'revoked').provider], { name: 'primary', onEvent: inner.onEvent });
    const secondary = createRace([providerOn(slow, 'slow').provider, providerOn(quick, 'quick').provider], { name: 'secondary' });
    const chain = createFallback([primary, secondary], { onEvent: outer.onEvent });

    const pending = chain.generateChatCompletion({ prompt: 'hi' });
    await Promise.all([broken.waitForRequests(1), revoked.waitForRequests(1)]);
    await vi.advanceTimersByTimeAsync(10);
    await Promise.all([slow.waitForRequests(1), quick.waitForRequests(1)]);
    await vi.advanceTimersByTimeAsync(30);
    const stream = await pending;
    expect(await stream.text()).toBe('quick');
    expect(failovers(outer.events)).toEqual(['primary→secondary:authentication']);
    expect(failovers(inner.events)).toEqual(['broken→∅:server_error', 'revoked→∅:authentication']);
    expect(await msUntilClosed([slow], 1_000)).toBeLessThanOrEqual(100);
    expect(chain.getMetrics()).toMatchObject({ requestCount: 4, successCount: 1 });
    expect(chain.getConfig()).toMatchObject({
      entries: [
        { name: 'primary', type: 'race' },
        { name: 'secondary', type: 'race' },
      ],
    });
  });
});
