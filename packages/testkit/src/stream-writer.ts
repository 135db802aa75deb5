import type { ServerResponse } from 'node:http';

/**
 * Resolves `true` after `ms` milliseconds (`0`: on the next event-loop turn, via `setImmediate`),
 * or `false` as soon as `signal` aborts; the timer never outlives the signal.
 */
export function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    let cancel = (): void => {};
    const onAbort = (): void => {
      cancel();
      resolve(false);
    };
    const onTime = (): void => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    };
    if (ms > 0) {
      const timer = setTimeout(onTime, ms);
      cancel = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(onTime);
      cancel = () => clearImmediate(immediate);
    }
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Resolves when `signal` aborts (the exchange ended): how hanging and stalled answers wait. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/**
 * Writes encoded frames to a streaming answer one at a time, with a gap before each frame but the
 * first so clients receive them as separate chunks. Stops as soon as the exchange ends.
 */
export class StreamWriter {
  private written = 0;

  constructor(
    private readonly response: ServerResponse,
    private readonly signal: AbortSignal,
    private readonly chunkDelayMs: number,
  ) {}

  /** Writes `frames`; `false` when the exchange ended before all were handed to the socket. */
  async write(frames: readonly string[]): Promise<boolean> {
    for (const frame of frames) {
      if (this.written > 0 && !(await pause(this.chunkDelayMs, this.signal))) return false;
      if (!(await this.writeOne(frame))) return false;
      this.written += 1;
    }
    return !this.signal.aborted;
  }

  private writeOne(frame: string): Promise<boolean> {
    if (this.signal.aborted || this.response.destroyed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = (): void => resolve(false);
      this.signal.addEventListener('abort', onAbort, { once: true });
      // The callback fires once the frame is handed to the socket (or with an error if it never is).
      this.response.write(frame, (error) => {
        this.signal.removeEventListener('abort', onAbort);
        resolve(!error && !this.signal.aborted);
      });
    });
  }
}
