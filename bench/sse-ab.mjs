// A/B of the SSE path: builds of the kit against the limit (fetch + eventsource-parser + JSON.parse) and the limit
// handed out by a minimal `for await` iterator, in ONE process, rotated round by round. The body is scenario A of
// sse-throughput.bench.mjs (20 000 OpenAI chunks) in 256 KiB pieces from an in-memory `fetch`, so no socket and no
// second process add noise: only parsing and hand-out are timed. The throughput bench gives the goal's figure; this
// tells which of two builds is faster (repeat it: a run of 120 rounds moves by ~±1.5 points of the ratio).
//
// Each build is laid out as overhead-ab.mjs describes (<dir>/node_modules/@kit/{core,openai-compatible,openai} with
// dist/ and package.json, and zod, ky and eventsource-parser beside them).
//
//   npx -y pnpm@12.4.2 exec node sse-ab.mjs <build dir> [<build dir> …] [--rounds 120]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MODEL, buildStreamBody, expectedStreamText } from './loopback-server.mjs';
import { inMemorySseFetch, readWithEventsourceParser, readWithEventsourceParserIterator } from './sse-readers.mjs';

const argv = process.argv.slice(2);
const roundsAt = argv.indexOf('--rounds');
const ROUNDS = roundsAt === -1 ? 120 : Number(argv[roundsAt + 1]);
const builds = argv.filter((argument, index) => !argument.startsWith('--') && index !== roundsAt + 1);
if (builds.length === 0) throw new Error('pass one or more build directories (see the top of this file)');

const CHUNKS = 20_000;
const PIECE_BYTES = 256 * 1024;
const body = buildStreamBody(CHUNKS);
const expected = expectedStreamText(CHUNKS);
const inMemoryFetch = inMemorySseFetch(body, PIECE_BYTES);

const clients = [
  { name: 'limit', run: async () => (await readWithEventsourceParser(await inMemoryFetch())).text },
  { name: 'limit + for await', run: async () => (await readWithEventsourceParserIterator(await inMemoryFetch())).text },
];
for (const build of builds) {
  const { createOpenAI } = await import(pathToFileURL(resolve(build, 'node_modules/@kit/openai/dist/index.js')).href);
  const kit = createOpenAI({ apiKey: 'test-key-bench', baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0, fetch: inMemoryFetch });
  clients.push({
    name: build,
    async run() {
      const parts = [];
      for await (const event of await kit.generateChatCompletion({ model: MODEL, prompt: 'Count.' })) {
        if (event.type === 'text-delta') parts.push(event.text);
      }
      return parts.join('');
    },
  });
}

const times = clients.map(() => []);
for (let round = -3; round < ROUNDS; round++) {
  for (let offset = 0; offset < clients.length; offset++) {
    const index = (Math.max(round, 0) + offset) % clients.length;
    const started = performance.now();
    const text = await clients[index].run();
    if (round >= 0) times[index].push(performance.now() - started);
    if (text !== expected) throw new Error(`${clients[index].name} read ${text.length} characters, expected ${expected.length}`);
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
console.log(`# SSE A/B in one process: ${CHUNKS} OpenAI chunks in ${PIECE_BYTES / 1024} KiB pieces, ${ROUNDS} rotated rounds`);
clients.forEach((client, index) => {
  const ratio = median(times[index].map((time, round) => times[0][round] / time));
  console.log(`${client.name.padEnd(34)} median ${median(times[index]).toFixed(2)} ms   limit / this, per round: ${ratio.toFixed(3)}×`);
});
