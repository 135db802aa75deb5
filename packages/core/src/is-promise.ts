/** Whether a value is a promise (anything with a `then` method): a Standard Schema may validate synchronously or not. */
export const isPromise = <T>(value: unknown): value is Promise<T> => typeof (value as { then?: unknown } | undefined)?.then === 'function';

/**
 * `onValue(value)` at once when `value` is no promise; otherwise a native promise of it once `value` settled (`onError`
 * takes a rejection). A Standard Schema's `validate` may answer with any thenable, even one whose `then` returns
 * nothing: it is adopted, so callers can tell the asynchronous case apart with `instanceof Promise`.
 */
export function whenSettled<T, R>(value: T | PromiseLike<T>, onValue: (settled: T) => R, onError?: (error: unknown) => R): R | Promise<R> {
  return isPromise<T>(value) ? Promise.resolve(value).then(onValue, onError) : onValue(value as T);
}
