import { abortedError, linkAbort } from './abort';
import type { Deadline, DeadlineTimer } from './deadline-timer';
import { KitError } from './kit-error';

/**
 * The resources of one HTTP attempt: its `AbortController` (the caller's signal, timeouts and `abort()` all end
 * up there) and its one timer. The timer fires when the attempt has been *waiting* for longer than its limit:
 * for the headers (and, without a stream, the body) from the start; for a stream, while a read waits for the next
 * event — time the caller spends not reading does not count, and neither do bytes that decode to no event
 * (`: ping` comments are not progress). Until the stream's first content event the call's deadline bounds the wait
 * too. One deadline at most in the engine's `DeadlineTimer`, re-armed lazily: cheap per chunk.
 */
export class Attempt implements Deadline {
  readonly controller = new AbortController();
  #limitMs: number;
  readonly #idleTimeoutMs: number;
  readonly #provider: string;
  readonly #unlink: () => void;
  readonly #now: () => number;
  /** When the current wait began; meaningful while `#waiting`. */
  #waitingSince: number;
  #waiting = true;
  /** Monotonic time by which the stream must produce content (the call's deadline); `Infinity` once it has. */
  #contentDeadlineAt = Infinity;
  readonly #timer: DeadlineTimer;
  /** Whether this attempt's check is held by the timer; `dueAt` says when it runs. */
  #scheduled = false;
  dueAt = 0;

  /**
   * `timeoutMs` bounds the wait for the answer (the caller cuts it to what is left of the call's deadline);
   * `idleTimeoutMs` bounds each wait for a stream event after that. `timer` runs the checks (the engine's: it
   * shares one runtime timer between attempts), on the clock `now`; `startedAt`: when the attempt started, on that
   * clock, when the caller has just read it (each read of a clock costs ~50 ns on some machines).
   */
  constructor(
    signal: AbortSignal | undefined,
    timeoutMs: number,
    provider: string,
    idleTimeoutMs: number,
    timer: DeadlineTimer,
    now: () => number,
    startedAt = now(),
  ) {
    this.#limitMs = timeoutMs;
    this.#idleTimeoutMs = idleTimeoutMs;
    this.#provider = provider;
    this.#timer = timer;
    this.#now = now;
    this.#waitingSince = startedAt;
    this.#unlink = linkAbort(this.controller, signal, () => (KitError.is(signal?.reason) ? signal?.reason : abortedError(provider)));
    this.#arm(this.#waitingSince + timeoutMs);
  }

  /** Until `contentStarted()`, no wait may go past `deadlineAt` (monotonic ms). */
  bindContentDeadline(deadlineAt: number): void {
    this.#contentDeadlineAt = deadlineAt;
  }

  /** The first content event arrived: from now on only the idle timeout bounds the stream. */
  contentStarted(): void {
    this.#contentDeadlineAt = Infinity;
  }

  /** A read starts waiting for the next event. */
  waiting(): void {
    this.#waitingSince = this.#now();
    this.#waiting = true;
    this.#limitMs = this.#idleTimeoutMs;
    if (!this.#scheduled && !this.controller.signal.aborted) this.#arm(this.#dueAt());
  }

  /** The upstream made progress (headers, or an event). */
  progressed(): void {
    this.#waiting = false;
  }

  /**
   * Stops the timer and unlinks the outer signal; the controller stays usable. `answered`: the attempt got its answer
   * (the engine's timer may then idle for the next call); otherwise no timer is left once no attempt is in flight.
   */
  dispose(answered = false): void {
    if (this.#scheduled) this.#timer.delete(this, answered);
    this.#scheduled = false;
    this.#waiting = false;
    this.#unlink();
  }

  #dueAt(): number {
    return Math.min(this.#waitingSince + this.#limitMs, this.#contentDeadlineAt);
  }

  /** Has the timer call `expire()` at `dueAt` (monotonic ms). */
  #arm(dueAt: number): void {
    this.dueAt = dueAt;
    this.#scheduled = true;
    this.#timer.add(this);
  }

  /** The timer's call once `dueAt` has come: aborts the attempt if it is still waiting past its limit. */
  expire(): void {
    this.#scheduled = false;
    if (!this.#waiting) return;
    const now = this.#now();
    const dueAt = this.#dueAt();
    if (now < dueAt) {
      this.#arm(dueAt);
      return;
    }
    const provider = this.#provider;
    const message =
      dueAt === this.#contentDeadlineAt && dueAt < this.#waitingSince + this.#limitMs
        ? `${provider}: no content before the call's deadline`
        : `${provider}: no data for ${this.#limitMs} ms`;
    this.controller.abort(new KitError('timeout', message, { provider }));
  }
}
