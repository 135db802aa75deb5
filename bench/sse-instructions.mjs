// Where the SSE path spends its CPU, counted in machine instructions instead of timed. On the 2-core development VM
// the throughput bench's kit/limit ratio moves by ±7 % between runs of the same build (sse-throughput.bench.mjs), more
// than any single change to the stream path could win or lose; an instruction count under valgrind moves by ~0.5 %.
// It is a diagnostic for work on that path, not the goal: the goal stays the timed ratio of sse-throughput.bench.mjs
// (instructions are not time: JSON.parse, the larger share, runs at a better rate per instruction than the kit's code).
//
// Each reader consumes the same stream as scenario A of sse-throughput.bench.mjs (20 000 content chunks in OpenAI
// `chat.completion.chunk` format, in 256 KiB pieces), served by an in-memory `fetch` so that no socket is counted:
//   limit    fetch + eventsource-parser + JSON.parse, as in the throughput bench
//   mapper   the same, plus @kit/openai-compatible's stream mapper (the wire → StreamEvent step) and nothing else
//   final    @kit/openai generateChatCompletion() + final(): the whole engine, no async iterator
//   iterate  @kit/openai generateChatCompletion() + for await: what the throughput bench times
// and, for reference, `for await` alone over 20 000 ready events (an iterator whose `next()` returns
// `Promise.resolve(result)`): the cost of the async-iterator protocol itself, which any `AsyncIterable` stream pays and
// the limit (a callback per event) does not.
// Each runs in its own `node --single-threaded` process (no concurrent JIT or GC threads: the count repeats) under
// `valgrind --tool=cachegrind --cache-sim=no`, once with 2 streams and once with 6; (count₆ − count₂) / 4 / chunks is
// the count per event, free of start-up and warm-up.
//
//   npx -y pnpm@12.4.2 exec node sse-instructions.mjs [--chunks 20000] [--readers mapper,iterate]   (needs valgrind)
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fixed, printTable } from './bench-stats.mjs';

const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
};
const CHUNKS = Number(argument('chunks', 20_000));
const PIECE_BYTES = 256 * 1024;
const ALL_READERS = ['limit', 'mapper', 'final', 'iterate'];
const REFERENCE = 'for-await';
// `--readers limit,iterate` counts only those (the limit is always counted: every ratio is against it).
const READERS = ALL_READERS.filter((reader) => reader === 'limit' || argument('readers', ALL_READERS.join(',')).split(',').includes(reader));
const WITH_REFERENCE = argument('readers', REFERENCE).split(',').includes(REFERENCE);

if (argument('reader', undefined)) await runChild(argument('reader'), Number(argument('streams', 1)));
else await runParent();

/** Reads `streams` streams with one reader (inside valgrind). */
async function runChild(reader, streams) {
  const [{ createOpenAI }, { createOpenAIStreamMapper }, { createParser }, { MODEL, buildStreamBody, expectedStreamText }, { inMemorySseFetch }] =
    await Promise.all([
      import('@kit/openai'),
      import('@kit/openai-compatible'),
      import('eventsource-parser'),
      import('./loopback-server.mjs'),
      import('./sse-readers.mjs'),
    ]);
  const inMemoryFetch = inMemorySseFetch(buildStreamBody(CHUNKS), PIECE_BYTES);
  /** fetch + eventsource-parser, each event's data handed to `onData`. */
  const parseWith = async (onEvent) => {
    const response = await inMemoryFetch();
    const parser = createParser({ onEvent });
    const decoder = new TextDecoder();
    const streamReader = response.body.getReader();
    for (let read = await streamReader.read(); !read.done; read = await streamReader.read()) parser.feed(decoder.decode(read.value, { stream: true }));
  };
  const kit = createOpenAI({ apiKey: 'test-key-bench', baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0, fetch: inMemoryFetch });
  const readers = {
    async limit() {
      const parts = [];
      await parseWith((event) => {
        if (event.data === '[DONE]') return;
        const content = JSON.parse(event.data).choices[0]?.delta?.content;
        if (content) parts.push(content);
      });
      return parts.join('');
    },
    async mapper() {
      const parts = [];
      const emit = (event) => {
        if (event.type === 'text-delta') parts.push(event.text);
      };
      const mapper = createOpenAIStreamMapper({ provider: 'openai', model: MODEL, stream: true, credential: { id: 'bench', kind: 'api-key' } });
      await parseWith((event) => mapper.push(event, emit));
      mapper.end(emit);
      return parts.join('');
    },
    async final() {
      return (await (await kit.generateChatCompletion({ model: MODEL, prompt: 'Count.' })).final()).text;
    },
    async iterate() {
      const parts = [];
      for await (const event of await kit.generateChatCompletion({ model: MODEL, prompt: 'Count.' })) {
        if (event.type === 'text-delta') parts.push(event.text);
      }
      return parts.join('');
    },
  };
  // Built once, outside the rounds: (6 − 2 rounds) counts only the iteration.
  const events = Array.from({ length: CHUNKS }, (_, index) => ({ type: 'text-delta', text: `${index}` }));
  readers[REFERENCE] = async () => {
    let next = 0;
    const iterable = {
      [Symbol.asyncIterator]: () => ({
        next: () => Promise.resolve(next < events.length ? { done: false, value: events[next++] } : { done: true, value: undefined }),
      }),
    };
    let count = 0;
    for await (const event of iterable) if (event.type === 'text-delta') count += 1;
    if (count !== CHUNKS) throw new Error(`for-await counted ${count}`);
    return expected;
  };
  const expected = expectedStreamText(CHUNKS);
  for (let round = 0; round < streams; round++) {
    const text = await readers[reader]();
    if (text !== expected) throw new Error(`${reader} read ${text.length} characters, expected ${expected.length}`);
  }
}

