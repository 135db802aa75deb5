import { abortedError, linkAbort } from './abort';
import { KitError } from './kit-error';

/**
 * The resources of one HTTP attempt: its `AbortController` (the caller's signal, timeouts and `abort()` all end
 * up there) and its one timer. The timer fires when the attempt has been *waiting* for longer than `timeoutMs`:
 * for the headers (and, without a stream, the body) from the start; for a stream, during each read only —
 * time the caller spends not reading does not count. One timer at most, re-armed lazily: cheap per chunk.
 */
export class Attempt {
  readonly controller = new AbortController();
  #timeoutMs: number;
  readonly #idleTimeoutMs: number;
  readonly #provider: string;
  readonly #unlink: () => void;
  #waitingSince = Date.now();
  #timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * `timeoutMs` bounds the wait for the answer (the caller cuts it to what is left of the call's deadline);
   * `idleTimeoutMs` (default the same) bounds each stream read after that: the deadline never cuts a stream's gaps.
   */
  constructor(signal: AbortSignal | undefined, timeoutMs: number, provider: string, idleTimeoutMs = timeoutMs) {
    this.#timeoutMs = timeoutMs;
    this.#idleTimeoutMs = idleTimeoutMs;
    this.#provider = provider;
    this.#unlink = linkAbort(this.controller, signal, () => (KitError.is(signal?.reason) ? signal?.reason : abortedError(provider)));
    this.#arm(timeoutMs);
  }

  /** A stream read starts waiting for bytes. */
  waiting(): void {
    this.#waitingSince = Date.now();
    this.#timeoutMs = this.#idleTimeoutMs;
    if (this.#timer === undefined && !this.controller.signal.aborted) this.#arm(this.#timeoutMs);
  }

  /** Bytes (or the end) arrived. */
  received(): void {
    this.#waitingSince = 0;
  }

  /** Stops the timer and unlinks the outer signal; the controller stays usable. */
  dispose(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#waitingSince = 0;
    this.#unlink();
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#waitingSince === 0) return;
      const waited = Date.now() - this.#waitingSince;
      if (waited < this.#timeoutMs) return this.#arm(this.#timeoutMs - waited);
      const provider = this.#provider;
      this.controller.abort(new KitError('timeout', `${provider}: no data for ${this.#timeoutMs} ms`, { provider }));
    }, ms);
  }
}
