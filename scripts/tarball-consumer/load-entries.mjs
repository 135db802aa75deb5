// Runs inside the scratch npm project of check-packages.mjs on the machine's own Node: every entry point of every
// installed @kit package (each `exports` subpath) loads through `import` and through `require`, and both expose the
// same names. Catches a subpath missing from the tarball, a CommonJS build that cannot load an ESM-only dependency,
// and a dependency left out of package.json (the scratch project has nothing else installed).
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(join(process.cwd(), 'package.json'));
const scope = join(process.cwd(), 'node_modules', '@kit');
const problems = [];
let loaded = 0;
for (const name of readdirSync(scope)) {
  const pkg = JSON.parse(readFileSync(join(scope, name, 'package.json'), 'utf8'));
  for (const subpath of Object.keys(pkg.exports ?? { '.': null })) {
    if (subpath === './package.json') continue;
    const specifier = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
    try {
      const esm = await import(specifier);
      const cjs = require(specifier);
      const missing = Object.keys(esm).filter((key) => key !== 'default' && !(key in cjs));
      if (missing.length > 0) problems.push(`${specifier}: CommonJS lacks ${missing.join(', ')}`);
      loaded += 1;
    } catch (error) {
      problems.push(`${specifier}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
  }
}
for (const problem of problems) console.error(`entry points (node ${process.version}): ${problem}`);
console.log(`entry points (node ${process.version}): ${loaded} loaded through import and require, ${problems.length} problem(s)`);
process.exitCode = problems.length === 0 ? 0 : 1;
