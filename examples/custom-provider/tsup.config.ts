import { defineConfig } from 'tsup';

// What a published provider package ships: ESM + CommonJS + types, `@kit/core` left to the app (a peer dependency).
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  target: 'es2022',
  clean: true,
  treeshake: true,
  external: ['@kit/core'],
});
