// `npm run docs`: the API reference of every public entry point, generated from TSDoc into docs/api/ (not committed).
// Warnings are errors, so an export without a TSDoc comment, a broken {@link} or an unknown tag fails `npm test`.
// In TSDoc comments write `\@kit` (escaped): a bare `@kit` reads as an unknown block tag and fails the run.
// The entry points are read from each package's `exports` map, so a new package or subpath is documented without
// touching this file.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const packagesDirectory = new URL('./packages', import.meta.url).pathname;

/** `./dist/node/index.d.ts` → `packages/<name>/src/node/index.ts`, for every `types` condition of `exports`. */
function entryPointsOf(packageDirectory) {
  const manifest = JSON.parse(readFileSync(join(packageDirectory, 'package.json'), 'utf8'));
  const sources = new Set();
  for (const [subpath, conditions] of Object.entries(manifest.exports ?? {})) {
    const types = conditions?.import?.types;
    if (subpath === './package.json' || typeof types !== 'string') continue;
    const source = join(packageDirectory, types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts'));
    if (!existsSync(source)) throw new Error(`${manifest.name}: no source ${source} for the export ${subpath}`);
    sources.add(source);
  }
  return [...sources];
}

const entryPoints = readdirSync(packagesDirectory, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(packagesDirectory, entry.name, 'package.json')))
  .flatMap((entry) => entryPointsOf(join(packagesDirectory, entry.name)))
  .sort();

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  name: '@kit API reference',
  tsconfig: 'tsconfig.docs.json',
  entryPointStrategy: 'resolve',
  entryPoints,
  out: 'docs/api',
  readme: 'none',
  treatWarningsAsErrors: true,
  validation: { notExported: true, invalidLink: true, notDocumented: true },
  // The members of `z.enum([...])` inside exported zod schemas get a generated comment (see the plugin).
  plugin: ['./scripts/typedoc-enum-literals.mjs'],
  excludePrivate: true,
  excludeInternal: true,
  // Source links need a git remote; a fresh clone or a tarball may have none.
  disableSources: true,
  // `turbo run typecheck` and `tsc -p tsconfig.sources.json` already type-check these files.
  skipErrorChecking: true,
};
