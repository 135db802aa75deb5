import type { CredentialMetrics, MetricsSnapshot, SeriesMetrics } from './metrics-snapshot';

/** Which breakdown of a snapshot `formatMetricsTable` prints. */
export type MetricsTableBreakdown = 'provider' | 'model' | 'credential';

function milliseconds(value: number): string {
  return value >= 10_000 ? `${(value / 1000).toFixed(1)}s` : `${Math.round(value)}ms`;
}

function dollars(value: number): string {
  if (value === 0) return '$0';
  return value >= 0.01 ? `$${value.toFixed(2)}` : `$${value.toPrecision(2)}`;
}

function row(name: string, metrics: SeriesMetrics, credential?: CredentialMetrics): string[] {
  const cells = [
    name,
    String(metrics.requests),
    String(metrics.successes),
    String(metrics.errors),
    `${(metrics.successRate * 100).toFixed(1)}%`,
    metrics.latency.count ? milliseconds(metrics.latency.p50) : '-',
    metrics.latency.count ? milliseconds(metrics.latency.p95) : '-',
    metrics.timeToFirstToken.count ? milliseconds(metrics.timeToFirstToken.p50) : '-',
    metrics.tokensPerSecond ? metrics.tokensPerSecond.toFixed(0) : '-',
    `${metrics.tokens.input}/${metrics.tokens.output}`,
    metrics.pricingMissing && metrics.cost.total === 0 ? 'n/a' : `${dollars(metrics.cost.total)}${metrics.pricingMissing ? '*' : ''}`,
    Object.entries(metrics.errorsByCode)
      .map(([code, count]) => `${code}×${count}`)
      .join(' ') || '-',
  ];
  // Calls span credentials (a failed call names none), so only provider and model lines show them.
  if (credential) cells.splice(1, 0, credential.healthy ? 'healthy' : 'UNHEALTHY');
  else cells.splice(4, 0, String(metrics.failedCalls));
  return cells;
}

/**
 * A plain-text table of one breakdown of a snapshot (one line per provider, model or credential, plus a total
 * line), ready for a terminal: attempts (requests, successes, errors — the caller's aborts are not errors), failed
 * calls, success rate, latency p50/p95, TTFT p50, output tokens/s, tokens in/out, cost (`*`: some models had no
 * price) and failed attempts by code. Credential tables add health and leave out failed calls (a call spans
 * credentials).
 */
export function formatMetricsTable(snapshot: MetricsSnapshot, by: MetricsTableBreakdown = 'provider'): string {
  const header = ['', 'requests', 'ok', 'errors', 'success', 'p50', 'p95', 'ttft p50', 'tok/s', 'tokens in/out', 'cost', 'errors by code'];
  const rows: string[][] = [];
  if (by === 'credential') {
    header[0] = 'credential';
    header.splice(1, 0, 'health');
    for (const [key, metrics] of Object.entries(snapshot.byCredential)) rows.push(row(key, metrics, metrics));
  } else {
    header[0] = by;
    header.splice(4, 0, 'failed calls');
    const breakdown = by === 'model' ? snapshot.byModel : snapshot.byProvider;
    for (const [key, metrics] of Object.entries(breakdown)) rows.push(row(key, metrics));
    rows.push(row('total', snapshot.totals));
  }
  const table = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...table.map((cells) => (cells[column] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === 0 || column === cells.length - 1 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
