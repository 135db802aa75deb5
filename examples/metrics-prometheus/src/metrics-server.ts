import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PROMETHEUS_CONTENT_TYPE, type MetricsCollector } from '@kit/metrics';

/** A running metrics endpoint. */
export interface MetricsServer {
  /** `http://127.0.0.1:<port>/metrics` */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves a collector over HTTP with `node:http`: `GET /metrics` (Prometheus text 0.0.4) and `GET /metrics.json`
 * (the snapshot). Anything else gets 404 (405 for another method). Listens on 127.0.0.1 by default.
 */
export function startMetricsServer(collector: MetricsCollector, options: { host?: string; port?: number } = {}): Promise<MetricsServer> {
  const host = options.host ?? '127.0.0.1';
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/metrics' && path !== '/metrics.json') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: try /metrics\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    const json = path === '/metrics.json';
    const body = json ? `${JSON.stringify(collector.toJSON(), null, 2)}\n` : collector.toPrometheus();
    response.writeHead(200, { 'content-type': json ? 'application/json; charset=utf-8' : PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' });
    response.end(request.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://${host}:${port}/metrics`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
