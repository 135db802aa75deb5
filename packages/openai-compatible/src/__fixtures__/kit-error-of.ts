import { KitError } from '@kit/core';

/** Runs `run` and returns the `KitError` it throws; fails the test if it throws anything else or nothing. */
export function kitErrorOf(run: () => unknown): KitError {
  try {
    run();
  } catch (error) {
    if (KitError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a KitError');
}
