import { describe, expect, it } from 'vitest';
import { localKeys } from './local-upstream';
import { runMain } from './run';

describe('openai-sdk-pool (default mode: local upstream)', () => {
  it('every call of the official client succeeds through a pool holding a revoked and a rate-limited key; no key printed', async () => {
    let output = '';
    const allSucceeded = await runMain({}, (text) => (output += text));
    expect(output).toContain('10/10 calls succeeded.');
    expect(allSucceeded).toBe(true);
    expect(output).toContain('Three keys walk into a data centre.');
    expect(output).toContain('call 3: "pong 3"');
    expect(output).toContain('concurrent 5: "pong 104"');
    expect(output).toMatch(/key-revoked .*last error=authentication/);
    expect(output).toMatch(/key-limited .*last error=rate_limit/);
    expect(output).toMatch(/key-good +healthy +requests=10 successes=10 failures=0/);
    // The per-credential metrics table: requests, ok, errors, and the errors by code.
    expect(output).toMatch(/openai:key-revoked +UNHEALTHY +1 +0 +1 .*authentication×1/);
    expect(output).toMatch(/key-revoked +unhealthy +requests=1 successes=0 failures=1 last error=authentication/);
    expect(output).toMatch(/openai:key-limited +healthy +1 +0 +1 .*rate_limit×1/);
    expect(output).toMatch(/openai:key-good +healthy +10 +10 +0 /);
    expect(output).toMatch(/stream: \d+ chunks, handed to the SDK once a key answered/);
    expect(output).not.toContain('FAILED');
    for (const secret of Object.values(localKeys)) expect(output).not.toContain(secret);
  });
});
