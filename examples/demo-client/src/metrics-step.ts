import { formatMetricsTable, type MetricsCollector } from '@kit/metrics';

/**
 * The last step: what one collector saw across every provider and credential of the run. The Prometheus text (a few
 * hundred lines of histogram buckets) is summarised unless `prometheus` is set (`npm run demo -- --prometheus`).
 */
export function runMetricsStep(metrics: MetricsCollector, write: (text: string) => void, options: { prometheus?: boolean } = {}): void {
  const snapshot = metrics.snapshot();
  write('\n=== Metrics: one MetricsCollector fed by every provider and key pool ===\n');
  write('\nPer provider:\n');
  write(formatMetricsTable(snapshot, 'provider'));
  // Pool credentials only: a single-key provider's `default` and a router's bookkeeping of its entries are in the
  // provider table already; an unhealthy credential always shows, even without traffic (an account with no token).
  const pooled = Object.entries(snapshot.byCredential).filter(
    ([, credential]) => credential.credentialId !== 'default' && (credential.requests > 0 || !credential.healthy),
  );
  write('\nPer pool credential (provider:credential):\n');
  write(formatMetricsTable({ ...snapshot, byCredential: Object.fromEntries(pooled) }, 'credential'));
  const text = metrics.toPrometheus();
  if (options.prometheus) {
    write('\nPrometheus text (what GET /metrics would serve):\n');
    write(text);
    return;
  }
  write(`\n${summarisePrometheus(text)}\n`);
}

/** Families, samples and size of a Prometheus exposition, and the credentials its health gauge reports down. */
export function summarisePrometheus(text: string): string {
  const lines = text.split('\n').filter((line) => line !== '');
  const families = lines.filter((line) => line.startsWith('# TYPE ')).length;
  const samples = lines.filter((line) => !line.startsWith('#')).length;
  const down = lines
    .filter((line) => line.startsWith('kit_credential_healthy{') && line.endsWith(' 0'))
    .map((line) => {
      const labels = Object.fromEntries([...line.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, name, value]) => [name, value]));
      return `${labels.provider}:${labels.credential}`;
    });
  return (
    `Prometheus text (GET /metrics): ${families} families, ${samples} samples, ${(new TextEncoder().encode(text).length / 1024).toFixed(1)} KB ` +
    '(`npm run demo -- --prometheus` prints it).\n' +
    `kit_credential_healthy == 0: ${down.length > 0 ? down.join(', ') : 'none'}`
  );
}
