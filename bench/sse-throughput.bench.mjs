// SSE streaming throughput (budget: at least 2× the official SDK): time to consume one large chat-completions stream fully, @kit vs the official
// `openai` SDK, against the **limit** (a bare `fetch` + eventsource-parser's `createParser` + one `JSON.parse` per
// event: the least work any reader of this stream can do), and, for reference, the AI SDK's @ai-sdk/openai chat
// model — all pointed at the same loopback server (bench/loopback-server.mjs, in a child process, answering from
// memory). The stream is 20 000 content chunks in OpenAI `chat.completion.chunk` format plus the role chunk, the
// finish chunk, the usage chunk and `[DONE]`. Every client's concatenated text is compared with the expected text
// (and its usage with the chunk count), so a reader that drops or garbles data cannot "win". Rounds are interleaved
// with a rotating order.
// Goals (scenario A, median of the per-round time ratios): kit ≥ 2× the openai SDK's throughput; kit ≥ 0.85× the
// limit's. For reference, a third baseline hands the limit's parsed chunks out through a minimal `for await` iterator:
// the floor of any `AsyncIterable` stream, so the gap to it is what the kit's own code adds.
//
// Scenario A (the verdict): the server writes the body in 256 KiB writes, so only the client's parsing is measured.
// Scenario B (reference): one write per SSE frame, as a server relaying tokens would; the socket matters more there.
// Scenario C (long line): one 8 MiB SSE event (a single content delta) delivered in 16 KiB chunks by an in-process
// `fetch` (no socket, so only parsing is timed), through the kit and through fetch + eventsource-parser + JSON.parse;
// a parser that re-scans its buffer on every chunk is quadratic here (the old hand-written one: 2.6 s vs 15 ms).
//
//   npx -y pnpm@12.4.2 exec node sse-throughput.bench.mjs [--chunks 20000] [--rounds 81] [--frame-rounds 9] [--long-rounds 5] [--no-frames] [--no-long-line]
import { createOpenAI as createAISDKOpenAI } from '@ai-sdk/openai';
import { createOpenAI } from '@kit/openai';
import OpenAI from 'openai';
import { environmentLine, fixed, median, printTable, quantile } from './bench-stats.mjs';
import { MODEL, expectedStreamText, forkLoopbackServer } from './loopback-server.mjs';
import { readWithEventsourceParser, readWithEventsourceParserIterator } from './sse-readers.mjs';

const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};
const CHUNKS = argument('chunks', 20_000);
// 81 rounds: one round's kit/limit ratio spreads over ±4 % (middle half) on a quiet VM and over ±10 % on a busy one
// (2026-12-03: 0.75–0.96), so the median of 9 or 15 rounds moved by ±3 % from run to run, that of 41 by ±1.5–3 %
// (two of nineteen runs fell 1–2 points under 0.85 around a median of 0.88), that of 81 by about 1/√2 of that.
const ROUNDS = argument('rounds', 81);
const FRAME_ROUNDS = argument('frame-rounds', 9);
const LONG_ROUNDS = argument('long-rounds', 5);
const SDK_GOAL = 2;
const LIMIT_GOAL = 0.85;
const API_KEY = 'test-key-bench';
const PROMPT = 'Write a very long story.';
const expected = expectedStreamText(CHUNKS);

/** The kit's reader: iterate the events, keep the text deltas and the finish usage. */
async function readWithKit(kit) {
  const stream = await kit.generateChatCompletion({ model: MODEL, prompt: PROMPT });
  const parts = [];
  let usage;
  for await (const event of stream) {
    if (event.type === 'text-delta') parts.push(event.text);
    else if (event.type === 'finish') usage = event.usage.outputTokens;
  }
  return { text: parts.join(''), usage };
}

/** The openai SDK's reader, as its README streams. */
async function readWithOpenAISDK(sdk) {
  const stream = await sdk.chat.completions.create({
    model: MODEL,
    messages: [{ role: 'user', content: PROMPT }],
    stream: true,
    stream_options: { include_usage: true },
  });
  const parts = [];
  let usage;
  for await (const chunk of stream) {
    const content = chunk.choices[0]?.delta?.content;
    if (content) parts.push(content);
    if (chunk.usage) usage = chunk.usage.completion_tokens;
  }
  return { text: parts.join(''), usage };
}

