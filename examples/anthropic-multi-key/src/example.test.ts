import { describe, expect, it } from 'vitest';
import { localKeys } from './local-upstream';
import { runMain } from './run';

describe('anthropic-multi-key (default mode: local upstream)', () => {
  it('every call succeeds through a pool holding a revoked and a rate-limited key, and no key is printed', async () => {
    let output = '';
    const allSucceeded = await runMain({}, (text) => (output += text));
    expect(output).toContain('6/6 calls succeeded.');
    expect(allSucceeded).toBe(true);
    expect(output).toContain('Three keys walk into a data centre.');
    expect(output).toContain('tools: model calls get_weather({"city":"Paris"})');
    expect(output).toContain('model answers: It is 18 °C and sunny in Paris.');
    expect(output).toMatch(/key-revoked +unhealthy .*last error=authentication/);
    expect(output).toMatch(/key-limited .*last error=rate_limit/);
    expect(output).toContain(`call 4: "pong 4" from key-good`);
    expect(output).not.toContain('FAILED');
    for (const secret of Object.values(localKeys)) expect(output).not.toContain(secret);
  });
});
