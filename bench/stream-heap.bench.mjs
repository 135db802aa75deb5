// Heap retained by a finished stream object, relative to the text it holds. A 100 000-delta chat-completions stream
// (~752 KB of text, OpenAI `chat.completion.chunk` frames from bench/loopback-server.mjs in a child process) is
// iterated to the end, then `final()` is called, as an app that shows tokens and then keeps the answer does:
//   - @kit/openai: `generateChatCompletion` → `for await` → `stream.final()`;
//   - openai SDK (beside it): `chat.completions.stream` → `for await` → `stream.finalChatCompletion()`.
// Retained = heapUsed (after forced GCs) while only the stream object is still referenced, minus heapUsed (after
// forced GCs) once it is dropped too; the completion returned by final() is dropped before the first measurement,
// and the text is compared with the expected text only after it (comparing flattens a string built by `+=`, which
// would hide a rope of 100 000 pieces). Text size = its length: the text is ASCII, one byte per character in V8.
// Goal: the kit's stream retains ≤ 2× its text size. Rounds alternate between the two clients; medians reported.
//
//   cd bench && npx -y pnpm@12.4.2 exec node --expose-gc stream-heap.bench.mjs [--deltas 100000] [--rounds 5]
import { createOpenAI } from '@kit/openai';
import OpenAI from 'openai';
import { environmentLine, fixed, median, printTable } from './bench-stats.mjs';
import { MODEL, expectedStreamText, forkLoopbackServer } from './loopback-server.mjs';

const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};
const DELTAS = argument('deltas', 100_000);
const ROUNDS = argument('rounds', 5);
const GOAL = 2;
const API_KEY = 'test-key-bench';
const PROMPT = 'Write a very long story.';

if (typeof globalThis.gc !== 'function') {
  console.error('run with --expose-gc: node --expose-gc stream-heap.bench.mjs');
  process.exit(1);
}

const expected = expectedStreamText(DELTAS);

/** heapUsed after forced full GCs (repeated until it stops shrinking, at most 6 times). */
function settledHeap() {
  let previous = Number.POSITIVE_INFINITY;
  let current = process.memoryUsage().heapUsed;
  for (let pass = 0; pass < 6 && current < previous; pass++) {
    globalThis.gc();
    previous = current;
    current = process.memoryUsage().heapUsed;
  }
  return current;
}

/**
 * Holds the stream between the two measurements. A module-level slot, not a local: a local that is not read again
 * may be treated as dead by the compiler and collected early.
 */
const held = { stream: undefined };

/**
 * One measurement: `consume()` returns the finished stream; `finalText(stream)` returns its final text (called after
 * the first measurement, for the check). Resolves with the bytes retained by the stream.
 */
async function retainedBy(name, consume, finalText) {
  held.stream = await consume();
  const withStream = settledHeap();
  await checkText(name, held.stream, finalText);
  held.stream = undefined;
  const withoutStream = settledHeap();
  return withStream - withoutStream;
}

/** In its own function, so that no local of `retainedBy` still holds the text at the second measurement. */
async function checkText(name, stream, finalText) {
  const text = await finalText(stream);
  if (text !== expected) throw new Error(`${name} assembled ${text.length} chars, expected ${expected.length} (texts differ)`);
}

const server = await forkLoopbackServer({ chunks: DELTAS });
try {
  const kit = createOpenAI({ apiKey: API_KEY, baseURL: server.url, maxRetries: 0, timeoutMs: 60_000 });
  const sdk = new OpenAI({ apiKey: API_KEY, baseURL: server.url, maxRetries: 0, timeout: 60_000 });
  const clients = [
    {
      name: '@kit/openai generateChatCompletion + final()',
      key: 'kit',
      async consume() {
        const stream = await kit.generateChatCompletion({ model: MODEL, prompt: PROMPT });
        let deltas = 0;
        for await (const event of stream) if (event.type === 'text-delta') deltas++;
        if (deltas !== DELTAS) throw new Error(`kit: ${deltas} text deltas, expected ${DELTAS}`);
        const completion = await stream.final();
        if (completion.text.length !== expected.length) throw new Error(`kit: final() text of ${completion.text.length} chars, expected ${expected.length}`);
        return stream;
      },
      finalText: async (stream) => (await stream.final()).text,
    },
    {
      name: 'openai SDK chat.completions.stream + finalChatCompletion()',
      key: 'sdk',
      async consume() {
        const stream = sdk.chat.completions.stream({ model: MODEL, messages: [{ role: 'user', content: PROMPT }], stream_options: { include_usage: true } });
        let deltas = 0;
        for await (const chunk of stream) if (chunk.choices[0]?.delta?.content) deltas++;
        if (deltas !== DELTAS) throw new Error(`openai SDK: ${deltas} content chunks, expected ${DELTAS}`);
        const completion = await stream.finalChatCompletion();
        if (completion.choices[0].message.content.length !== expected.length) throw new Error('openai SDK: final text has the wrong length');
        return stream;
      },
      finalText: async (stream) => (await stream.finalChatCompletion()).choices[0].message.content,
    },
  ];

  // Warm-up: one unmeasured run each (JIT, connection pool, lazily built module state).
  for (const client of clients) await retainedBy(client.name, () => client.consume(), client.finalText);
  const retained = new Map(clients.map((client) => [client.key, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const client of round % 2 === 0 ? clients : [...clients].reverse()) {
      retained.get(client.key).push(await retainedBy(client.name, () => client.consume(), client.finalText));
    }
  }

  const textBytes = expected.length;
  console.log('# stream heap: bytes a finished stream object retains, relative to its text');
  console.log(`${environmentLine()}; loopback server in a child process`);
  console.log(
    `${DELTAS.toLocaleString('en-US')} text deltas, ${fixed(textBytes / 1000)} KB of text; ${ROUNDS} rounds (alternating order) after 1 warm-up each; heapUsed after forced GCs, with vs without the stream`,
  );
  console.log('');
  const ratios = new Map();
  printTable([
    ['stream', 'median retained KB', 'min KB', 'max KB', 'text KB', 'retained / text'],
    ...clients.map((client) => {
      const values = retained.get(client.key);
      const med = median(values);
      ratios.set(client.key, med / textBytes);
      return [
        client.name,
        fixed(med / 1000),
        fixed(Math.min(...values) / 1000),
        fixed(Math.max(...values) / 1000),
        fixed(textBytes / 1000),
        `${fixed(med / textBytes, 2)}×`,
      ];
    }),
  ]);
  console.log('');
  const kitRatio = ratios.get('kit');
  console.log(
    kitRatio <= GOAL
      ? `verdict: OK — the kit's stream retains ${fixed(kitRatio, 2)}× its text size (goal ≤ ${GOAL}×; openai SDK ${fixed(ratios.get('sdk'), 2)}×)`
      : `verdict: MISSED — the kit's stream retains ${fixed(kitRatio, 2)}× its text size (goal ≤ ${GOAL}×; openai SDK ${fixed(ratios.get('sdk'), 2)}×)`,
  );
} finally {
  await server.close();
}
