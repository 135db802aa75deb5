// Overhead of a non-streaming call through @kit (budget: at most 10 % over bare fetch): `provider.complete()` vs a bare `fetch` POST of the same
// request body + `await response.json()`, against the same lean loopback server (bench/loopback-server.mjs, run in a
// child process so the server's work is not in the client's timings). Both go through the global fetch (undici, one
// keep-alive pool). Calls are interleaved one by one (kit, bare, bare, kit, …) after a warm-up, so GC and CPU noise
// hit both sides alike. Goal: median(kit) ≤ 1.10 × median(bare fetch). Then, for context, each peer against bare fetch
// in a run of its own: bare fetch with a timeout (an AbortController and a timer), and the official `openai` SDK.
//
//   npx -y pnpm@12.4.2 exec node overhead.bench.mjs [--n 2000] [--warmup 300]
import { createOpenAI } from '@kit/openai';
import OpenAI from 'openai';
import { environmentLine, fixed, printTable, summarize } from './bench-stats.mjs';
import { COMPLETION_TEXT, MODEL, forkLoopbackServer } from './loopback-server.mjs';

const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};
const N = argument('n', 2000);
const WARMUP = argument('warmup', 300);
const GOAL = 1.1;
const API_KEY = 'test-key-bench';
const callOptions = { model: MODEL, prompt: 'Say hello in one short sentence.' };

