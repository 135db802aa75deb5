import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Deadline, DeadlineTimer } from './deadline-timer';

const timeouts = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;

function deadline(dueAt: number, onExpire: (self: Deadline) => void = () => {}): Deadline {
  const self: Deadline = { dueAt, expire: () => onExpire(self) };
  return self;
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('DeadlineTimer', () => {
  it('expires 50 concurrent deadlines each at its own time, in order, with one runtime timer armed at a time', async () => {
    vi.useFakeTimers();
    const timer = new DeadlineTimer(() => Date.now());
    const start = Date.now();
    const expired: number[] = [];
    // Added out of order: a sooner deadline re-arms the timer, a later one does not.
    const offsets = Array.from({ length: 50 }, (_, index) => ((index * 37) % 50) * 10 + 10);
    for (const offset of offsets) timer.add(deadline(start + offset, () => expired.push(Date.now() - start)));
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(505);
    expect(expired).toEqual([...offsets].sort((a, b) => a - b));
    expect(vi.getTimerCount()).toBe(0);
  });

  it('never expires a deleted deadline, and a deadline that expires may add itself again (a wait not over yet)', async () => {
    vi.useFakeTimers();
    const timer = new DeadlineTimer(() => Date.now());
    const start = Date.now();
    const gone = vi.fn();
    const removed = deadline(start + 100, gone);
    timer.add(removed);
    let rounds = 0;
    timer.add(
      deadline(start + 100, (self) => {
        rounds += 1;
        if (rounds < 3) {
          self.dueAt = Date.now() + 100;
          timer.add(self);
        }
      }),
    );
    timer.delete(removed);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(gone).not.toHaveBeenCalled();
    expect(rounds).toBe(3);
  });

  it('does not expire a due deadline that an earlier expiry deleted (an abort that ended another attempt)', async () => {
    vi.useFakeTimers();
    const timer = new DeadlineTimer(() => Date.now());
    const start = Date.now();
    const second = vi.fn();
    const ended = deadline(start + 100, second);
    timer.add(deadline(start + 100, () => timer.delete(ended)));
    timer.add(ended);
    await vi.advanceTimersByTimeAsync(200);
    expect(second).not.toHaveBeenCalled();
  });

  it('sets one runtime timer for 200 sequential attempts, and never holds the process (as AbortSignal.timeout does)', () => {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const clearTimeoutSpy = vi.spyOn(globalThis, 'clearTimeout');
    const timer = new DeadlineTimer(() => performance.now());
    const before = timeouts();
    for (let index = 0; index < 200; index++) {
      const held = deadline(performance.now() + 30_000);
      timer.add(held);
      // Unreferenced even while held: a request in flight keeps the process alive through its socket, not this timer.
      expect(timeouts()).toBe(before);
      timer.delete(held, true);
    }
    expect(setTimeoutSpy).toHaveBeenCalledTimes(1);
    expect(clearTimeoutSpy).not.toHaveBeenCalled();
  });

  it('keeps its idle timer armed after the last answered attempt, firing once on nothing; a failed or aborted one clears it', async () => {
    vi.useFakeTimers();
    const timer = new DeadlineTimer(() => Date.now());
    const expired = vi.fn();
    const answered = deadline(Date.now() + 1_000, expired);
    timer.add(answered);
    timer.delete(answered, true);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(expired).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
    const aborted = deadline(Date.now() + 30_000);
    timer.add(aborted);
    timer.delete(aborted);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('clears its timer once idle where a timer handle cannot be unreferenced (Deno, workers, browsers)', () => {
    const handles: number[] = [];
    vi.spyOn(globalThis, 'setTimeout').mockImplementation((() => handles.push(handles.length + 1)) as never);
    const clearTimeoutSpy = vi.spyOn(globalThis, 'clearTimeout').mockImplementation(() => {});
    const timer = new DeadlineTimer(() => 0);
    const held = deadline(30_000);
    timer.add(held);
    timer.delete(held, true);
    expect(clearTimeoutSpy).toHaveBeenCalledWith(1);
    timer.add(held);
    expect(handles).toEqual([1, 2]);
  });
});