function clients(url) {
  const kit = createOpenAI({ apiKey: API_KEY, baseURL: url, maxRetries: 0, timeoutMs: 30_000 });
  const sdk = new OpenAI({ apiKey: API_KEY, baseURL: url, maxRetries: 0, timeout: 30_000 });
  const aiSdk = createAISDKOpenAI({ apiKey: API_KEY, baseURL: url }).chat(MODEL);
  const limitBody = JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: PROMPT }], stream: true, stream_options: { include_usage: true } });
  /** The bare request of the two limit readers. */
  const requestStream = () =>
    fetch(`${url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
      body: limitBody,
    });
  return [
    { name: '@kit/openai generateChatCompletion', key: 'kit', run: () => readWithKit(kit) },
    { name: 'openai SDK chat.completions.create', key: 'sdk', run: () => readWithOpenAISDK(sdk) },
    {
      name: 'limit: fetch + eventsource-parser + JSON.parse',
      key: 'limit',
      run: async () => readWithEventsourceParser(await requestStream()),
    },
    {
      name: 'limit + for await (reference)',
      key: 'limit-iterator',
      run: async () => readWithEventsourceParserIterator(await requestStream()),
    },
    {
      name: '@ai-sdk/openai chat doStream (reference)',
      key: 'ai-sdk',
      async run() {
        const result = await aiSdk.doStream({ prompt: [{ role: 'user', content: [{ type: 'text', text: PROMPT }] }] });
        const parts = [];
        let usage;
        const reader = result.stream.getReader();
        for (let read = await reader.read(); !read.done; read = await reader.read()) {
          const part = read.value;
          if (part.type === 'text-delta') parts.push(part.delta ?? part.textDelta);
          else if (part.type === 'finish') usage = part.usage?.outputTokens?.total ?? part.usage?.outputTokens;
          else if (part.type === 'error') throw part.error;
        }
        return { text: parts.join(''), usage };
      },
    },
  ];
}

/** Runs every client once as warm-up + correctness check, then `rounds` interleaved rounds; returns times per key. */
async function race(list, rounds, check) {
  const times = new Map(list.map((client) => [client.key, []]));
  for (const client of list) check(client, await client.run());
  for (let round = 0; round < rounds; round++) {
    const order = list.map((_, index) => list[(index + round) % list.length]);
    for (const client of order) {
      const started = performance.now();
      const result = await client.run();
      times.get(client.key).push(performance.now() - started);
      check(client, result);
    }
  }
  return times;
}

async function scenario(title, serverOptions, rounds) {
  const server = await forkLoopbackServer({ chunks: CHUNKS, ...serverOptions });
  try {
    const list = clients(server.url);
    const times = await race(list, rounds, (client, result) => {
      if (result.text !== expected) {
        throw new Error(`${client.name} read ${result.text.length} chars, expected ${expected.length} (texts differ): its reader is broken`);
      }
      if (Number(result.usage) !== CHUNKS) throw new Error(`${client.name} read usage ${result.usage}, expected ${CHUNKS}`);
    });
    const megabytes = server.streamBytes / 1e6;
    const kitMedian = median(times.get('kit'));
    const sdkMedian = median(times.get('sdk'));
    const limitMedian = median(times.get('limit'));
    console.log(`## ${title}`);
    console.log(
      `${CHUNKS} content chunks, ${fixed(megabytes, 2)} MB of SSE per stream, ${rounds} interleaved rounds after 1 warm-up each; text and usage verified every round`,
    );
    console.log('');
    printTable([
      ['client', 'median ms', 'min ms', 'max ms', 'chunks/s', 'MB/s', 'vs openai SDK', 'vs limit'],
      ...list.map((client) => {
        const values = times.get(client.key);
        const med = median(values);
        return [
          client.name,
          fixed(med),
          fixed(Math.min(...values)),
          fixed(Math.max(...values)),
          Math.round(CHUNKS / (med / 1000)).toLocaleString('en-US'),
          fixed(megabytes / (med / 1000)),
          `${fixed(sdkMedian / med, 2)}×`,
          `${fixed(limitMedian / med, 2)}×`,
        ];
      }),
    ]);
    console.log('');
    // Throughput ratios (kit/openai = openai time / kit time), each the median of the per-round ratios: a round runs
    // every client back to back, so a slow spell of the machine (this VM's timings drift by ±10 % over seconds) weighs
    // on both sides of a ratio instead of on one side's median. The ratio of the medians is printed beside it.
    const perRound = (key) => times.get('kit').map((kitTime, round) => times.get(key)[round] / kitTime);
    const quartiles = (ratios) => {
      const sorted = [...ratios].sort((a, b) => a - b);
      return `${fixed(quantile(sorted, 0.25), 2)}–${fixed(quantile(sorted, 0.75), 2)}`;
    };
    const [limitRounds, sdkRounds] = [perRound('limit'), perRound('sdk')];
    const ratios = { vsSdk: median(sdkRounds), vsLimit: median(limitRounds), vsLimitIterator: median(perRound('limit-iterator')) };
    console.log(
      `kit / limit per round: median ${fixed(ratios.vsLimit, 3)}×, middle half ${quartiles(limitRounds)}; ratio of the medians ${fixed(limitMedian / kitMedian, 3)}×`,
    );
    console.log(
      `kit / openai SDK per round: median ${fixed(ratios.vsSdk, 2)}×, middle half ${quartiles(sdkRounds)}; ratio of the medians ${fixed(sdkMedian / kitMedian, 2)}×`,
    );
    console.log('');
    return ratios;
  } finally {
    await server.close();
  }
}

