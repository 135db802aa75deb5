/** Whether a value is a promise (anything with a `then` method): a Standard Schema may validate synchronously or not. */
export const isPromise = <T>(value: unknown): value is Promise<T> => typeof (value as { then?: unknown } | undefined)?.then === 'function';
