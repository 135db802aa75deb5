// Checks every publishable package after the build: publint (package.json, exports map, files) and
// arethetypeswrong (types resolve for node10, node16 CJS and ESM, and bundlers). Fails on any problem.
import { execFileSync } from 'node:child_process';
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
    console.error(`${pkg.name}: publint [${message.type}] ${formatMessage(message, pkg) ?? message.code}`);
  }
  try {
    execFileSync('attw', ['--pack', pkgDir, '--format', 'ascii'], { stdio: 'pipe', encoding: 'utf8' });
  } catch (error) {
    problems += 1;
    console.error(`${pkg.name}: arethetypeswrong\n${error.stdout ?? error.message}`);
  }
}
console.log(problems === 0 ? 'packages: publint and arethetypeswrong find no problem' : `packages: ${problems} problem(s)`);
process.exit(problems === 0 ? 0 : 1);
