// Creates the skeleton of a @kit package: package.json (exports for each entry), tsconfig, tsup config, LICENSE,
// README, src/index.ts (+ src/<entry>/index.ts for each extra entry).
// Usage: node scripts/new-package.mjs <dir> "<description>" [--entry name ...] [dep[@range] ...]
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
const [dir, description] = args;
const entries = [];
const deps = [];
for (let index = 2; index < args.length; index += 1) {
  if (args[index] === '--entry') entries.push(args[++index]);
  else deps.push(args[index]);
}
const root = new URL('..', import.meta.url).pathname;
const repositoryUrl = 'https://github.com/kit-llm/kit';
const base = `${root}packages/${dir}`;
mkdirSync(`${base}/src`, { recursive: true });
const dependencies = Object.fromEntries(
  deps.map((dep) => {
    const at = dep.lastIndexOf('@');
    return at > 0 ? [dep.slice(0, at), dep.slice(at + 1)] : [dep, 'workspace:^'];
  }),
);
const exportOf = (path) => ({
  import: { types: `./dist/${path}.d.ts`, default: `./dist/${path}.js` },
  require: { types: `./dist/${path}.d.cts`, default: `./dist/${path}.cjs` },
});
const pkg = {
  name: `@kit/${dir}`,
  version: '0.1.0',
  description,
  license: 'MIT',
  // Where npm's package page links to: the source folder, its README on GitHub and the issue tracker.
  repository: { type: 'git', url: `git+${repositoryUrl}.git`, directory: `packages/${dir}` },
  homepage: `${repositoryUrl}/tree/main/packages/${dir}#readme`,
  bugs: { url: `${repositoryUrl}/issues` },
  type: 'module',
  sideEffects: false,
  engines: { node: '>=20' },
  files: ['dist', 'README.md', 'LICENSE'],
  main: './dist/index.cjs',
  module: './dist/index.js',
  types: './dist/index.d.ts',
  // Subpath entries need typesVersions for TypeScript's node10 resolution (arethetypeswrong checks it).
  ...(entries.length > 0 ? { typesVersions: { '*': Object.fromEntries(entries.map((entry) => [entry, [`./dist/${entry}/index.d.ts`]])) } } : {}),
  exports: {
    '.': exportOf('index'),
    ...Object.fromEntries(entries.map((entry) => [`./${entry}`, exportOf(`${entry}/index`)])),
    './package.json': './package.json',
  },
  scripts: { build: 'tsup', typecheck: 'tsc --noEmit' },
  dependencies,
  publishConfig: { access: 'public' },
};
writeFileSync(`${base}/package.json`, `${JSON.stringify(pkg, null, 2)}\n`);
writeFileSync(
  `${base}/tsconfig.json`,
  `${JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { rootDir: '.', types: ['node'] }, include: ['src'] }, null, 2)}\n`,
);
const tsupEntries = [`index: 'src/index.ts'`, ...entries.map((entry) => `'${entry}/index': 'src/${entry}/index.ts'`)].join(', ');
writeFileSync(
  `${base}/tsup.config.ts`,
  `import { defineConfig } from 'tsup';\nimport { packageBuild } from '../../tsup.base';\n\nexport default defineConfig(packageBuild({ ${tsupEntries} }));\n`,
);
copyFileSync(`${root}LICENSE`, `${base}/LICENSE`);
// The README ships in the tarball, where relative links to docs/ are dead: link with absolute GitHub URLs.
if (!existsSync(`${base}/README.md`)) {
  const readme = `# @kit/${dir}\n\n${description}\n\nThe guides: [docs](${repositoryUrl}/blob/main/docs/README.md). License: MIT (see LICENSE).\n`;
  writeFileSync(`${base}/README.md`, readme);
}
if (!existsSync(`${base}/src/index.ts`)) writeFileSync(`${base}/src/index.ts`, 'export {};\n');
for (const entry of entries) {
  mkdirSync(`${base}/src/${entry}`, { recursive: true });
  if (!existsSync(`${base}/src/${entry}/index.ts`)) writeFileSync(`${base}/src/${entry}/index.ts`, 'export {};\n');
}
