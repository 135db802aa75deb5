import { MetricsCollector } from '@kit/metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { startMetricsServer, type MetricsServer } from './metrics-server';

let server: MetricsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('startMetricsServer', () => {
  it('serves the exposition at /metrics and the snapshot at /metrics.json on 127.0.0.1', async () => {
    const collector = new MetricsCollector();
    collector.record({ type: 'request-start', at: 1, provider: 'openai', model: 'gpt-6-luna', credentialId: 'key-1', streaming: true, attempt: 1 });
    server = await startMetricsServer(collector);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);

    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await response.text()).toContain('kit_requests_total{provider="openai",model="gpt-6-luna",credential="key-1"} 1\n');

    const json = await fetch(`${server.url}.json`);
    expect(json.headers.get('content-type')).toContain('application/json');
    expect((await json.json()).totals.requests).toBe(1);

    expect((await fetch(server.url.replace('/metrics', '/other'))).status).toBe(404);
    expect((await fetch(server.url, { method: 'POST' })).status).toBe(405);
  });
});
