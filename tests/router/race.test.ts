// createRace over real loopback upstreams: the fastest wins, the losers are aborted and the servers see their
// connections close. Timers are faked (the upstreams' delays and the hedging delays); sockets and setImmediate are real.
import { KitError } from '@kit/core';
import { createRace } from '@kit/router';
import { faults, replies } from '@kit/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { eventLog, upstreams } from '../engine/helpers';
import { failovers, msUntilClosed, providerOn, rejectionOf } from './router-harness';

const servers = upstreams();
afterEach(async () => {
  vi.useRealTimers();
  await servers.closeAll();
});

const fakeTimers = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });

describe('createRace', () => {
  it('three entries: the fastest wins, and both losers’ sockets are closed within 100 ms of the win', async () => {
    fakeTimers();
    const slowest = await servers.start({ dialect: 'openai', defaultScript: faults.slowFirstByte(600, replies.text('slowest')) });
    const slower = await servers.start({ dialect: 'openai', defaultScript: faults.slowFirstByte(300, replies.text('slower')) });
    const fastest = await servers.start({ dialect: 'openai', defaultScript: faults.slowFirstByte(50, replies.text('fastest answer')) });
    const entries = [providerOn(slowest, 'slowest'), providerOn(slower, 'slower'), providerOn(fastest, 'fastest')];
    const race = createRace(entries.map((entry) => entry.provider));

    let wonAt = 0;
    const pending = race.generateChatCompletion({ prompt: 'who is first?' }).then((stream) => {
      wonAt = performance.now();
      return stream;
    });
    // Every entry's request has reached its server: three open connections.
    await Promise.all([slowest, slower, fastest].map((upstream) => upstream.waitForRequests(1)));
    expect(slowest.openConnections() + slower.openConnections()).toBe(2);
    await vi.advanceTimersByTimeAsync(50);
    const stream = await pending;
    await msUntilClosed([slowest, slower], 1_000);
    const closedAfterMs = performance.now() - wonAt;
    expect(slowest.openConnections()).toBe(0);
    expect(slower.openConnections()).toBe(0);
    expect(closedAfterMs).toBeLessThanOrEqual(100);
    expect(await stream.text()).toBe('fastest answer');

    // The losers never answered, and their own engines reported the attempt as aborted (their metrics saw it).
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all([slowest.waitForIdle(), slower.waitForIdle()]);
    for (const loser of [entries[0], entries[1]]) {
      const errors = loser?.log.ofType('request-error') ?? [];
      expect(errors.map((event) => event.error.code)).toEqual(['aborted']);
      expect(loser?.provider.getMetrics()).toMatchObject({ requestCount: 1, successCount: 0 });
    }
    expect(entries[2]?.provider.getMetrics()).toMatchObject({ requestCount: 1, successCount: 1 });
    expect(race.getMetrics()).toMatchObject({ requestCount: 3, successCount: 1, errorCount: 0 });
  });

  it('hedging: with delayMs the second entry starts only when the first has not produced content by then', async () => {
    fakeTimers();
    const quick = await servers.start({ dialect: 'openai', defaultScript: faults.slowFirstByte(100, replies.text('quick')) });
    const backup = await servers.start({ dialect: 'openai', defaultScript: replies.text('backup') });
    const race = createRace([providerOn(quick, 'quick').provider, providerOn(backup, 'backup').provider], { delayMs: 500 });
    const pending = race.complete({ prompt: 'hi' });
    await quick.waitForRequests(1);
    await vi.advanceTimersByTimeAsync(100);
    expect((await pending).text).toBe('quick');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(backup.requests).toHaveLength(0);

    // The first entry hangs: the second starts at 500 ms and wins; the first is aborted.
    quick.setScript('default', faults.hang());
    const hedged = race.complete({ prompt: 'again' });
    await quick.waitForRequests(2);
    await vi.advanceTimersByTimeAsync(499);
    expect(backup.requests).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect((await hedged).text).toBe('backup');
    expect(await msUntilClosed([quick], 1_000)).toBeLessThanOrEqual(100);
  });

  it('an entry that fails starts the next waiting one at once and emits failover', async () => {
    fakeTimers();
    const revoked = await servers.start({ dialect: 'openai', defaultScript: faults.unauthorized() });
    const backup = await servers.start({ dialect: 'openai', defaultScript: replies.text('backup') });
    const events = eventLog();
    const race = createRace([providerOn(revoked, 'revoked').provider, providerOn(backup, 'backup').provider], { delayMs: 10_000, onEvent: events.onEvent });
    expect((await race.complete({ prompt: 'hi' })).text).toBe('backup');
    expect(failovers(events.events)).toEqual(['revoked→backup:authentication']);
  });

  it('an invalid_request ends the race at once and aborts the others', async () => {
    const strict = await servers.start({ dialect: 'openai', defaultScript: faults.badRequest('bad parameter') });
    const slow = await servers.start({ dialect: 'openai', defaultScript: faults.hang() });
    const race = createRace([providerOn(strict, 'strict').provider, providerOn(slow, 'slow').provider]);
    await expect(race.complete({ prompt: 'hi' })).rejects.toMatchObject({ code: 'invalid_request' });
    expect(await msUntilClosed([slow], 1_000)).toBeLessThanOrEqual(100);
  });

  it('timeoutMs: nobody produces content in time, every entry is aborted and the call fails with timeout', async () => {
    fakeTimers();
    const a = await servers.start({ dialect: 'openai', defaultScript: faults.hang() });
    const b = await servers.start({ dialect: 'openai', defaultScript: faults.hang() });
    const race = createRace([providerOn(a, 'a').provider, providerOn(b, 'b').provider], { timeoutMs: 2_000 });
    const outcome = rejectionOf(race.complete({ prompt: 'hi' }));
    await Promise.all([a.waitForRequests(1), b.waitForRequests(1)]);
    await vi.advanceTimersByTimeAsync(2_000);
    const error = await outcome;
    expect(error).toBeInstanceOf(KitError);
    expect(error.code).toBe('timeout');
    expect(await msUntilClosed([a, b], 1_000)).toBeLessThanOrEqual(100);
  });

  it('the caller’s abort stops every entry', async () => {
    const a = await servers.start({ dialect: 'openai', defaultScript: faults.hang() });
    const b = await servers.start({ dialect: 'openai', defaultScript: faults.hang() });
    const race = createRace([providerOn(a, 'a').provider, providerOn(b, 'b').provider]);
    const controller = new AbortController();
    const outcome = rejectionOf(race.generateChatCompletion({ prompt: 'hi', signal: controller.signal }));
    await Promise.all([a.waitForRequests(1), b.waitForRequests(1)]);
    controller.abort();
    expect((await outcome).code).toBe('aborted');
    expect(await msUntilClosed([a, b], 1_000)).toBeLessThanOrEqual(100);
  });
});
