import { describe, expect, it } from 'vitest';
import { localKeys } from './local-upstream';
import { runMain } from './run';

describe('ai-sdk-pool (default mode: local upstream)', () => {
  it('streamText runs the tool loop through a pool holding a revoked and a rate-limited key, and no key is printed', async () => {
    let output = '';
    const succeeded = await runMain({}, (text) => (output += text));
    expect(succeeded).toBe(true);
    expect(output).toContain('[tool] get_weather({"city":"Paris"})');
    expect(output).toContain('[tool] → {"city":"Paris","temperature":18,"sky":"sunny"}');
    expect(output).toContain('It is 18 °C and sunny in Paris.');
    expect(output).toContain('[step] finished: tool-calls, answered by key-good');
    expect(output).toContain('2 steps');
    expect(output).toMatch(/key-revoked +unhealthy .*last error=authentication/);
    expect(output).toMatch(/key-limited +healthy .*last error=rate_limit/);
    expect(output).not.toContain('FAILED');
    for (const secret of Object.values(localKeys)) expect(output).not.toContain(secret);
  });
});
