// Runs publint on every publishable package (after the build) and fails on any error or warning.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = new URL('..', import.meta.url).pathname;
let problems = 0;
for (const name of readdirSync(join(root, 'packages'))) {
  const pkgDir = join(root, 'packages', name);
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  if (pkg.private) continue;
  const { messages } = await publint({ pkgDir, level: 'warning', strict: true });
  for (const message of messages) {
    problems += 1;
    console.error(`${pkg.name}: [${message.type}] ${formatMessage(message, pkg) ?? message.code}`);
  }
}
console.log(problems === 0 ? 'publint: every package is clean' : `publint: ${problems} problem(s)`);
process.exit(problems === 0 ? 0 : 1);