const LONG_EVENT_BYTES = 8 * 1024 * 1024;
const DELIVERY_CHUNK_BYTES = 16 * 1024;

/** The long-line stream: role chunk, one ~8 MiB content event, finish chunk, usage chunk, `[DONE]`; and its text. */
function buildLongLineStream() {
  const frame = (payload) => `data: ${JSON.stringify(payload)}\n\n`;
  const chunk = (choices, usage = null) => ({ id: 'chatcmpl-long', object: 'chat.completion.chunk', created: 1_700_000_000, model: MODEL, choices, usage });
  const envelope = frame(chunk([{ index: 0, delta: { content: '' }, logprobs: null, finish_reason: null }])).length;
  // Distinct words (no character that JSON escapes), so a reader that drops or repeats a 16 KiB piece is caught.
  const words = [];
  let length = 0;
  for (let index = 0; length < LONG_EVENT_BYTES - envelope; index++) {
    const word = ` w${index.toString(36)}`;
    words.push(word);
    length += word.length;
  }
  const text = words.join('').slice(0, LONG_EVENT_BYTES - envelope);
  const body = new TextEncoder().encode(
    frame(chunk([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }])) +
      frame(chunk([{ index: 0, delta: { content: text }, logprobs: null, finish_reason: null }])) +
      frame(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }])) +
      frame(chunk([], { prompt_tokens: 9, completion_tokens: 1, total_tokens: 10 })) +
      'data: [DONE]\n\n',
  );
  return { text, body };
}

