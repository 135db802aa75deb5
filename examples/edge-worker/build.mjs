// Bundles the Worker as `wrangler deploy` would: one minified ES module for the `worker`/`browser` conditions, every
// dependency inlined (the @kit packages' built dist/, ky, eventsource-parser, zod). Also writes a script build of the
// same handler (`globalThis.worker.default`) for runtimes that evaluate scripts, not modules (@edge-runtime/vm).
//
//   node build.mjs            → dist/worker.js (module), dist/worker.script.js (script); prints the sizes
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));

/** Bundles `src/worker.ts`; resolves with the module and the script builds (as text) and writes them to `dist/`. */
export async function bundleWorker() {
  const shared = {
    entryPoints: [join(here, 'src/worker.ts')],
    bundle: true,
    minify: true,
    platform: 'browser',
    conditions: ['worker', 'browser'],
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  };
  const [module, script] = await Promise.all([build({ ...shared, format: 'esm' }), build({ ...shared, format: 'iife', globalName: 'worker' })]);
  const output = { module: module.outputFiles[0].text, script: script.outputFiles[0].text };
  mkdirSync(join(here, 'dist'), { recursive: true });
  writeFileSync(join(here, 'dist/worker.js'), output.module);
  writeFileSync(join(here, 'dist/worker.script.js'), output.script);
  return output;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { module } = await bundleWorker();
  const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;
  console.log(`dist/worker.js: ${kb(Buffer.byteLength(module))} minified, ${kb(gzipSync(module, { level: 9 }).length)} gzip`);
}
