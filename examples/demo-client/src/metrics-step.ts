import { formatMetricsTable, type MetricsCollector } from '@kit/metrics';

/** The last step: what one collector saw across every provider and credential of the run. */
export function runMetricsStep(metrics: MetricsCollector, write: (text: string) => void): void {
  const snapshot = metrics.snapshot();
  write('\n=== Metrics: one MetricsCollector fed by every provider and key pool ===\n');
  write('\nPer provider:\n');
  write(formatMetricsTable(snapshot, 'provider'));
  write('\nPer credential (provider:credential):\n');
  write(formatMetricsTable(snapshot, 'credential'));
  write('\nPrometheus text (what GET /metrics would serve):\n');
  write(metrics.toPrometheus());
}
