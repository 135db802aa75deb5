import { describe, expect, it } from 'vitest';
import { runLocal } from './local-run';

describe('vertex-service-accounts (local run)', () => {
  it('every call succeeds across three regions while one key is revoked and one token expires mid-run; nothing secret is printed', async () => {
    let output = '';
    const result = await runLocal((text) => (output += text), 6);
    expect(result).toEqual({ succeeded: 6, failed: 0, rejected: 0 });
    expect(output).toMatch(/token for example-asia@example-project-asia\.iam\.gserviceaccount\.com: refused \(authentication: .*Invalid JWT Signature\./);
    expect(output).toContain('(us-central1)');
    expect(output).toContain('(europe-west4)');
    expect(output).not.toContain('(asia-northeast1)');
    // eu's 10-minute tokens: fetched at the start and again mid-run.
    expect(output.match(/token for example-eu@example-project-eu\.iam\.gserviceaccount\.com: ok/g)?.length).toBeGreaterThanOrEqual(2);
    expect(output).not.toMatch(/PRIVATE KEY|test-google-token|eyJ/);
  }, 60_000);
});
