import { describe, expect, it } from 'vitest';
import { runLocalDemo } from './local-demo';

describe('qwen-oauth-flow (local run)', () => {
  it('every call succeeds although one account cannot refresh and the other expires mid-run', async () => {
    const result = await runLocalDemo({ write: () => {}, calls: 6 });
    expect(result.succeeded).toBe(6);
    // alice answers while her token lives; after it nears expiry her refresh fails and bob answers.
    expect(result.answeredBy.slice(0, 2)).toEqual(['alice', 'bob']);
    expect(result.answeredBy.slice(2)).toEqual(['bob', 'bob', 'bob', 'bob']);
    // bob's token was refreshed exactly once, before it expired; alice's refreshes all failed.
    expect(result.refreshes.filter((refresh) => refresh.credentialId === 'bob')).toEqual([{ credentialId: 'bob', success: true }]);
    expect(result.refreshes.some((refresh) => refresh.credentialId === 'alice')).toBe(true);
    expect(result.refreshes.filter((refresh) => refresh.credentialId === 'alice' && refresh.success)).toEqual([]);
    expect(result.output).toContain('6 of 6 calls succeeded; 0 request(s) reached the upstream with a dead token');
    // alice cannot refresh (revoked refresh token): never reported healthy.
    expect(result.output).toMatch(/Health: alice unhealthy, bob healthy/);
    expect(result.output).not.toMatch(/test-(access|refresh)-token/);
  });
});
