// A/B of the non-streaming overhead: this checkout's build against a baseline build of the kit, and both against a
// bare `fetch`, in ONE process, interleaved call by call (the order rotates every call), so that the machine's slow
// and fast spells weigh on every client alike. Separate runs of overhead.bench.mjs on this VM move ±3 % from run to
// run; this A/B tells a change worth one point of the ratio from noise (repeat it 3 times: ±0.7 points).
//
// Several `--base` directories may be given: each is one more client in the rotation (variants of one change, side by
// side). The baseline is a build laid out as packages: <base>/node_modules/@kit/{core,openai-compatible,openai}/ each with
// its package.json and dist/, and <base>/node_modules/{zod,ky,eventsource-parser} (symlinks to this checkout's
// copies). One way to make it: check out the baseline revision's packages/, build core, openai-compatible and openai,
// copy those three folders' dist/ and package.json, and check out this revision again.
//
//   npx -y pnpm@12.4.2 exec node overhead-ab.mjs --base /tmp/baseline [--base /tmp/variant …] [--n 2000] [--warmup 300]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createOpenAI } from '@kit/openai';
import { fixed, summarize } from './bench-stats.mjs';
import { COMPLETION_TEXT, MODEL, forkLoopbackServer } from './loopback-server.mjs';

const option = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
};
const bases = process.argv.flatMap((argument, index) => (argument === '--base' ? [process.argv[index + 1]] : []));
if (bases.length === 0) throw new Error('pass --base <dir>: a baseline build laid out as described at the top of this file');
const N = Number(option('n', 2000));
const WARMUP = Number(option('warmup', 300));
const baselines = [];
for (const base of bases) baselines.push([base, (await import(pathToFileURL(resolve(base, 'node_modules/@kit/openai/dist/index.js')).href)).createOpenAI]);

const server = await forkLoopbackServer({ chunks: 10 });
try {
  const callOptions = { model: MODEL, prompt: 'Say hello in one short sentence.' };
  // The bare fetch sends exactly what this build's kit sends: captured from one call.
  let captured;
  await createOpenAI({
    apiKey: 'test-key-bench',
    baseURL: server.url,
    maxRetries: 0,
    fetch: (input, init) => {
      captured = { url: String(input), method: init.method, headers: { ...init.headers }, body: JSON.parse(init.body) };
      return globalThis.fetch(input, init);
    },
  }).complete(callOptions);
  const { url, method, headers, body } = captured;
  const bare = async () => {
    const response = await fetch(url, { method, headers, body: JSON.stringify(body) });
    const json = await response.json();
    if (json.choices[0].message.content !== COMPLETION_TEXT) throw new Error('bare fetch read the wrong text');
  };
  const kitClient = (create) => {
    const provider = create({ apiKey: 'test-key-bench', baseURL: server.url, maxRetries: 0, timeoutMs: 30_000 });
    return async () => {
      const completion = await provider.complete(callOptions);
      if (completion.text !== COMPLETION_TEXT) throw new Error(`kit read ${JSON.stringify(completion.text)}`);
    };
  };
  const clients = [['bare fetch', bare], ...baselines.map(([base, create]) => [base, kitClient(create)]), ['this build', kitClient(createOpenAI)]];
  const times = new Map(clients.map(([name]) => [name, []]));
  for (let index = 0; index < WARMUP; index++) for (const [, run] of clients) await run();
  for (let index = 0; index < N; index++) {
    const shift = index % clients.length;
    const order = [...clients.slice(shift), ...clients.slice(0, shift)];
    if (index % 2) order.reverse();
    for (const [name, run] of order) {
      const started = performance.now();
      await run();
      times.get(name).push((performance.now() - started) * 1000);
    }
  }
  const bareMedian = summarize(times.get('bare fetch')).p50;
  const ratio = (name) => summarize(times.get(name)).p50 / bareMedian;
  console.log(`# overhead A/B: ${N} calls per client, rotated call by call after ${WARMUP} warm-up rounds`);
  const width = Math.max(...clients.map(([name]) => name.length));
  for (const [name] of clients) console.log(`${name.padEnd(width)}  median ${fixed(summarize(times.get(name)).p50)} µs  ${fixed(ratio(name), 3)}× bare fetch`);
  for (const base of bases) console.log(`this build − ${base}: ${fixed((ratio('this build') - ratio(base)) * 100, 1)} points of the ratio`);
} finally {
  await server.close();
}
