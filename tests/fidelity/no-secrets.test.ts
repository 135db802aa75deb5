import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fidelityTargets } from './fidelity-targets';

const snapshotsDir = fileURLToPath(new URL('./__snapshots__/', import.meta.url));

describe('the committed request snapshots', () => {
  it('exist for every provider under test, and only for them', () => {
    const files = readdirSync(snapshotsDir).filter((file) => file.endsWith('.json'));
    expect(files.sort()).toEqual(fidelityTargets.map((target) => `${target.name}.json`).sort());
  });

  it('hold no key: credential headers read <api-key>, and no test key appears anywhere', () => {
    const keys = fidelityTargets.flatMap((target) => (target.apiKey ? [target.apiKey] : []));
    for (const file of readdirSync(snapshotsDir)) {
      const text = readFileSync(`${snapshotsDir}${file}`, 'utf8');
      for (const key of keys) expect(text, `${file} contains ${key}`).not.toContain(key);
      expect(text, file).not.toMatch(/test-key-/);
    }
  });
});
