// node dist/main.js [--serve] [--port 9464] [--linger-ms 3000]
// Drives traffic through a local fake OpenAI upstream with a 3-key pool and serves GET /metrics on 127.0.0.1.
import { runExample } from './run-example';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
process.once('SIGTERM', () => controller.abort());

const port = argument('port');
const lingerMs = argument('linger-ms');
runExample({
  serve: process.argv.includes('--serve'),
  port: port === undefined ? undefined : Number(port),
  lingerMs: lingerMs === undefined ? undefined : Number(lingerMs),
  signal: controller.signal,
}).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
