// KeyManager selection + bookkeeping cost per request (budget: ≤ 10 µs per request, O(keys)), for 3, 20 and 200 keys:
//   - success:   getNextKey() + reportSuccess(key)
//   - 10% fail:  getNextKey() + reportSuccess(key), or reportFailure(key, error) for ~10% of requests (seeded, fixed pattern)
//   - acquire:   await acquire() + reportSuccess(id) — what the request engine does (CredentialSource path)
// Baseline, measured in the same run with the same loop shape: a bare round-robin over plain key objects with the same
// counters (requests/successes/failures/consecutive failures/backoff) and the same clock call, no health logic.
//
// The failure mix runs on a virtual clock that advances 200 ms per request (5 requests/s), so failed keys sit in real
// backoff (1 s → 2 s → …) for a few requests and selection has to skip them; if every key is in backoff at once,
// getNextKey() throws `credentials_exhausted` — those requests are counted (column "exhausted") and cost what they cost.
//
//   npx -y pnpm@12.4.2 exec node keymanager.bench.mjs [--runs 5] [--keys 3,20,200]
import { KitError } from '@kit/core';
import { KeyManager } from '@kit/keymanager';
import { environmentLine, fixed, median, printTable } from './bench-stats.mjs';

const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};
const RUNS = argument('runs', 5);
const keyCountsIndex = process.argv.indexOf('--keys');
const KEY_COUNTS = keyCountsIndex === -1 ? [3, 20, 200] : process.argv[keyCountsIndex + 1].split(',').map(Number);
const GOAL_NS = 10_000;
const STEP_MS = 200;
const failure = new KitError('server_error', 'upstream returned 500', { provider: 'openai', status: 500 });

// A fixed pseudo-random failure pattern (mulberry32, seed 42), ~10% ones; read by both KeyManager and baseline loops.
const PATTERN_SIZE = 1 << 16;
const failPattern = new Uint8Array(PATTERN_SIZE);
{
  let seed = 42;
  for (let index = 0; index < PATTERN_SIZE; index++) {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    failPattern[index] = ((t ^ (t >>> 14)) >>> 0) / 4294967296 < 0.1 ? 1 : 0;
  }
}

const makeKeys = (count) => Array.from({ length: count }, (_, index) => `sk-bench-${String(index).padStart(4, '0')}-${'x'.repeat(40)}`);

/** Runs `ops` requests and returns ns per request. */
function time(ops, body) {
  const started = process.hrtime.bigint();
  const result = body(ops);
  const elapsed = Number(process.hrtime.bigint() - started);
  return { nsPerOp: elapsed / ops, result };
}

const scenarios = {
  success: {
    label: 'getNextKey + reportSuccess',
    kit(keys, ops) {
      const manager = new KeyManager('openai', keys);
      return time(ops, (n) => {
        let sink = 0;
        for (let index = 0; index < n; index++) {
          const key = manager.getNextKey();
          manager.reportSuccess(key);
          sink += key.length;
        }
        return { sink, exhausted: 0 };
      });
    },
    baseline(keys, ops) {
      const states = keys.map((secret, index) => ({
        id: `key-${index + 1}`,
        secret,
        requests: 0,
        successes: 0,
        failures: 0,
        consecutiveFailures: 0,
        backoffUntil: 0,
      }));
      const now = Date.now;
      let cursor = 0;
      return time(ops, (n) => {
        let sink = 0;
        for (let index = 0; index < n; index++) {
          const at = now();
          const state = states[cursor];
          cursor = cursor + 1 === states.length ? 0 : cursor + 1;
          state.requests++;
          const key = state.secret;
          state.successes++;
          state.consecutiveFailures = 0;
          state.backoffUntil = at & 0;
          sink += key.length;
        }
        return { sink, exhausted: 0 };
      });
    },
  },
  mixed: {
    label: 'same, ~10% reportFailure',
    kit(keys, ops) {
      let clock = 1_700_000_000_000;
      const manager = new KeyManager('openai', keys, { now: () => clock });
      return time(ops, (n) => {
        let sink = 0;
        let exhausted = 0;
        for (let index = 0; index < n; index++) {
          clock += STEP_MS;
          let key;
          try {
            key = manager.getNextKey();
          } catch {
            exhausted++;
            continue;
          }
          if (failPattern[index & (PATTERN_SIZE - 1)] === 1) manager.reportFailure(key, failure);
          else manager.reportSuccess(key);
          sink += key.length;
        }
        return { sink, exhausted };
      });
    },
    baseline(keys, ops) {
      const states = keys.map((secret, index) => ({
        id: `key-${index + 1}`,
        secret,
        requests: 0,
        successes: 0,
        failures: 0,
        consecutiveFailures: 0,
        backoffUntil: 0,
      }));
      let clock = 1_700_000_000_000;
      const now = () => clock;
      let cursor = 0;
      return time(ops, (n) => {
        let sink = 0;
        for (let index = 0; index < n; index++) {
          clock += STEP_MS;
          const at = now();
          const state = states[cursor];
          cursor = cursor + 1 === states.length ? 0 : cursor + 1;
          state.requests++;
          const key = state.secret;
          if (failPattern[index & (PATTERN_SIZE - 1)] === 1) {
            state.failures++;
            state.consecutiveFailures++;
            state.backoffUntil = at + 1000 * 2 ** Math.min(state.consecutiveFailures - 1, 6);
          } else {
            state.successes++;
            state.consecutiveFailures = 0;
            state.backoffUntil = 0;
          }
          sink += key.length;
        }
        return { sink, exhausted: 0 };
      });
    },
  },
  acquire: {
    label: 'await acquire + reportSuccess(id)',
    async kit(keys, ops) {
      const manager = new KeyManager('openai', keys);
      const started = process.hrtime.bigint();
      let sink = 0;
      for (let index = 0; index < ops; index++) {
        const lease = await manager.acquire();
        manager.reportSuccess(lease.id);
        sink += lease.secret.length;
      }
      return { nsPerOp: Number(process.hrtime.bigint() - started) / ops, result: { sink, exhausted: 0 } };
    },
    async baseline(keys, ops) {
      const states = keys.map((secret, index) => ({
        id: `key-${index + 1}`,
        secret,
        requests: 0,
        successes: 0,
        failures: 0,
        consecutiveFailures: 0,
        backoffUntil: 0,
      }));
      const byId = new Map(states.map((state) => [state.id, state]));
      let cursor = 0;
      const acquire = async () => {
        Date.now();
        const state = states[cursor];
        cursor = cursor + 1 === states.length ? 0 : cursor + 1;
        state.requests++;
        return { id: state.id, secret: state.secret, kind: 'api-key' };
      };
      const started = process.hrtime.bigint();
      let sink = 0;
      for (let index = 0; index < ops; index++) {
        const lease = await acquire();
        const state = byId.get(lease.id);
        state.successes++;
        state.consecutiveFailures = 0;
        sink += lease.secret.length;
      }
      return { nsPerOp: Number(process.hrtime.bigint() - started) / ops, result: { sink, exhausted: 0 } };
    },
  },
};

