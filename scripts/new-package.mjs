// Creates the skeleton of a @kit package: package.json, tsconfig, tsup config, LICENSE, README, src/index.ts.
// Usage: node scripts/new-package.mjs <dir> "<description>" [dep@range ...]
import { mkdirSync, writeFileSync, copyFileSync, existsSync } from 'node:fs';
const [dir, description, ...deps] = process.argv.slice(2);
const root = new URL('..', import.meta.url).pathname;
const base = `${root}packages/${dir}`;
mkdirSync(`${base}/src`, { recursive: true });
const dependencies = Object.fromEntries(deps.map((d) => { const at = d.lastIndexOf('@'); return at > 0 ? [d.slice(0, at), d.slice(at + 1)] : [d, 'workspace:*']; }));
const pkg = {
  name: `@kit/${dir}`,
  version: '0.1.0',
  description,
  license: 'MIT',
  type: 'module',
  sideEffects: false,
  engines: { node: '>=20' },
  files: ['dist', 'README.md', 'LICENSE'],
  main: './dist/index.cjs',
  module: './dist/index.js',
  types: './dist/index.d.ts',
  exports: {
    '.': {
      import: { types: './dist/index.d.ts', default: './dist/index.js' },
      require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
    },
    './package.json': './package.json',
  },
  scripts: { build: 'tsup', typecheck: 'tsc --noEmit' },
  dependencies,
  publishConfig: { access: 'public' },
};
writeFileSync(`${base}/package.json`, JSON.stringify(pkg, null, 2) + '\n');
writeFileSync(`${base}/tsconfig.json`, JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { rootDir: '.', types: [] }, include: ['src'] }, null, 2) + '\n');
writeFileSync(`${base}/tsup.config.ts`, `import { defineConfig } from 'tsup';\nimport { packageBuild } from '../../tsup.base';\n\nexport default defineConfig(packageBuild({ index: 'src/index.ts' }));\n`);
copyFileSync(`${root}LICENSE`, `${base}/LICENSE`);
if (!existsSync(`${base}/README.md`)) writeFileSync(`${base}/README.md`, `# @kit/${dir}\n\n${description}\n\nLicense: MIT (see LICENSE).\n`);
if (!existsSync(`${base}/src/index.ts`)) writeFileSync(`${base}/src/index.ts`, `export {};\n`);
