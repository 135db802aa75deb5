import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// Two entries: `@kit/core` (the user API) and `@kit/core/provider-utils` (what provider authors build with). With code
// splitting on (ESM, and CommonJS through tsup's rollup pass), the modules both entries use — `KitError`, the error
// policies, secret masking — are emitted once, in a shared chunk both `import`/`require`: one `KitError` class and
// one copy of every module-level state per format, however an app mixes the two entries.
export default defineConfig(packageBuild({ index: 'src/index.ts', 'provider-utils/index': 'src/provider-utils/index.ts' }, { splitting: true }));
