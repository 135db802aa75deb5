import { KitError } from '@kit/core';

/** The `aborted` error for a caller's signal (its reason when that is already an `aborted` KitError). */
export function abortedError(signal: { reason?: unknown } | undefined, provider: string): KitError {
  const reason = signal?.reason;
  return KitError.is(reason) && reason.code == 'aborted' ? reason : new KitError('aborted', 'aborted', { provider, cause: reason });
}

/** Throws `aborted` when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined, provider: string): void {
  if (signal?.aborted) throw abortedError(signal, provider);
}

/** Whether a thrown value is an abort (`AbortError`/`TimeoutError` DOMException or a KitError `aborted`). */
export const isAbortError = (error: unknown): boolean =>
  KitError.is(error) ? error.code == 'aborted' : error instanceof Error && error.name == 'AbortError';

/** Settles like `promise`, or rejects with `aborted` as soon as `signal` fires; leaves no listener behind. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined, provider: string): Promise<T> {
  return signal
    ? new Promise<T>((resolve, reject) => {
        const onAbort = () => reject(abortedError(signal, provider));
        signal.addEventListener('abort', onAbort, { once: true });
        promise.finally(() => signal.removeEventListener('abort', onAbort)).then(resolve, reject);
      })
    : promise;
}