const server = await forkLoopbackServer({ chunks: 10 });
try {
  // Capture the exact request the kit sends (URL, headers, body) so the bare fetch sends the same thing.
  let captured;
  const capturing = createOpenAI({
    apiKey: API_KEY,
    baseURL: server.url,
    maxRetries: 0,
    fetch: (input, init) => {
      captured = { url: String(input), method: init.method, headers: { ...init.headers }, body: JSON.parse(init.body) };
      return globalThis.fetch(input, init);
    },
  });
  const probe = await capturing.complete(callOptions);
  if (probe.text !== COMPLETION_TEXT) throw new Error(`kit read ${JSON.stringify(probe.text)}`);

  const kit = createOpenAI({ apiKey: API_KEY, baseURL: server.url, maxRetries: 0, timeoutMs: 30_000 });
  const runKit = async () => {
    const completion = await kit.complete(callOptions);
    if (completion.text !== COMPLETION_TEXT) throw new Error(`kit read ${JSON.stringify(completion.text)}`);
  };
  const runBare = async () => {
    const response = await fetch(captured.url, { method: captured.method, headers: captured.headers, body: JSON.stringify(captured.body) });
    if (!response.ok) throw new Error(`bare fetch: HTTP ${response.status}`);
    const json = await response.json();
    if (json.choices[0].message.content !== COMPLETION_TEXT) throw new Error('bare fetch read the wrong text');
  };

  /**
   * Times `runA` and `runB` one call each in turn, `n` pairs after `WARMUP` pairs; the order of each pair alternates so
   * neither side always runs on a just-warmed connection or heap. Returns both sides' times (µs), the median ratio A/B
   * per block of pairs, and the wall time.
   */
  const measurePair = async (runA, runB, n) => {
    const timesA = [];
    const timesB = [];
    const timed = async (run, into) => {
      const started = performance.now();
      await run();
      if (into) into.push((performance.now() - started) * 1000); // µs
    };
    for (let index = 0; index < WARMUP; index++) {
      await timed(runA);
      await timed(runB);
    }
    const wallStarted = performance.now();
    for (let index = 0; index < n; index++) {
      if (index % 2 === 0) {
        await timed(runA, timesA);
        await timed(runB, timesB);
      } else {
        await timed(runB, timesB);
        await timed(runA, timesA);
      }
    }
    const BLOCKS = 4;
    const size = Math.ceil(n / BLOCKS);
    const blockRatios = [];
    for (let block = 0; block < BLOCKS; block++) {
      const range = [block * size, Math.min(n, (block + 1) * size)];
      blockRatios.push(summarize(timesA.slice(...range)).p50 / summarize(timesB.slice(...range)).p50);
    }
    return { timesA, timesB, blockRatios, blockSize: size, wallSeconds: (performance.now() - wallStarted) / 1000 };
  };

  const { timesA: kitTimes, timesB: bareTimes, blockRatios, blockSize, wallSeconds } = await measurePair(runKit, runBare, N);
  const kitStats = summarize(kitTimes);
  const bareStats = summarize(bareTimes);
  const ratio = kitStats.p50 / bareStats.p50;
  console.log('# overhead: non-streaming call, @kit/openai complete() vs bare fetch + response.json()');
  console.log(`${environmentLine()}; loopback server in a child process; ${N} calls each, interleaved, after ${WARMUP} warm-up calls each`);
  console.log(`request: POST ${new URL(captured.url).pathname}, ${JSON.stringify(captured.body).length} B body (${JSON.stringify(captured.body)})`);
  console.log('');
  printTable([
    ['client', 'median µs', 'mean µs', 'p95 µs', 'p99 µs', 'min µs', 'calls/s (1/median)'],
    ...[
      ['bare fetch + json()', bareStats],
      ['@kit/openai complete()', kitStats],
    ].map(([name, stats]) => [name, fixed(stats.p50), fixed(stats.mean), fixed(stats.p95), fixed(stats.p99), fixed(stats.min), fixed(1e6 / stats.p50, 0)]),
  ]);
  console.log('');
  console.log(
    `kit / bare: median ${fixed(ratio, 3)}×, p95 ${fixed(kitStats.p95 / bareStats.p95, 3)}×, mean ${fixed(kitStats.mean / bareStats.mean, 3)}×; ` +
      `kit adds ${fixed(kitStats.p50 - bareStats.p50)} µs per call at the median (wall ${fixed(wallSeconds, 1)} s)`,
  );
  console.log(`median ratio per block of ${blockSize} pairs (spread of the measurement): ${blockRatios.map((value) => fixed(value, 3)).join(', ')}`);
  console.log(
    ratio <= GOAL
      ? `verdict: OK — kit median is ${fixed(ratio, 3)}× bare fetch (goal ≤ ${GOAL}×)`
      : `verdict: MISSED — kit median is ${fixed(ratio, 3)}× bare fetch (goal ≤ ${GOAL}×; over by ${fixed((ratio / GOAL - 1) * 100)} %)`,
  );

  // Context, after the goal's measurement and each pair on its own (a third client in the same interleaving would
  // change the cache state every call runs in): what any timeout costs, and the official SDK on the same request.
  const runBareWithTimeout = async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 30_000);
    const response = await fetch(captured.url, {
      method: captured.method,
      headers: captured.headers,
      body: JSON.stringify(captured.body),
      signal: controller.signal,
    });
    const json = await response.json();
    clearTimeout(timer);
    if (json.choices[0].message.content !== COMPLETION_TEXT) throw new Error('bare fetch read the wrong text');
  };
  const sdk = new OpenAI({ apiKey: API_KEY, baseURL: server.url, maxRetries: 0, timeout: 30_000 });
  const runSdk = async () => {
    const completion = await sdk.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: callOptions.prompt }] });
    if (completion.choices[0].message.content !== COMPLETION_TEXT) throw new Error('openai SDK read the wrong text');
  };
  const peerN = Math.ceil(N / 2);
  const peers = [
    ['bare fetch + an AbortController and a 30 s timer (the floor of any call with a timeout)', runBareWithTimeout],
    ['openai SDK chat.completions.create (maxRetries 0, timeout 30 s)', runSdk],
  ];
  console.log('');
  console.log(`## peers: each against bare fetch in a run of its own, ${peerN} pairs`);
  console.log('');
  const rows = [['client', 'median µs', 'bare median µs', 'client / bare', 'adds µs']];
  for (const [name, run] of peers) {
    const { timesA, timesB } = await measurePair(run, runBare, peerN);
    const client = summarize(timesA).p50;
    const bare = summarize(timesB).p50;
    rows.push([name, fixed(client), fixed(bare), `${fixed(client / bare, 3)}×`, fixed(client - bare)]);
  }
  printTable(rows);
} finally {
  await server.close();
}
