// Entry of the runtimes that run a program (Node, Bun, Deno): reads the harness's URLs from KIT_MATRIX_CONFIG, runs
// the scenarios and prints the results as one marked JSON line. It never calls exit: the process must end by itself,
// so a handle the kit left open (a socket, a timer) shows as a runtime that did not exit.
import { type MatrixConfig, RESULTS_MARKER } from '../scenarios/matrix-config';
import { runScenarios } from '../scenarios/run-scenarios';

interface RuntimeGlobals {
  Deno?: { version: { deno: string }; env: { get(name: string): string | undefined } };
  Bun?: { version: string };
  process?: { versions: { node?: string }; env: Record<string, string | undefined> };
}

const runtime = globalThis as unknown as RuntimeGlobals;

function runtimeVersion(): string {
  if (runtime.Deno) return `deno ${runtime.Deno.version.deno}`;
  if (runtime.Bun) return `bun ${runtime.Bun.version}`;
  return `node ${runtime.process?.versions.node ?? '?'}`;
}

const rawConfig = runtime.Deno ? runtime.Deno.env.get('KIT_MATRIX_CONFIG') : runtime.process?.env.KIT_MATRIX_CONFIG;
if (!rawConfig) throw new Error('KIT_MATRIX_CONFIG is not set');
const results = await runScenarios(JSON.parse(rawConfig) as MatrixConfig);
console.log(RESULTS_MARKER + JSON.stringify({ runtime: runtimeVersion(), results }));
