import type { Options } from 'tsup';

/**
 * Dependencies published as ESM only (`ky`, `eventsource-parser`). A CommonJS build that `require()`s them breaks on
 * Node 20 before 20.19 (`import_ky.default.post is not a function`), so the CommonJS build bundles them. The ESM
 * build keeps them as imports: bundlers then tree-shake them like any dependency (both are `sideEffects: false`), and
 * an app that never makes an auxiliary request carries no ky.
 */
const esmOnlyDependencies = ['ky', 'eventsource-parser'];

/**
 * Shared build settings: ESM + CJS + d.ts, tree-shakeable, targeting Node 20 and modern runtimes. Two code configs,
 * because tsup has no per-format `noExternal`: ESM with the ESM-only dependencies external, CJS with them bundled;
 * and one declarations-only config for both formats (one type-checking pass per package instead of two).
 * Built-in imports keep their `node:` prefix (tsup strips it by default): Deno resolves `node:crypto` but not a bare
 * `crypto` (without an unstable flag), and a bundler or reader sees at once that the module is Node's, not a package.
 */
export function packageBuild(entry: Record<string, string>, overrides: Partial<Options> = {}): Options[] {
  const shared: Options = {
    entry,
    dts: false,
    sourcemap: false,
    treeshake: true,
    target: 'es2022',
    splitting: false,
    removeNodeProtocol: false,
    ...overrides,
  };
  return [
    { ...shared, format: ['esm'], clean: true },
    { ...shared, format: ['cjs'], clean: false, noExternal: esmOnlyDependencies },
    // The declarations of both formats (.d.ts and .d.cts) from one type-checking pass, not one per format config.
    { ...shared, format: ['esm', 'cjs'], clean: false, dts: { only: true } },
  ];
}
