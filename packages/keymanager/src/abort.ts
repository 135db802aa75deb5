import { abortedError } from '@kit/core/provider-utils';

/** Throws `aborted` when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined, provider: string): void {
  if (signal?.aborted) throw abortedError(provider);
}

/** Settles like `promise`, or rejects with `aborted` as soon as `signal` fires; leaves no listener behind. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined, provider: string): Promise<T> {
  return signal
    ? new Promise<T>((resolve, reject) => {
        const onAbort = () => reject(abortedError(provider));
        signal.addEventListener('abort', onAbort, { once: true });
        promise.finally(() => signal.removeEventListener('abort', onAbort)).then(resolve, reject);
      })
    : promise;
}