/** A `fetch` that answers every call with `body` as an SSE response, delivered in `DELIVERY_CHUNK_BYTES` pieces. */
function chunkedFetch(body) {
  return async () => {
    let offset = 0;
    const stream = new ReadableStream({
      pull(controller) {
        if (offset >= body.length) return controller.close();
        controller.enqueue(body.slice(offset, offset + DELIVERY_CHUNK_BYTES));
        offset += DELIVERY_CHUNK_BYTES;
      },
    });
    return new Response(stream, { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8', 'x-request-id': 'req_long' } });
  };
}

async function longLine(rounds) {
  const { text, body } = buildLongLineStream();
  const fetchLong = chunkedFetch(body);
  // The base URL is never contacted: every request is answered by fetchLong.
  const kit = createOpenAI({ apiKey: API_KEY, baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0, timeoutMs: 600_000, fetch: fetchLong });
  const sdk = new OpenAI({ apiKey: API_KEY, baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0, timeout: 600_000, fetch: fetchLong });
  const list = [
    { name: '@kit/openai generateChatCompletion', key: 'kit', run: () => readWithKit(kit) },
    { name: 'fetch + eventsource-parser + JSON.parse', key: 'limit', run: async () => readWithEventsourceParser(await fetchLong()) },
    { name: 'openai SDK chat.completions.create (reference)', key: 'sdk', run: () => readWithOpenAISDK(sdk) },
  ];
  const times = await race(list, rounds, (client, result) => {
    if (result.text !== text) throw new Error(`${client.name} read ${result.text.length} chars of the long event, expected ${text.length} (texts differ)`);
  });
  const limitMedian = median(times.get('limit'));
  console.log('## C. long line: one SSE event of 8 MiB, delivered in 16 KiB chunks (in-process fetch, no socket)');
  console.log(
    `${fixed(body.length / 1e6, 2)} MB body, ${Math.ceil(body.length / DELIVERY_CHUNK_BYTES)} chunks, ${rounds} interleaved rounds after 1 warm-up each; text verified every round`,
  );
  console.log('');
  printTable([
    ['client', 'median ms', 'min ms', 'max ms', 'MB/s', 'time vs eventsource-parser'],
    ...list.map((client) => {
      const values = times.get(client.key);
      const med = median(values);
      return [
        client.name,
        fixed(med),
        fixed(Math.min(...values)),
        fixed(Math.max(...values)),
        fixed(body.length / 1e6 / (med / 1000)),
        `${fixed(med / limitMedian, 2)}×`,
      ];
    }),
  ]);
  console.log('');
  return { kit: median(times.get('kit')), limit: limitMedian };
}

console.log('# SSE throughput: consume one large chat-completions stream');
console.log(`${environmentLine()}; loopback server in a child process`);
console.log('');
const large = await scenario('A. body written in 256 KiB writes (client parsing dominates)', { writeSize: 256 * 1024 }, ROUNDS);
let frames;
if (!process.argv.includes('--no-frames')) frames = await scenario('B. one write per SSE frame (reference)', { framePerWrite: true }, FRAME_ROUNDS);
let long;
if (!process.argv.includes('--no-long-line')) long = await longLine(LONG_ROUNDS);

const reference = frames === undefined ? '' : ` (one write per frame, reference: ${fixed(frames.vsSdk, 2)}×)`;
console.log(`kit / openai SDK throughput: ${fixed(large.vsSdk, 2)}× with large writes${reference}`);
console.log(
  `kit / limit throughput: ${fixed(large.vsLimit, 2)}× with large writes${frames === undefined ? '' : ` (one write per frame, reference: ${fixed(frames.vsLimit, 2)}×)`}`,
);
console.log(
  `kit / (limit + for await) throughput: ${fixed(large.vsLimitIterator, 2)}× with large writes (reference: what the kit adds over the limit handed out by an async iterator)`,
);
if (long !== undefined) {
  console.log(`long line (8 MiB event): kit ${fixed(long.kit)} ms, eventsource-parser ${fixed(long.limit)} ms (${fixed(long.kit / long.limit, 2)}× its time)`);
}
const verdict = (ratio, goal, what) =>
  ratio >= goal
    ? `verdict: OK — kit streams ${fixed(ratio, 2)}× as fast as ${what} (goal ≥ ${goal}×)`
    : `verdict: MISSED — kit streams ${fixed(ratio, 2)}× as fast as ${what} (goal ≥ ${goal}×; short by ${fixed((1 - ratio / goal) * 100)} %)`;
console.log(verdict(large.vsSdk, SDK_GOAL, 'the openai SDK'));
console.log(verdict(large.vsLimit, LIMIT_GOAL, 'the limit (fetch + eventsource-parser + JSON.parse)'));