const opsFor = (keyCount) => (keyCount >= 1000 ? 20_000 : keyCount >= 200 ? 100_000 : 300_000);
const rows = [['keys', 'scenario', 'KeyManager ns/op', 'p-max ns/op', 'baseline ns/op', 'ratio', 'exhausted', 'goal ≤ 10 µs']];
let worst = 0;
const started = performance.now();
for (const keyCount of KEY_COUNTS) {
  const keys = makeKeys(keyCount);
  const ops = opsFor(keyCount);
  for (const [, scenario] of Object.entries(scenarios)) {
    await scenario.kit(keys, Math.min(ops, 20_000)); // warm-up (JIT)
    await scenario.baseline(keys, Math.min(ops, 20_000));
    const kitRuns = [];
    const baseRuns = [];
    let exhausted = 0;
    for (let run = 0; run < RUNS; run++) {
      const kit = await scenario.kit(keys, ops);
      const base = await scenario.baseline(keys, ops);
      kitRuns.push(kit.nsPerOp);
      baseRuns.push(base.nsPerOp);
      exhausted = Math.max(exhausted, kit.result.exhausted);
    }
    const kitNs = median(kitRuns);
    const baseNs = median(baseRuns);
    worst = Math.max(worst, kitNs);
    rows.push([
      keyCount,
      scenario.label,
      fixed(kitNs, 0),
      fixed(Math.max(...kitRuns), 0),
      fixed(baseNs, 1),
      `${fixed(kitNs / baseNs, 1)}×`,
      exhausted === 0 ? '0' : `${exhausted} (${fixed((exhausted / ops) * 100, 2)} %)`,
      kitNs <= GOAL_NS ? 'ok' : 'MISSED',
    ]);
  }
}
console.log('# KeyManager: selection + bookkeeping per request');
console.log(
  `${environmentLine()}; round-robin; median of ${RUNS} runs (kit and baseline alternate); 300 000 requests per run (100 000 from 200 keys, 20 000 from 1000)`,
);
console.log('');
printTable(rows, 'rlrrrrrl');
console.log('');
console.log(
  `p-max = slowest of the ${RUNS} runs; exhausted = requests (of one run, worst run) where every key was in backoff (getNextKey threw credentials_exhausted); wall ${fixed((performance.now() - started) / 1000, 1)} s`,
);
console.log(
  worst <= GOAL_NS
    ? `verdict: OK — worst case ${fixed(worst / 1000, 2)} µs per request (goal ≤ 10 µs)`
    : `verdict: MISSED — worst case ${fixed(worst / 1000, 2)} µs per request (goal ≤ 10 µs)`,
);
