import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// Three entries: `@kit/core` (the user API), `@kit/core/provider-utils` (what provider authors build with) and
// `@kit/core/node` (Node-only helpers of provider packages: the loopback sign-in). With code splitting on (ESM, and
// CommonJS through tsup's rollup pass), the modules the first two share — `KitError`, the error policies, secret
// masking — are emitted once, in a shared chunk both `import`/`require`: one `KitError` class and one copy of every
// module-level state per format, however an app mixes the entries. The Node entry imports `@kit/core` by name (kept
// external here), so it reaches the same chunk through the main entry and leaves the chunks as they are.
export default defineConfig(
  packageBuild(
    { index: 'src/index.ts', 'provider-utils/index': 'src/provider-utils/index.ts', 'node/index': 'src/node/index.ts' },
    { splitting: true, external: ['@kit/core'] },
  ),
);
