import { errorPolicies, type EventError, type KitErrorCode, type RateLimitInfo } from '@kit/core';
import { maskSecrets } from '@kit/core/provider-utils';
import { DurationStats } from './duration-stats';
import type { CredentialHealthEntry, CredentialMetrics, SeriesMetrics, SnapshotError } from './metrics-snapshot';

/** A dictionary without prototype, for counts keyed by code or status. */
export function counts(): Record<string, number> {
  return Object.create(null) as Record<string, number>;
}

/**
 * An event's error code as a `KitErrorCode`, or `'unknown'`: events may come from third-party sources, and a code
 * becomes a snapshot key and a Prometheus label, so it must be one of a bounded set (and never carry a secret).
 */
export function knownCode(code: unknown): KitErrorCode | 'unknown' {
  return typeof code === 'string' && Object.hasOwn(errorPolicies, code) ? (code as KitErrorCode) : 'unknown';
}

/** Running totals of one series of the snapshot (all traffic, a provider, a model or a credential). */
export class MetricSeries {
  requests = 0;
  successes = 0;
  errors = 0;
  aborted = 0;
  retries = 0;
  failedCalls = 0;
  abortedCalls = 0;
  failovers = 0;
  alerts = 0;
  inputTokens = 0;
  outputTokens = 0;
  cachedTokens = 0;
  cacheWriteTokens = 0;
  reasoningTokens = 0;
  totalTokens = 0;
  /** Output tokens of successes with a measurable generation time, and that time. */
  timedOutputTokens = 0;
  generationMs = 0;
  inputCost = 0;
  outputCost = 0;
  pricingMissing = false;
  refreshes = 0;
  refreshFailures = 0;
  readonly errorsByCode = counts();
  readonly errorsByStatus = counts();
  readonly callErrorsByCode = counts();
  lastRequestAt: number | undefined;
  lastSuccessAt: number | undefined;
  lastErrorAt: number | undefined;
  lastError: EventError | undefined;
  readonly latency: DurationStats;
  readonly timeToFirstToken: DurationStats;

  constructor(window: number) {
    this.latency = new DurationStats(window);
    this.timeToFirstToken = new DurationStats(window);
  }

  toMetrics(): SeriesMetrics {
    const ended = this.successes + this.errors;
    const metrics: SeriesMetrics = {
      requests: this.requests,
      successes: this.successes,
      errors: this.errors,
      aborted: this.aborted,
      retries: this.retries,
      failedCalls: this.failedCalls,
      abortedCalls: this.abortedCalls,
      successRate: ended === 0 ? 0 : this.successes / ended,
      failovers: this.failovers,
      latency: this.latency.summary(),
      timeToFirstToken: this.timeToFirstToken.summary(),
      tokensPerSecond: this.generationMs > 0 ? (this.timedOutputTokens * 1000) / this.generationMs : 0,
      tokens: {
        input: this.inputTokens,
        output: this.outputTokens,
        cached: this.cachedTokens,
        cacheWrite: this.cacheWriteTokens,
        reasoning: this.reasoningTokens,
        total: this.totalTokens,
      },
      cost: { input: this.inputCost, output: this.outputCost, total: this.inputCost + this.outputCost, currency: 'USD' },
      pricingMissing: this.pricingMissing,
      errorsByCode: { ...this.errorsByCode },
      errorsByStatus: { ...this.errorsByStatus },
      callErrorsByCode: { ...this.callErrorsByCode },
      tokenRefreshes: { total: this.refreshes, successes: this.refreshes - this.refreshFailures, failures: this.refreshFailures },
      alerts: this.alerts,
    };
    if (this.lastRequestAt !== undefined) metrics.lastRequestAt = this.lastRequestAt;
    if (this.lastSuccessAt !== undefined) metrics.lastSuccessAt = this.lastSuccessAt;
    if (this.lastErrorAt !== undefined) metrics.lastErrorAt = this.lastErrorAt;
    if (this.lastError) metrics.lastError = copyError(this.lastError);
    return metrics;
  }
}

/** A credential's series: the totals plus its health. */
export class CredentialSeries extends MetricSeries {
  healthy = true;
  consecutiveFailures = 0;
  lastFailureAt: number | undefined;
  backoffUntil: number | undefined;
  rateLimit: RateLimitInfo | undefined;

  constructor(
    readonly provider: string,
    readonly credentialId: string,
    window: number,
  ) {
    super(window);
  }

  health(): CredentialHealthEntry {
    const entry: CredentialHealthEntry = {
      provider: this.provider,
      credentialId: this.credentialId,
      healthy: this.healthy,
      consecutiveFailures: this.consecutiveFailures,
    };
    if (this.lastFailureAt !== undefined) entry.lastFailureAt = this.lastFailureAt;
    if (this.backoffUntil !== undefined) entry.backoffUntil = this.backoffUntil;
    return entry;
  }

  override toMetrics(): CredentialMetrics {
    const metrics: CredentialMetrics = { ...super.toMetrics(), ...this.health() };
    if (this.rateLimit) metrics.rateLimit = { ...this.rateLimit };
    return metrics;
  }
}

/**
 * Only the plain fields of an event's error (an emitter could hand over a richer object), with the message masked:
 * `record` also takes events from third-party sources, whose messages may quote a key or token.
 */
function copyError(error: EventError): SnapshotError {
  const copy: SnapshotError = { code: knownCode(error.code), message: maskSecrets(String(error.message)) };
  if (typeof error.status === 'number') copy.status = error.status;
  return copy;
}
