import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const packagesDir = fileURLToPath(new URL('./packages', import.meta.url));

// Tests run against the sources: `@kit/<name>` and `@kit/<name>/<entry>` resolve to packages/<name>/src.
const sourceAliases = [
  { find: /^@kit\/([a-z-]+)\/([a-z-]+)$/, replacement: `${packagesDir}/$1/src/$2/index.ts` },
  { find: /^@kit\/([a-z-]+)$/, replacement: `${packagesDir}/$1/src/index.ts` },
];

export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    projects: [
      {
        resolve: { alias: sourceAliases },
        test: {
          name: 'node',
          include: ['packages/*/src/**/*.test.ts', 'examples/*/src/**/*.test.ts', 'tests/**/*.test.ts'],
          exclude: ['**/*.edge.test.ts', '**/node_modules/**'],
          environment: 'node',
          // Probes REDIS_URL once: the Redis tests run only when a server answers (else one line says why not).
          globalSetup: ['tests/shared-state/redis-global-setup.ts'],
        },
      },
      {
        resolve: { alias: sourceAliases },
        test: {
          // The runtime packages must run on edge workers: core's unit tests run there too (all but the few that
          // use Node-only tooling: node:util's inspect, msw's Node interceptor).
          name: 'edge',
          include: [
            'packages/*/src/**/*.edge.test.ts',
            'packages/core/src/**/*.test.ts',
            'packages/keymanager/src/**/*.test.ts',
            'packages/openai-compatible/src/**/*.test.ts',
          ],
          exclude: ['packages/core/src/kit-error.test.ts', 'packages/core/src/create-chat-provider.test.ts', '**/*-provider.test.ts'],
          environment: 'edge-runtime',
        },
      },
    ],
  },
});
