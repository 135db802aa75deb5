// The runtimes of the matrix and how each one runs the scenario bundles. Node, Bun and Deno run as child processes
// (which must end by themselves: a socket or timer left open shows as "did not exit"); workerd runs under Miniflare
// (its own process); edge-runtime runs in an `EdgeVM` context of this process.
import { spawn } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EdgeVM } from '@edge-runtime/vm';
import { Miniflare } from 'miniflare';
import { type MatrixConfig, RESULTS_MARKER, type ScenarioResult } from '../scenarios/matrix-config';
import type { ScenarioBundles } from './scenario-bundles';

/** What one runtime reported. */
export interface RuntimeReport {
  /** The runtime and its version as it reported it (e.g. `node 20.20.2`). */
  version?: string;
  results: ScenarioResult[];
  /** Why the runtime itself failed (did not start, crashed, printed no results, did not exit). */
  problem?: string;
}

/** One column of the matrix. */
export interface MatrixRuntime {
  name: string;
  /** What the runtime must report as its version, where the column stands for one (the Node 20 we promise). */
  version?: RegExp;
  run(bundles: ScenarioBundles, config: MatrixConfig): Promise<RuntimeReport>;
}

const binaries = fileURLToPath(new URL('../../../node_modules/.bin/', import.meta.url));

/** How long a runtime may take for every scenario, and to exit after printing its results. */
const runLimitMs = 60_000;
const exitLimitMs = 5_000;

/** The machine's own `node`: the first on PATH outside node_modules (pnpm puts the pinned Node 24 ahead of it). */
export function machineNode(): string | undefined {
  for (const folder of (process.env.PATH ?? '').split(delimiter)) {
    if (!folder || folder.includes('node_modules')) continue;
    const candidate = join(folder, 'node');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

function parseReport(line: string): RuntimeReport {
  const report = JSON.parse(line.slice(RESULTS_MARKER.length)) as { runtime: string; results: ScenarioResult[] };
  return { version: report.runtime, results: report.results };
}

/** Runs `command` with the config in its environment and reads the marked results line from its output. */
function runProcess(command: string, args: string[], bundles: ScenarioBundles, config: MatrixConfig): Promise<RuntimeReport> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: bundles.dir,
      env: { ...process.env, KIT_MATRIX_CONFIG: JSON.stringify(config), NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let report: RuntimeReport | undefined;
    let exitTimer: NodeJS.Timeout | undefined;
    const finish = (problem?: string) => {
      clearTimeout(runTimer);
      clearTimeout(exitTimer);
      const base = report ?? { results: [] };
      resolve(problem ? { ...base, problem } : base);
    };
    const runTimer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(`no results within ${runLimitMs / 1000} s; stderr: ${stderr.slice(-2000)}`);
    }, runLimitMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const line = stdout.split('\n').find((candidate) => candidate.startsWith(RESULTS_MARKER) && stdout.includes(`${candidate}\n`));
      if (report || !line) return;
      report = parseReport(line);
      exitTimer = setTimeout(() => {
        child.kill('SIGKILL');
        finish(`printed its results but did not exit within ${exitLimitMs / 1000} s: a handle was left open`);
      }, exitLimitMs);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', (error) => finish(`could not start ${command}: ${error.message}`));
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL') return;
      if (code !== 0) return finish(`exited with ${code ?? signal}; stderr: ${stderr.slice(-2000)}`);
      finish(report ? undefined : `printed no results; stdout: ${stdout.slice(-1000)} stderr: ${stderr.slice(-1000)}`);
    });
  });
}

/** Rejects after `ms` with `message`, so a wedged in-process runtime is reported instead of waited for. */
function withinLimit<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

async function inProcess(work: () => Promise<RuntimeReport>): Promise<RuntimeReport> {
  try {
    return await withinLimit(work(), runLimitMs, `no results within ${runLimitMs / 1000} s`);
  } catch (error) {
    return { results: [], problem: error instanceof Error ? error.message : String(error) };
  }
}

/** The runtimes, in matrix order. */
export const matrixRuntimes: MatrixRuntime[] = [
  {
    name: 'Node 20 (machine)',
    version: /^node 20\./,
    run(bundles, config) {
      const node = machineNode();
      if (!node) return Promise.resolve({ results: [], problem: 'no `node` on PATH outside node_modules' });
      return runProcess(node, [bundles.processEntry], bundles, config);
    },
  },
  {
    name: 'Node 24 (pnpm)',
    run: (bundles, config) => runProcess(process.execPath, [bundles.processEntry], bundles, config),
  },
  {
    name: 'Bun',
    run: (bundles, config) => runProcess(join(binaries, 'bun'), [bundles.processEntry], bundles, config),
  },
  {
    name: 'Deno',
    run: (bundles, config) =>
      runProcess(
        join(binaries, 'deno'),
        ['run', '--quiet', '--no-lock', '--node-modules-dir=manual', '--allow-net=127.0.0.1', '--allow-read', '--allow-env', bundles.processEntry],
        bundles,
        config,
      ),
  },
  {
    name: 'edge-runtime',
    run: (bundles, config) =>
      inProcess(async () => {
        const vm = new EdgeVM();
        vm.evaluate(readFileSync(bundles.edge, 'utf8'));
        const results = await vm.evaluate<Promise<ScenarioResult[]>>(`kitMatrix.runScenarios(${JSON.stringify(config)})`);
        return { version: 'edge-runtime (@edge-runtime/vm)', results: JSON.parse(JSON.stringify(results)) as ScenarioResult[] };
      }),
  },
  {
    name: 'workerd (miniflare)',
    run: (bundles, config) =>
      inProcess(async () => {
        const miniflare = new Miniflare({ modules: true, modulesRoot: bundles.dir, scriptPath: bundles.worker, compatibilityDate: '2025-09-01' });
        try {
          const answer = await miniflare.dispatchFetch('http://runtime-matrix.test/', { method: 'POST', body: JSON.stringify(config) });
          const report = (await answer.json()) as { runtime: string; results: ScenarioResult[] };
          return { version: report.runtime, results: report.results };
        } finally {
          await miniflare.dispose();
        }
      }),
  },
];
