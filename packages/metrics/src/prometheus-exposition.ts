import type { DurationStats } from './duration-stats';
import type { ExportSeries } from './export-series';
import { counts, type CredentialSeries } from './metric-series';

/** The `Content-Type` of the text exposition format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** A label value escaped for the text format: backslash, double quote and line feed. */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (character) => (character === '\\' ? '\\\\' : character === '"' ? '\\"' : '\\n'));
}

/** A sample value: integers and decimals as JavaScript prints them, infinities as `+Inf`/`-Inf`. */
export function formatSampleValue(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  if (Number.isNaN(value)) return 'NaN';
  return String(value);
}

type Labels = readonly (readonly [string, string])[];

function labelText(labels: Labels): string {
  return labels.length === 0 ? '' : `{${labels.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',')}}`;
}

/** Builds one exposition: families in order, each with HELP and TYPE. */
class Exposition {
  readonly #lines: string[] = [];

  family(name: string, type: 'counter' | 'gauge' | 'histogram', help: string): void {
    this.#lines.push(`# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${name} ${type}`);
  }

  sample(name: string, labels: Labels, value: number): void {
    this.#lines.push(`${name}${labelText(labels)} ${formatSampleValue(value)}`);
  }

  histogram(name: string, labels: Labels, stats: DurationStats, boundsSeconds: readonly string[]): void {
    const cumulative = stats.cumulativeBuckets();
    boundsSeconds.forEach((le, index) => {
      this.sample(`${name}_bucket`, [...labels, ['le', le]], cumulative[index] ?? 0);
    });
    this.sample(`${name}_bucket`, [...labels, ['le', '+Inf']], stats.count);
    this.sample(`${name}_sum`, labels, stats.sum / 1000);
    this.sample(`${name}_count`, labels, stats.count);
  }

  text(): string {
    return this.#lines.length === 0 ? '' : `${this.#lines.join('\n')}\n`;
  }
}

/**
 * Renders the collector's export series as Prometheus text exposition 0.0.4. Every family is announced (HELP/TYPE)
 * even before it has samples, so scrapers and dashboards see the same metric set from the start.
 */
