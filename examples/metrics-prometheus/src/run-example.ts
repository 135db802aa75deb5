import { KeyManager } from '@kit/keymanager';
import { formatMetricsTable, MetricsCollector } from '@kit/metrics';
import { defaultPricing } from '@kit/metrics/pricing';
import { createOpenAI } from '@kit/openai';
import { driveTraffic } from './drive-traffic';
import { startMetricsServer } from './metrics-server';
import { poolKeys, startPoolUpstream } from './pool-upstream';

/** Options of `runExample`. */
export interface ExampleOptions {
  /** Keep serving (and keep some traffic going) until `signal` aborts. Default: serve for `lingerMs`, then stop. */
  serve?: boolean;
  /** How long to keep `/metrics` up without `serve`. Default 3 000 ms. */
  lingerMs?: number;
  /** Port of the metrics endpoint; default a free one. */
  port?: number;
  /** Calls made before the first scrape. Default 12. */
  calls?: number;
  write?: (text: string) => void;
  signal?: AbortSignal;
}

/** How many lines of the exposition the example prints, and which. */
const SAMPLE_LINES = 40;
const sampleLine =
  /^(# (HELP|TYPE) )?kit_(requests_total|request_errors_total|request_duration_seconds(_count)?|tokens_total|cost_usd_total|credential_healthy)\b/;

/**
 * The whole example: a local fake OpenAI upstream with a 3-key pool (one revoked, one rate-limited), one
 * `MetricsCollector` fed by both the provider (`metrics`) and the key pool (`onEvent`), traffic through it, and
 * `GET /metrics` on 127.0.0.1. Prints the URL, a sample of the exposition and the provider and credential tables.
 */
export async function runExample(options: ExampleOptions = {}): Promise<{ url: string; succeeded: number; calls: number }> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const upstream = await startPoolUpstream();
  const collector = new MetricsCollector({ pricing: defaultPricing });
  // The pool's own clock, advanced between calls, so keys in backoff are tried again without waiting for real.
  let poolTime = Date.now();
  const keys = new KeyManager('openai', [...poolKeys], { now: () => poolTime, onEvent: collector.record });
  // The provider's name must match the pool's so that credential health and traffic land in one series.
  const openai = createOpenAI({ name: 'openai', credentials: keys, baseURL: upstream.url, metrics: collector });
  const advance = () => {
    poolTime += 10_000;
  };
  const server = await startMetricsServer(collector, { port: options.port });
  try {
    const traffic = await driveTraffic(openai, { calls: options.calls ?? 12, between: advance });
    write(`Serving Prometheus metrics at ${server.url} (JSON at ${server.url}.json)\n`);
    write(`Drove ${traffic.calls} calls through a 3-key pool (revoked, rate-limited, good): ${traffic.succeeded} succeeded.\n\n`);

    const scraped = await (await fetch(server.url)).text();
    const lines = scraped.split('\n').filter((line) => sampleLine.test(line) && !/_(bucket|sum)\{/.test(line));
    write(`A sample of GET ${server.url} (histogram buckets left out):\n${lines.slice(0, SAMPLE_LINES).join('\n')}\n…\n\n`);
    const snapshot = collector.snapshot();
    write(`By provider:\n${formatMetricsTable(snapshot, 'provider')}\nBy credential:\n${formatMetricsTable(snapshot, 'credential')}\n`);

    if (options.serve) {
      write(`Serving until interrupted (Ctrl-C); one call every 2 s keeps the numbers moving.\n`);
      await new Promise<void>((resolve) => {
        if (options.signal?.aborted) return resolve();
        const timer = setInterval(() => void driveTraffic(openai, { calls: 1, between: advance }), 2_000);
        options.signal?.addEventListener('abort', () => {
          clearInterval(timer);
          resolve();
        });
      });
    } else {
      const lingerMs = options.lingerMs ?? 3_000;
      if (lingerMs > 0) {
        write(`Serving for ${lingerMs / 1000} s more (try: curl ${server.url}), then exiting. Pass --serve to keep it up.\n`);
        await new Promise((resolve) => setTimeout(resolve, lingerMs));
      }
    }
    return { url: server.url, ...traffic };
  } finally {
    await server.close();
    await upstream.close();
  }
}
