/**
 * Fires when a read has been pending longer than `timeoutMs`. Time spent while nobody reads (the caller
 * is slow to consume) does not count. One timer at most, re-armed lazily: cheap per chunk.
 */
export class IdleWatchdog {
  #waitingSince = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  readonly #timeoutMs: number;
  readonly #onIdle: () => void;

  constructor(timeoutMs: number, onIdle: () => void) {
    this.#timeoutMs = timeoutMs;
    this.#onIdle = onIdle;
  }

  /** A read starts waiting. */
  waiting(): void {
    if (this.#stopped) return;
    this.#waitingSince = Date.now();
    if (this.#timer === undefined) this.#arm(this.#timeoutMs);
  }

  /** The read got data (or ended). */
  received(): void {
    this.#waitingSince = 0;
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(() => this.#check(), ms);
  }

  #check(): void {
    this.#timer = undefined;
    if (this.#stopped || this.#waitingSince === 0) return;
    const waited = Date.now() - this.#waitingSince;
    if (waited >= this.#timeoutMs) {
      this.stop();
      this.#onIdle();
    } else {
      this.#arm(this.#timeoutMs - waited);
    }
  }
}
