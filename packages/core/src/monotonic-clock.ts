/**
 * Milliseconds on a clock that never steps back (`performance.now()`): every duration, backoff and timeout of the
 * kit is measured on it, so a wall-clock step (NTP, a laptop waking up) cannot stretch or cut them. Wall-clock time
 * (`Date.now()`) is only used for the timestamps the kit reports.
 */
export const monotonicNow = (): number => performance.now();
