// Chaos run over a key pool (issue 8's proof; not part of CI — figures go to bench/RESULTS.md):
// 10 000 mixed calls (iterate / final() / complete()) at concurrency 100 over 5 keys — 2 revoked, 1 flapping 429 with
// `Retry-After: 1`, 1 answering 20 % 500s, 1 healthy — plus 2 % connection resets, 1 % hangs, 1 % malformed lines on
// every key, and one 300 ms blip where every key answers 500.
// Goals: success ≥ 98.5 % (the rest only streams that broke after their first content, calls that ran out of retries
// or deadline, and `complete()` calls whose request hung: a timed-out non-streaming request may still be generating,
// so it is not re-sent — docs/error-handling.md, rule 10), 0 calls failed without a request while a healthy credential existed, 0 requests sent with a credential in backoff, no unhandled rejection,
// no handle left open.
//
//   npx -y pnpm@12.4.2 exec node chaos.bench.mjs [--calls 10000] [--concurrency 100] [--seed 7]
import { KeyManager } from '@kit/keymanager';
import { createOpenAI } from '@kit/openai';
import { createMockUpstream, faults, replies } from '@kit/testkit';
import { AsyncLocalStorage } from 'node:async_hooks';
import { environmentLine, fixed, printTable, summarize } from './bench-stats.mjs';

const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};
const CALLS = argument('calls', 10_000);
const CONCURRENCY = argument('concurrency', 100);
let seed = argument('seed', 7);
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};

let unhandled = 0;
process.on('unhandledRejection', () => {
  unhandled += 1;
});

const keys = {
  revoked1: 'test-chaos-revoked-one-abcdefghij',
  revoked2: 'test-chaos-revoked-two-abcdefghij',
  flapping: 'test-chaos-flapping-abcdefghijkl',
  flaky: 'test-chaos-flaky-abcdefghijklmno',
  healthy: 'test-chaos-healthy-abcdefghijklm',
};
const idOf = { [keys.revoked1]: 'revoked-1', [keys.revoked2]: 'revoked-2', [keys.flapping]: 'flapping', [keys.flaky]: 'flaky', [keys.healthy]: 'healthy' };

let blipUntil = 0;
const answer = () => replies.text('the quick brown fox jumps over the lazy dog', { chunks: 6 });
/** Faults every key suffers alike, then the key's own behaviour. */
const chaos = (own) => () => {
  if (performance.now() < blipUntil) return faults.serverError(500);
  const roll = random();
  if (roll < 0.01) return faults.resetMidStream(0); // before any content: fails over
  if (roll < 0.02) return faults.resetMidStream(2); // after content: the stream breaks, the call fails
  if (roll < 0.03) return faults.hang();
  if (roll < 0.04) return faults.malformed(0);
  return own();
};

const upstream = await createMockUpstream({
  dialect: 'openai',
  // The revoked keys are not listed: the upstream answers them with OpenAI's 401 invalid_api_key.
  credentials: [
    { id: 'flapping', secret: keys.flapping, script: chaos(() => (random() < 0.5 ? faults.rateLimited({ retryAfterSeconds: 1 }) : answer())) },
    { id: 'flaky', secret: keys.flaky, script: chaos(() => (random() < 0.2 ? faults.serverError(500) : answer())) },
    { id: 'healthy', secret: keys.healthy, script: chaos(answer) },
  ],
});

const pool = new KeyManager('openai', [
  { id: 'revoked-1', key: keys.revoked1 },
  { id: 'revoked-2', key: keys.revoked2 },
  { id: 'flapping', key: keys.flapping },
  { id: 'flaky', key: keys.flaky },
  { id: 'healthy', key: keys.healthy },
]);

/** The attempts of the call in progress (request-error events), per call through async context. */
const attemptsOfCall = new AsyncLocalStorage();
const transientCodes = new Set(['server_error', 'timeout', 'network', 'invalid_response']);
let sentInBackoff = 0;
let requestsSent = 0;
const failedWithoutRequest = [];
const provider = createOpenAI({
  credentials: pool,
  baseURL: upstream.url,
  timeoutMs: 1_000,
  fetch: (input, init) => {
    requestsSent += 1;
    const authorization = new Headers(init?.headers).get('authorization') ?? '';
    const id = idOf[authorization.replace(/^Bearer /, '')];
    if (id && !pool.getKeyHealth().find((key) => key.id === id)?.available) sentInBackoff += 1;
    return globalThis.fetch(input, init);
  },
  onEvent: (event) => {
    if (event.type === 'request-error') attemptsOfCall.getStore()?.push(`${event.credentialId}:${event.error.code}`);
    if (event.type === 'call-error' && event.attempts === 0) failedWithoutRequest.push(event.error.code);
  },
});

const outcomes = { ok: 0, brokeAfterContent: 0, failed: 0 };
/** Calls that failed before content although they had not used up their retries on transient faults: must be none. */
const unexplainedFailures = [];
/** `complete()` calls whose request timed out: final by the contract (docs/error-handling.md, rule 10). */
let notResent = 0;
const failures = new Map();
const latencies = [];
const modes = ['iterate', 'final', 'complete'];

