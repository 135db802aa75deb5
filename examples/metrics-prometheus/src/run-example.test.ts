import { describe, expect, it } from 'vitest';
import { poolKeys } from './pool-upstream';
import { runExample } from './run-example';

describe('the metrics-prometheus example', () => {
  it('runs, prints the URL, a sample of the exposition and the tables, then stops', async () => {
    let output = '';
    const result = await runExample({
      lingerMs: 0,
      calls: 6,
      write: (text) => {
        output += text;
      },
    });
    expect(result).toMatchObject({ calls: 6, succeeded: 6 });
    expect(output).toContain(`Serving Prometheus metrics at ${result.url}`);
    expect(output).toMatch(/# TYPE kit_requests_total counter/);
    expect(output).toMatch(/kit_requests_total\{provider="openai",model="gpt-6-luna",credential="key-good"\} 6/);
    expect(output).toMatch(/kit_credential_healthy\{provider="openai",credential="key-revoked"\} [01]/);
    expect(output).toMatch(/By provider:\nprovider\s+requests/);
    expect(output).toMatch(/openai:key-good\s+healthy\s+6\s+6\s+0\s+100\.0%/);
    for (const { key } of poolKeys) expect(output).not.toContain(key);
    // Everything is closed: the endpoint no longer answers.
    await expect(fetch(result.url)).rejects.toThrow();
  });

  it('with serve, keeps serving until the signal aborts', async () => {
    const controller = new AbortController();
    let output = '';
    const running = runExample({
      serve: true,
      calls: 1,
      write: (text) => {
        output += text;
      },
      signal: controller.signal,
    });
    for (let waited = 0; !output.includes('Serving until interrupted') && waited < 200; waited++) await new Promise((resolve) => setTimeout(resolve, 10));
    const url = /at (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(output)?.[1] as string;
    expect((await fetch(url)).status).toBe(200);
    controller.abort();
    await running;
    await expect(fetch(url)).rejects.toThrow();
  });
});
