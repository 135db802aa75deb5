// SSE streaming throughput (SPEC §10): time to consume one large chat-completions stream fully, @kit vs the official
// `openai` SDK (and, for reference, the AI SDK's @ai-sdk/openai chat model), all pointed at the same loopback server
// (bench/loopback-server.mjs, in a child process, answering from memory). The stream is 20 000 content chunks in
// OpenAI `chat.completion.chunk` format plus the role chunk, the finish chunk, the usage chunk and `[DONE]`.
// Every client's concatenated text is compared with the expected text (and its usage with the chunk count), so a
// reader that drops or garbles data cannot "win". Rounds are interleaved with a rotating order.
// Goal: kit ≥ 2× the openai SDK (median round time).
//
//   npx -y pnpm@12.4.2 exec node sse-throughput.bench.mjs [--chunks 20000] [--rounds 9] [--no-frames]
//
// Scenario A (the verdict): the server writes the body in 256 KiB writes, so only the client's parsing is measured.
// Scenario B (reference): one write per SSE frame, as a server relaying tokens would; the socket matters more there.
import { createOpenAI as createAISDKOpenAI } from '@ai-sdk/openai';
import { createOpenAI } from '@kit/openai';
import OpenAI from 'openai';
import { environmentLine, fixed, median, printTable } from './bench-stats.mjs';
import { MODEL, expectedStreamText, forkLoopbackServer } from './loopback-server.mjs';

const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};
const CHUNKS = argument('chunks', 20_000);
const ROUNDS = argument('rounds', 9);
const GOAL = 2;
const API_KEY = 'test-key-bench';
const PROMPT = 'Write a very long story.';
const expected = expectedStreamText(CHUNKS);

function clients(url) {
  const kit = createOpenAI({ apiKey: API_KEY, baseURL: url, maxRetries: 0, timeoutMs: 30_000 });
  const sdk = new OpenAI({ apiKey: API_KEY, baseURL: url, maxRetries: 0, timeout: 30_000 });
  const aiSdk = createAISDKOpenAI({ apiKey: API_KEY, baseURL: url }).chat(MODEL);
  return [
    {
      name: '@kit/openai generateChatCompletion',
      key: 'kit',
      async run() {
        const stream = await kit.generateChatCompletion({ model: MODEL, prompt: PROMPT });
        const parts = [];
        let usage;
        for await (const event of stream) {
          if (event.type === 'text-delta') parts.push(event.text);
          else if (event.type === 'finish') usage = event.usage.outputTokens;
        }
        return { text: parts.join(''), usage };
      },
    },
    {
      name: 'openai SDK chat.completions.create',
      key: 'sdk',
      async run() {
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
      },
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

async function scenario(title, serverOptions, rounds) {
  const server = await forkLoopbackServer({ chunks: CHUNKS, ...serverOptions });
  try {
    const list = clients(server.url);
    const times = new Map(list.map((client) => [client.key, []]));
    const check = (client, result) => {
      if (result.text !== expected) {
        throw new Error(`${client.name} read ${result.text.length} chars, expected ${expected.length} (texts differ): its reader is broken`);
      }
      if (Number(result.usage) !== CHUNKS) throw new Error(`${client.name} read usage ${result.usage}, expected ${CHUNKS}`);
    };
    for (const client of list) check(client, await client.run()); // warm-up + correctness
    for (let round = 0; round < rounds; round++) {
      const order = list.map((_, index) => list[(index + round) % list.length]);
      for (const client of order) {
        const started = performance.now();
        const result = await client.run();
        times.get(client.key).push(performance.now() - started);
        check(client, result);
      }
    }
    const megabytes = server.streamBytes / 1e6;
    const kitMedian = median(times.get('kit'));
    const sdkMedian = median(times.get('sdk'));
    console.log(`## ${title}`);
    console.log(`${CHUNKS} content chunks, ${fixed(megabytes, 2)} MB of SSE per stream, ${rounds} interleaved rounds after 1 warm-up each; text and usage verified every round`);
    console.log('');
    printTable([
      ['client', 'median ms', 'min ms', 'max ms', 'chunks/s', 'MB/s', 'vs openai SDK'],
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
        ];
      }),
    ]);
    console.log('');
    return sdkMedian / kitMedian;
  } finally {
    await server.close();
  }
}

console.log('# SSE throughput: consume one large chat-completions stream');
console.log(`${environmentLine()}; loopback server in a child process`);
console.log('');
const ratio = await scenario('A. body written in 256 KiB writes (client parsing dominates)', { writeSize: 256 * 1024 }, ROUNDS);
let frameRatio;
if (!process.argv.includes('--no-frames')) frameRatio = await scenario('B. one write per SSE frame (reference)', { framePerWrite: true }, Math.max(3, ROUNDS - 2));
console.log(
  `kit / openai SDK throughput: ${fixed(ratio, 2)}× with large writes` + (frameRatio === undefined ? '' : `, ${fixed(frameRatio, 2)}× with one write per frame (reference)`),
);
console.log(
  ratio >= GOAL
    ? `verdict: OK — kit streams ${fixed(ratio, 2)}× as fast as the openai SDK (goal ≥ ${GOAL}×)`
    : `verdict: MISSED — kit streams ${fixed(ratio, 2)}× as fast as the openai SDK (goal ≥ ${GOAL}×; short by ${fixed((1 - ratio / GOAL) * 100)} %)`,
);