const oneCall = (index) => {
  const attempts = [];
  return attemptsOfCall.run(attempts, () => callWithLog(index, attempts));
};

async function callWithLog(index, attempts) {
  const mode = modes[index % 3];
  const started = performance.now();
  let sawContent = false;
  try {
    if (mode === 'complete') {
      await provider.complete({ prompt: `call ${index}` });
    } else {
      const stream = await provider.generateChatCompletion({ prompt: `call ${index}` });
      sawContent = true; // the call resolves at its first content event
      if (mode === 'final') await stream.final();
      else for await (const _event of stream);
    }
    outcomes.ok += 1;
  } catch (error) {
    if (sawContent) outcomes.brokeAfterContent += 1;
    else {
      outcomes.failed += 1;
      failures.set(error.code, (failures.get(error.code) ?? 0) + 1);
      // The contract (docs/error-handling.md): maxRetries (2) transient retries, `invalid_response` retried once, all
      // within the deadline (timeoutMs × 3 = 3 s). A call may fail before content only when one of those ran out.
      const codes = attempts.map((attempt) => attempt.split(':')[1]);
      const transient = codes.filter((code) => transientCodes.has(code)).length;
      const invalidResponses = codes.filter((code) => code === 'invalid_response').length;
      // The engine starts no wait that would end past the deadline: with at most 1.2 s of backoff before a third attempt
      // (1 s ± 20 %), a call past 1.8 s had no room left for one.
      const deadlineSpent = performance.now() - started > 1_800;
      // Rule 10: a non-streaming attempt that timed out may still be generating (and billing) its answer: not re-sent.
      const mayStillBeGenerating = mode === 'complete' && error.code === 'timeout' && codes.at(-1) === 'timeout';
      if (mayStillBeGenerating) notResent += 1;
      else if (transient < 3 && invalidResponses < 2 && !deadlineSpent) unexplainedFailures.push(`${mode} ${error.code}: ${attempts.join(' → ')}`);
    }
  }
  latencies.push(performance.now() - started);
}

// Timers are counted on both sides alike: a leaked timer must make the check fail.
const handlesBefore = process.getActiveResourcesInfo().length;
const wallStarted = performance.now();
let next = 0;
const blipAt = Math.floor(CALLS * 0.3);
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < CALLS) {
      const index = next++;
      if (index === blipAt) blipUntil = performance.now() + 300;
      await oneCall(index);
    }
  }),
);
const wallMs = performance.now() - wallStarted;
await upstream.close();
await new Promise((resolve) => setTimeout(resolve, 50));
const handlesAfter = process.getActiveResourcesInfo().length;

const latency = summarize(latencies);
const successRate = outcomes.ok / CALLS;
console.log(environmentLine());
console.log(`chaos: ${CALLS} calls at concurrency ${CONCURRENCY}, ${requestsSent} requests, ${fixed(wallMs / 1000, 1)} s wall`);
printTable(
  [
    ['measure', 'value', 'goal', 'verdict'],
    ['success', `${fixed(successRate * 100, 2)} % (${outcomes.ok})`, '≥ 98.5 %', successRate >= 0.985 ? 'met' : 'MISSED'],
    ['streams broken after first content', String(outcomes.brokeAfterContent), 'reported (1 % resets after content)', ''],
    ['calls failed before any content', `${outcomes.failed} ${JSON.stringify(Object.fromEntries(failures))}`, 'retries or deadline ran out, or rule 10', ''],
    ['  … of them complete() timeouts, not re-sent (may still be generating)', String(notResent), 'reported (1 % hangs)', ''],
    ['  … of them with retries or deadline left', String(unexplainedFailures.length), '0', unexplainedFailures.length === 0 ? 'met' : 'MISSED'],
    ['calls failed without a request', String(failedWithoutRequest.length), '0', failedWithoutRequest.length === 0 ? 'met' : 'MISSED'],
    ['requests sent with a key in backoff', String(sentInBackoff), '0', sentInBackoff === 0 ? 'met' : 'MISSED'],
    ['latency p50 / p99 / max', `${fixed(latency.p50, 1)} / ${fixed(latency.p99, 1)} / ${fixed(latency.max, 1)} ms`, 'reported', ''],
    ['unhandled rejections', String(unhandled), '0', unhandled === 0 ? 'met' : 'MISSED'],
    ['handles left (timers included)', `${handlesAfter} (before: ${handlesBefore})`, `≤ ${handlesBefore}`, handlesAfter <= handlesBefore ? 'met' : 'MISSED'],
  ],
  'llll',
);
console.log(
  'key health at the end:',
  JSON.stringify(
    pool
      .getKeyHealth()
      .map(({ id, healthy, consecutiveFailures, requests, failures: failed }) => ({ id, healthy, consecutiveFailures, requests, failures: failed })),
  ),
);
for (const failure of unexplainedFailures) console.log(`unexplained: ${failure}`);
