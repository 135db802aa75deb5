/** A deadline held by a `DeadlineTimer`: `expire()` is called once, after the monotonic time `dueAt` has come. */
export interface Deadline {
  dueAt: number;
  expire(): void;
}

/** The part of a runtime timer handle used when present (Node's and Bun's `Timeout`). */
interface RefableTimer {
  unref?: () => unknown;
}

/**
 * One runtime timer for the deadlines of many attempts (one engine's). Adding or removing a deadline is a `Set`
 * operation; the runtime timer is re-armed only for a deadline sooner than the one it waits for, and when it fires
 * it expires what is due and waits for the soonest of the rest.
 *
 * Why: a `setTimeout` + `clearTimeout` per attempt made Node create and drop its timer list of that duration on
 * every sequential call (~7 µs of a ~300 µs loopback call). So where a timer handle can be unreferenced (Node, Bun)
 * it is, always, as Node's own `AbortSignal.timeout()` and undici's timers are: it keeps no process alive (a request
 * in flight does, through its socket) and costs no `ref()`/`unref()` per call; once the last answered attempt lets go
 * of it, it stays armed for the next call and fires once, finding nothing due. Where handles cannot be unreferenced (Deno, workers,
 * browsers) it is cleared once no deadline is held. After a failed or aborted attempt it is cleared everywhere once none
 * is held: an abort leaves no timer behind (SPEC).
 */
export class DeadlineTimer {
  readonly #deadlines = new Set<Deadline>();
  readonly #now: () => number;
  #timer: (ReturnType<typeof setTimeout> & RefableTimer) | undefined;
  /** When the armed timer fires (monotonic ms); `Infinity` when none is armed. */
  #armedFor = Infinity;

  constructor(now: () => number) {
    this.#now = now;
  }

  add(deadline: Deadline): void {
    this.#deadlines.add(deadline);
    if (deadline.dueAt < this.#armedFor) this.#arm(deadline.dueAt);
  }

  /**
   * Drops a deadline; once none is held, the runtime timer is cleared — unless the attempt was `answered` and the timer
   * is unreferenced: it then idles for the next call. (A failed or aborted attempt leaves no timer behind.)
   */
  delete(deadline: Deadline, answered = false): void {
    if (this.#deadlines.delete(deadline) && this.#deadlines.size === 0 && !(answered && this.#timer?.unref)) this.#disarm();
  }

  #arm(dueAt: number): void {
    this.#disarm();
    this.#armedFor = dueAt;
    const timer: ReturnType<typeof setTimeout> & RefableTimer = setTimeout(() => this.#fire(), Math.max(0, dueAt - this.#now()));
    timer.unref?.();
    this.#timer = timer;
  }

  #disarm(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#armedFor = Infinity;
  }

  #fire(): void {
    this.#timer = undefined;
    this.#armedFor = Infinity;
    const now = this.#now();
    // Over a copy: an expiring deadline may add itself again (a wait that is not over yet), or make another attempt
    // end and delete its deadline (that one is then not expired).
    for (const deadline of [...this.#deadlines]) if (deadline.dueAt <= now && this.#deadlines.delete(deadline)) deadline.expire();
    let soonest = Infinity;
    for (const deadline of this.#deadlines) soonest = Math.min(soonest, deadline.dueAt);
    if (soonest < this.#armedFor) this.#arm(soonest);
  }
}
