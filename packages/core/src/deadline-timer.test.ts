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

  it('sets one runtime timer for 200 sequential answered attempts, and holds the process only while one is in flight', () => {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const timer = new DeadlineTimer(() => performance.now());
    const before = timeouts();
    for (let index = 0; index < 200; index++) {
      const held = deadline(performance.now() + 30_000);
      timer.add(held);
      // Held: the process may not exit before the deadline can fire.
      expect(timeouts()).toBe(before + 1);
      timer.settle(held);
      // Idle after an answer: the armed timer keeps no process alive.
      expect(timeouts()).toBe(before);
    }
    expect(setTimeoutSpy).toHaveBeenCalledTimes(1);
  });

  it('leaves no timer at all once the last deadline is deleted (an attempt that failed or was aborted)', () => {
    vi.useFakeTimers();
    const timer = new DeadlineTimer(() => Date.now());
    const answered = deadline(Date.now() + 30_000);
    timer.add(answered);
    timer.settle(answered);
    expect(vi.getTimerCount()).toBe(1);
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
    timer.settle(held);
    expect(clearTimeoutSpy).toHaveBeenCalledWith(1);
    timer.add(held);
    expect(handles).toEqual([1, 2]);
  });
});
