import { DurationStats } from './duration-stats';
import { counts } from './metric-series';
import type { ModelPrice } from './model-pricing';

/**
 * The counters and histograms of one `{provider, model, credential}` label set, for the Prometheus export.
 * No percentile window: histograms are fixed buckets.
 */
export class ExportSeries {
  requests = 0;
  successes = 0;
  inputTokens = 0;
  outputTokens = 0;
  cachedTokens = 0;
  cacheWriteTokens = 0;
  reasoningTokens = 0;
  costUsd = 0;
  /** Failed attempts by code, then by status (`''` without one); the caller's aborts are not among them. */
  readonly errors: Record<string, Record<string, number>> = Object.create(null) as Record<string, Record<string, number>>;
  /** Attempts the caller aborted. */
  aborted = 0;
  /** Calls that failed for good (`call-error`), by code; the caller's aborts are not among them. */
  readonly callErrors = counts();
  /** Calls the caller aborted (`call-error` with code `aborted`). */
  callAborts = 0;
  readonly failoversByReason = counts();
  refreshSuccesses = 0;
  refreshFailures = 0;
  readonly successDuration: DurationStats;
  readonly errorDuration: DurationStats;
  readonly timeToFirstToken: DurationStats;
  /** The table price of this model, looked up once (`null`: looked up, none). */
  price: ModelPrice | null | undefined;

  constructor(
    readonly provider: string,
    readonly model: string,
    readonly credential: string,
    bounds: Float64Array,
  ) {
    this.successDuration = new DurationStats(0, bounds);
    this.errorDuration = new DurationStats(0, bounds);
    this.timeToFirstToken = new DurationStats(0, bounds);
  }

  countError(code: string, status: number | undefined): void {
    this.errors[code] ??= counts();
    const byStatus = this.errors[code];
    const key = status === undefined ? '' : status;
    byStatus[key] = (byStatus[key] ?? 0) + 1;
  }

  /** Whether this label set saw any request traffic (refresh-only series have none). */
  hasTraffic(): boolean {
    return this.requests > 0 || this.successes > 0 || this.errorDuration.count > 0 || this.timeToFirstToken.count > 0;
  }
}
