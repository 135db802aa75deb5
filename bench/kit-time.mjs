// The kit's own time per non-streaming loopback call — everything but fetch's wait for the response and the body
// read — for one or more builds in ONE process, rotated call by call, as medians per window of calls (a process's
// first thousand calls run code V8 has not optimized yet). It leaves undici's time and its noise out, so a change of
// ~1 µs shows; overhead.bench.mjs and overhead-ab.mjs give the ratio to a bare fetch. Each build is laid out as
// overhead-ab.mjs describes (<dir>/node_modules/@kit/{core,openai-compatible,openai} with dist/ and package.json).
// Give each build once: two clients of one build share its code and so warm it twice as fast.
//
//   npx -y pnpm@12.4.2 exec node kit-time.mjs <build dir> [<build dir> …] [calls per build, default 3000]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { COMPLETION_TEXT, MODEL, forkLoopbackServer } from './loopback-server.mjs';

const builds = process.argv.slice(2).filter((argument) => !/^\d+$/.test(argument));
const N = Number(process.argv.slice(2).find((argument) => /^\d+$/.test(argument)) ?? 3000);
if (builds.length === 0) throw new Error('pass one or more build directories (see the top of this file)');
const WINDOWS = [
  [300, 800],
  [800, 1300],
  [1300, 2300],
  [2300, 4000],
  [4000, 8000],
].filter(([from]) => from < N);

const server = await forkLoopbackServer({ chunks: 10 });
try {
  const callOptions = { model: MODEL, prompt: 'Say hello in one short sentence.' };
  // The global fetch (the kit's default, looked up per request) wrapped to note when the request left and the
  // response arrived, and how long the body read took.
  const realFetch = globalThis.fetch;
  let sentAt = 0;
  let answeredAt = 0;
  let bodyReadMs = 0;
  const timedFetch = async (url, init) => {
    sentAt = performance.now();
    const response = await realFetch(url, init);
    const readText = response.text.bind(response);
    response.text = async () => {
      const started = performance.now();
      const text = await readText();
      bodyReadMs = performance.now() - started;
      return text;
    };
    answeredAt = performance.now();
    return response;
  };
  const clients = [];
  for (const build of builds) {
    const { createOpenAI } = await import(pathToFileURL(resolve(build, 'node_modules/@kit/openai/dist/index.js')).href);
    const provider = createOpenAI({ apiKey: 'test-key-bench', baseURL: server.url, maxRetries: 0, timeoutMs: 30_000 });
    clients.push(async () => {
      const started = performance.now();
      const completion = await provider.complete(callOptions);
      const ended = performance.now();
      if (completion.text !== COMPLETION_TEXT) throw new Error(`${build}: read ${JSON.stringify(completion.text)}`);
      return { kitMs: sentAt - started + (ended - answeredAt - bodyReadMs), fetchMs: answeredAt - sentAt };
    });
  }
  globalThis.fetch = timedFetch;
  const times = clients.map(() => []);
  for (let index = 0; index < N; index++) {
    for (let offset = 0; offset < clients.length; offset++) {
      const client = (index + offset) % clients.length;
      times[client].push(await clients[client]());
    }
  }
  globalThis.fetch = realFetch;
  const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
  console.log(`# the kit's own time per call (µs, median per window of calls); fetch: request to response headers`);
  builds.forEach((build, client) => {
    const cells = WINDOWS.map(([from, to]) => {
      const window = times[client].slice(from, to);
      return `${from}-${Math.min(to, N)}: kit ${(median(window.map((time) => time.kitMs)) * 1000).toFixed(1)}, fetch ${(median(window.map((time) => time.fetchMs)) * 1000).toFixed(0)}`;
    });
    console.log(`${build.padEnd(28)} ${cells.join(' | ')}`);
  });
} finally {
  await server.close();
}
