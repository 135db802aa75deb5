import { describe, expect, it } from 'vitest';
import { runLocalDemo } from './local-demo';

describe('azure-entra (local run)', () => {
  it('every call succeeds although one principal’s secret is wrong and every token expires mid-run', async () => {
    const result = await runLocalDemo({ write: () => {}, rounds: 3, callsPerRound: 6 });
    expect(result.succeeded).toBe(18);
    expect(new Set(result.answeredBy)).toEqual(new Set(['eastus', 'westeurope']));
    // One token per principal, then one more after the expiry between rounds 2 and 3, however many calls needed it.
    expect(result.tokenRequests['app-eastus']).toBe(2);
    expect(result.tokenRequests['app-westeurope']).toBe(2);
    expect(result.served.japaneast).toBe(0);
    expect(result.output).toContain('refused (authentication: AADSTS7000215)');
    expect(result.output).toContain('18 of 18 calls succeeded');
    expect(result.output).not.toMatch(/test-client-secret|test-entra-access-token/);
  });
});
