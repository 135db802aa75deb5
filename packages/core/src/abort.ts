import { KitError } from './kit-error';

/** Aborts `controller` when `signal` aborts; returns a function that removes the link. */
export function linkAbort(controller: AbortController, signal: AbortSignal | undefined, reason: () => unknown): () => void {
  if (!signal) return () => {};
  if (signal.aborted) {
    controller.abort(reason());
    return () => {};
  }
  const onAbort = () => controller.abort(reason());
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

/** The `KitError` a caller's abort becomes. */
export function abortedError(provider?: string): KitError {
  return new KitError('aborted', 'the request was aborted by the caller', provider === undefined ? {} : { provider });
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts; leaves no timer behind. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