/** A difference with its sign: +840, −89. */
function signed(value) {
  return `${value < 0 ? '−' : '+'}${fixed(Math.abs(value), 0)}`;
}

/** Counts each reader twice (2 and 6 streams), two valgrind runs at a time, and prints instructions per event. */
async function runParent() {
  if (spawnSync('valgrind', ['--version']).status !== 0) {
    console.error('sse-instructions: valgrind is not installed (apt-get install valgrind)');
    process.exit(1);
  }
  const script = fileURLToPath(import.meta.url);
  const count = (reader, streams) =>
    new Promise((resolve, reject) => {
      const child = spawn(
        'valgrind',
        [
          '--tool=cachegrind',
          '--cache-sim=no',
          '--cachegrind-out-file=/dev/null',
          process.execPath,
          '--single-threaded',
          script,
          '--reader',
          reader,
          '--streams',
          String(streams),
          '--chunks',
          String(CHUNKS),
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let log = '';
      child.stderr.on('data', (data) => {
        log += data;
      });
      child.on('close', (code) => {
        const refs = /I\s+refs:\s+([\d,]+)/.exec(log);
        if (code !== 0 || !refs) reject(new Error(`${reader} × ${streams}: valgrind exited ${code}\n${log.slice(-2000)}`));
        else resolve(Number(refs[1].replaceAll(',', '')));
      });
    });
  const counted = WITH_REFERENCE ? [...READERS, REFERENCE] : READERS;
  const jobs = counted.flatMap((reader) => [2, 6].map((streams) => ({ reader, streams })));
  const counts = new Map();
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const { reader, streams } = jobs[next++];
      counts.set(`${reader}×${streams}`, await count(reader, streams));
    }
  };
  const started = performance.now();
  await Promise.all([worker(), worker()]);
  const perEvent = Object.fromEntries(counted.map((reader) => [reader, (counts.get(`${reader}×6`) - counts.get(`${reader}×2`)) / 4 / CHUNKS]));

  console.log('# SSE path: machine instructions per stream event (valgrind cachegrind, node --single-threaded)');
  console.log(
    `node ${process.version}; ${CHUNKS} content chunks per stream in ${PIECE_BYTES / 1024} KiB pieces from an in-memory fetch; (6 streams − 2 streams) / 4`,
  );
  console.log('');
  const rows = [['reader', 'instructions / event', 'added by this step', 'limit / reader']];
  let previous;
  for (const reader of READERS) {
    rows.push([
      reader,
      fixed(perEvent[reader], 0),
      previous === undefined ? '' : signed(perEvent[reader] - perEvent[previous]),
      `${fixed(perEvent.limit / perEvent[reader], 3)}×`,
    ]);
    previous = reader;
  }
  printTable(rows);
  console.log('');
  if (WITH_REFERENCE) console.log(`reference: \`for await\` alone over ${CHUNKS} ready events: ${fixed(perEvent[REFERENCE], 0)} instructions / event`);
  console.log(`(${fixed((performance.now() - started) / 1000, 0)} s; a second run of the same build repeats each count within ~1 %)`);
}
