// createLoadBalancer over real loopback upstreams: distributions (seeded random), least-latency, failover.
import { createLoadBalancer } from '@kit/router';
import { faults, replies, type MockUpstream } from '@kit/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { eventLog, upstreams } from '../engine/helpers';
import { failovers, providerOn, seededRandom } from './router-harness';

const servers = upstreams();
afterEach(async () => {
  vi.useRealTimers();
  await servers.closeAll();
});

async function threeUpstreams(): Promise<MockUpstream[]> {
  return Promise.all(['a', 'b', 'c'].map((name) => servers.start({ dialect: 'openai', defaultScript: replies.text(`from ${name}`) })));
}

/** Sends `count` calls, `batch` at a time (concurrent traffic), and returns how many each upstream received. */
async function spread(router: ReturnType<typeof createLoadBalancer>, count: number, targets: readonly MockUpstream[], batch = 25): Promise<number[]> {
  for (let sent = 0; sent < count; sent += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, count - sent) }, (_, index) => router.complete({ prompt: `call ${sent + index}` })));
  }
  return targets.map((upstream) => upstream.requests.length);
}

describe('createLoadBalancer', () => {
  it('round-robin: exactly one call each in turn', async () => {
    const targets = await threeUpstreams();
    const balancer = createLoadBalancer(targets.map((upstream, index) => providerOn(upstream, `p${index}`).provider));
    const texts: string[] = [];
    for (let call = 0; call < 6; call++) texts.push((await balancer.complete({ prompt: 'hi' })).text);
    expect(texts).toEqual(['from a', 'from b', 'from c', 'from a', 'from b', 'from c']);
    expect(await spread(balancer, 90, targets)).toEqual([32, 32, 32]);
  });

  it('weighted 1:2:5 (seeded random): each share within 4 points of its weight over 800 calls', async () => {
    const targets = await threeUpstreams();
    const weights = [1, 2, 5];
    const balancer = createLoadBalancer(
      targets.map((upstream, index) => ({ provider: providerOn(upstream, `p${index}`).provider, weight: weights[index] })),
      { strategy: 'weighted', random: seededRandom(42) },
    );
    const counts = await spread(balancer, 800, targets);
    counts.forEach((count, index) => {
      expect(Math.abs(count / 800 - (weights[index] as number) / 8)).toBeLessThan(0.04);
    });
  });

  it('random (seeded): roughly even over 600 calls', async () => {
    const targets = await threeUpstreams();
    const balancer = createLoadBalancer(
      targets.map((upstream, index) => providerOn(upstream, `p${index}`).provider),
      { strategy: 'random', random: seededRandom(7) },
    );
    const counts = await spread(balancer, 600, targets);
    for (const count of counts) expect(Math.abs(count - 200)).toBeLessThan(40);
  });

  it('least-latency: after measuring both, every call goes to the faster entry', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const slow = await servers.start({ dialect: 'openai', defaultScript: faults.slowFirstByte(300, replies.text('slow')) });
    const fast = await servers.start({ dialect: 'openai', defaultScript: faults.slowFirstByte(20, replies.text('fast')) });
    const balancer = createLoadBalancer([providerOn(slow, 'slow').provider, providerOn(fast, 'fast').provider], { strategy: 'least-latency' });
    const call = async (upstream: MockUpstream, ms: number) => {
      const pending = balancer.complete({ prompt: 'hi' });
      await upstream.waitForRequests(upstream.requests.length + 1);
      await vi.advanceTimersByTimeAsync(ms);
      return (await pending).text;
    };
    // Unmeasured entries go first, in list order.
    expect(await call(slow, 300)).toBe('slow');
    expect(await call(fast, 20)).toBe('fast');
    for (let round = 0; round < 5; round++) expect(await call(fast, 20)).toBe('fast');
    expect(slow.requests).toHaveLength(1);
  });

  it('fails over to another entry on a 500 and skips the broken one while it cools down', async () => {
    const broken = await servers.start({ dialect: 'openai', defaultScript: faults.serverError(500) });
    const good = await servers.start({ dialect: 'openai', defaultScript: replies.text('good') });
    const events = eventLog();
    const balancer = createLoadBalancer([providerOn(broken, 'broken').provider, providerOn(good, 'good').provider], {
      onEvent: events.onEvent,
      now: () => 0,
    });
    for (let call = 0; call < 4; call++) expect((await balancer.complete({ prompt: 'hi' })).text).toBe('good');
    expect(broken.requests).toHaveLength(1);
    expect(failovers(events.events)).toEqual(['broken→good:server_error']);
  });
});
