import { KitError } from '@kit/core';

/** The `aborted` error for a caller's signal. */
export function abortedError(signal: AbortSignal | undefined, provider: string): KitError {
  const reason: unknown = signal?.reason;
  if (KitError.is(reason) && reason.code === 'aborted') return reason;
  return new KitError('aborted', 'The operation was aborted', { provider, cause: reason });
}

/** Throws `aborted` when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined, provider: string): void {
  if (signal?.aborted) throw abortedError(signal, provider);
}

/** Whether a thrown value is an abort (`AbortError`/`TimeoutError` DOMException or a KitError `aborted`). */
export function isAbortError(error: unknown): boolean {
  if (KitError.is(error)) return error.code === 'aborted';
  return error instanceof Error && error.name === 'AbortError';
}

/** Settles like `promise`, or rejects with `aborted` as soon as `signal` fires; leaves no listener behind. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined, provider: string): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortedError(signal, provider));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
