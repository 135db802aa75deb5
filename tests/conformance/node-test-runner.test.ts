// `runProviderConformance` imports no test framework: here it runs under `node --test` (the built packages; this file
// runs after the build in `npm test`, and a missing dist is a failure), and node:test reports every check.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/node-test-conformance.mjs', import.meta.url));

/** Runs `node --test` on the fixture and resolves with its exit code and TAP output. */
function runNodeTest(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--test', '--test-reporter=tap', fixture], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('runProviderConformance under node:test', () => {
  it('registers every check as a node:test test, grouped, and they pass', async () => {
    const { code, output } = await runNodeTest();
    expect(output).toContain('# Subtest: openai-compatible provider conformance');
    expect(output).toContain('# Subtest: fails over across a credential pool');
    expect(output).toMatch(/^# tests 14$/m);
    expect(output).toMatch(/^# pass 14$/m);
    expect(output).toMatch(/^# fail 0$/m);
    expect(code).toBe(0);
  }, 120_000);
});
