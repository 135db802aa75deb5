// Builds what each runtime runs, over the BUILT packages. A scratch folder gets `node_modules/@kit/<name>` links to
// packages/<name> (so `@kit/openai` resolves through the package's `exports` to dist/, as after an install):
// - `process-entry.mjs`: the scenarios with `@kit/*` left as imports, for Node, Bun and Deno to resolve themselves;
// - `worker.mjs` (workerd) and `edge.js` (edge-runtime): everything bundled with the worker/browser conditions, as a
//   Workers or edge bundler would.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build } from 'esbuild';

/** The packages the scenarios import (their dist must exist: `npm test` builds first). */
const scenarioPackages = ['core', 'openai', 'anthropic', 'keymanager', 'oauthmanager', 'metrics'];

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const entries = fileURLToPath(new URL('../entries/', import.meta.url));
const scenarios = fileURLToPath(new URL('../scenarios/', import.meta.url));

/** Paths of the built scenario programs. */
export interface ScenarioBundles {
  /** The scratch folder (holds `package.json` and `node_modules/@kit`): the runtimes' working directory. */
  dir: string;
  /** ESM importing `@kit/*` (Node, Bun, Deno). */
  processEntry: string;
  /** Self-contained ESM Worker module (`export default { fetch }`). */
  worker: string;
  /** Self-contained script defining `globalThis.kitMatrix.runScenarios` (edge-runtime). */
  edge: string;
  remove(): Promise<void>;
}

/** Links the built packages into a scratch folder and bundles the scenarios three ways. */
export async function buildScenarioBundles(): Promise<ScenarioBundles> {
  const missing = scenarioPackages.filter((name) => !existsSync(join(repoRoot, 'packages', name, 'dist', 'index.js')));
  if (missing.length > 0) throw new Error(`packages without dist/index.js (build them first): ${missing.join(', ')}`);

  const dir = await mkdtemp(join(tmpdir(), 'kit-runtime-matrix-'));
  await mkdir(join(dir, 'node_modules', '@kit'), { recursive: true });
  await Promise.all(scenarioPackages.map((name) => symlink(join(repoRoot, 'packages', name), join(dir, 'node_modules', '@kit', name), 'dir')));
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'kit-runtime-matrix', private: true, type: 'module' }));

  // `tsconfigRaw` keeps esbuild from reading tests/tsconfig.json, whose `paths` map `@kit/*` to the sources.
  const shared: BuildOptions = { bundle: true, target: 'es2022', logLevel: 'silent', legalComments: 'none', tsconfigRaw: {}, metafile: true };
  const bundled: BuildOptions = { ...shared, platform: 'browser', nodePaths: [join(dir, 'node_modules')] };
  const paths = { processEntry: join(dir, 'process-entry.mjs'), worker: join(dir, 'worker.mjs'), edge: join(dir, 'edge.js') };
  const builds = await Promise.all([
    build({
      ...shared,
      entryPoints: [join(entries, 'process-entry.ts')],
      outfile: paths.processEntry,
      format: 'esm',
      platform: 'neutral',
      external: ['@kit/*'],
    }),
    build({ ...bundled, entryPoints: [join(entries, 'worker-entry.ts')], outfile: paths.worker, format: 'esm', conditions: ['workerd', 'worker', 'browser'] }),
    build({
      ...bundled,
      entryPoints: [join(scenarios, 'run-scenarios.ts')],
      outfile: paths.edge,
      format: 'iife',
      globalName: 'kitMatrix',
      conditions: ['edge-light', 'worker', 'browser'],
    }),
  ]);
  const fromSources = builds.flatMap((result) => Object.keys(result.metafile?.inputs ?? {})).filter((input) => /packages\/[a-z-]+\/src\//.test(input));
  if (fromSources.length > 0) throw new Error(`the scenario bundles took package sources instead of dist/: ${fromSources.slice(0, 3).join(', ')}`);
  return { dir, ...paths, remove: () => rm(dir, { recursive: true, force: true }) };
}