export function renderPrometheus(series: readonly ExportSeries[], credentials: readonly CredentialSeries[], boundsMs: Float64Array): string {
  const out = new Exposition();
  const boundsSeconds = Array.from(boundsMs, (ms) => formatSampleValue(ms / 1000));
  const withTraffic = series.filter((entry) => entry.hasTraffic());
  const base = (entry: ExportSeries): Labels => [
    ['provider', entry.provider],
    ['model', entry.model],
    ['credential', entry.credential],
  ];

  out.family('kit_requests_total', 'counter', 'Request attempts started (a call that fails over or retries counts one per attempt).');
  for (const entry of withTraffic) out.sample('kit_requests_total', base(entry), entry.requests);

  out.family('kit_request_successes_total', 'counter', 'Request attempts that ended with a complete answer.');
  for (const entry of withTraffic) out.sample('kit_request_successes_total', base(entry), entry.successes);

  out.family('kit_request_errors_total', 'counter', "Request attempts that failed, by error code and HTTP status (the caller's aborts are not errors).");
  for (const entry of withTraffic) {
    for (const code in entry.errors) {
      const byStatus = entry.errors[code] as Record<string, number>;
      for (const status in byStatus) {
        out.sample('kit_request_errors_total', [...base(entry), ['code', code], ['status', status]], byStatus[status] as number);
      }
    }
  }

  out.family('kit_request_aborts_total', 'counter', 'Request attempts the caller aborted (not counted as errors).');
  for (const entry of withTraffic) out.sample('kit_request_aborts_total', base(entry), entry.aborted);

  // Calls span credentials: one sample per provider and model.
  const calls = new Map<string, { provider: string; model: string; errors: Record<string, number>; aborts: number }>();
  for (const entry of series) {
    if (entry.callAborts === 0 && Object.keys(entry.callErrors).length === 0) continue;
    const key = `${entry.provider}\u0000${entry.model}`;
    let total = calls.get(key);
    if (!total) {
      total = { provider: entry.provider, model: entry.model, errors: counts(), aborts: 0 };
      calls.set(key, total);
    }
    for (const code in entry.callErrors) total.errors[code] = (total.errors[code] ?? 0) + (entry.callErrors[code] as number);
    total.aborts += entry.callAborts;
  }
  out.family(
    'kit_call_errors_total',
    'counter',
    "Calls that failed for good (after their attempts, or before any when every credential was down), by error code; the caller's aborts excluded.",
  );
  for (const { provider, model, errors } of calls.values()) {
    for (const code in errors)
      out.sample(
        'kit_call_errors_total',
        [
          ['provider', provider],
          ['model', model],
          ['code', code],
        ],
        errors[code] as number,
      );
  }
  out.family('kit_call_aborts_total', 'counter', 'Calls the caller aborted, during an attempt or a wait.');
  for (const { provider, model, aborts } of calls.values())
    if (aborts > 0)
      out.sample(
        'kit_call_aborts_total',
        [
          ['provider', provider],
          ['model', model],
        ],
        aborts,
      );

  out.family(
    'kit_request_duration_seconds',
    'histogram',
    "Duration of request attempts in seconds, by outcome (success or error; the caller's aborts are left out).",
  );
  for (const entry of withTraffic) {
    if (entry.successDuration.count > 0)
      out.histogram('kit_request_duration_seconds', [...base(entry), ['outcome', 'success']], entry.successDuration, boundsSeconds);
    if (entry.errorDuration.count > 0)
      out.histogram('kit_request_duration_seconds', [...base(entry), ['outcome', 'error']], entry.errorDuration, boundsSeconds);
  }

  out.family('kit_time_to_first_token_seconds', 'histogram', 'Time from the start of a streamed attempt to its first content event, in seconds.');
  for (const entry of withTraffic) {
    if (entry.timeToFirstToken.count > 0) out.histogram('kit_time_to_first_token_seconds', base(entry), entry.timeToFirstToken, boundsSeconds);
  }

  out.family(
    'kit_tokens_total',
    'counter',
    'Tokens of successful attempts by direction; cached_input and cache_write_input are part of input, reasoning part of output.',
  );
  for (const entry of withTraffic) {
    if (entry.successes === 0) continue;
    out.sample('kit_tokens_total', [...base(entry), ['direction', 'input']], entry.inputTokens);
    out.sample('kit_tokens_total', [...base(entry), ['direction', 'output']], entry.outputTokens);
    out.sample('kit_tokens_total', [...base(entry), ['direction', 'cached_input']], entry.cachedTokens);
    out.sample('kit_tokens_total', [...base(entry), ['direction', 'cache_write_input']], entry.cacheWriteTokens);
    out.sample('kit_tokens_total', [...base(entry), ['direction', 'reasoning']], entry.reasoningTokens);
  }

  out.family('kit_cost_usd_total', 'counter', 'Estimated cost of successful attempts in US dollars (0 for models without a known price).');
  for (const entry of withTraffic) if (entry.successes > 0) out.sample('kit_cost_usd_total', base(entry), entry.costUsd);

  out.family('kit_failovers_total', 'counter', 'Times a call moved away from a credential, by the error that caused it.');
  for (const entry of series) {
    for (const reason in entry.failoversByReason)
      out.sample('kit_failovers_total', [...base(entry), ['reason', reason]], entry.failoversByReason[reason] as number);
  }

  out.family(
    'kit_credential_healthy',
    'gauge',
    'Whether a credential is healthy (1) or not (0): unhealthy as its credential manager reported, or refused by the provider (authentication, permission) since its last success.',
  );
  for (const credential of credentials) {
    out.sample(
      'kit_credential_healthy',
      [
        ['provider', credential.provider],
        ['credential', credential.credentialId],
      ],
      credential.healthy ? 1 : 0,
    );
  }

  out.family('kit_token_refreshes_total', 'counter', 'OAuth token refreshes by outcome.');
  const refreshes = new Map<string, { provider: string; credential: string; success: number; failure: number }>();
  for (const entry of series) {
    if (entry.refreshSuccesses + entry.refreshFailures === 0) continue;
    const key = `${entry.provider}\u0000${entry.credential}`;
    const total = refreshes.get(key) ?? { provider: entry.provider, credential: entry.credential, success: 0, failure: 0 };
    total.success += entry.refreshSuccesses;
    total.failure += entry.refreshFailures;
    refreshes.set(key, total);
  }
  for (const { provider, credential, success, failure } of refreshes.values()) {
    out.sample(
      'kit_token_refreshes_total',
      [
        ['provider', provider],
        ['credential', credential],
        ['outcome', 'success'],
      ],
      success,
    );
    out.sample(
      'kit_token_refreshes_total',
      [
        ['provider', provider],
        ['credential', credential],
        ['outcome', 'failure'],
      ],
      failure,
    );
  }
  return out.text();
}
