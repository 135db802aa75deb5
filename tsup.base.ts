import type { Options } from 'tsup';

/** Shared build settings: ESM + CJS + d.ts, tree-shakeable, targeting Node 20 and modern runtimes. */
export function packageBuild(entry: Record<string, string>, overrides: Partial<Options> = {}): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: false,
    clean: true,
    treeshake: true,
    target: 'es2022',
    splitting: false,
    ...overrides,
  };
}
