// The runtime matrix: the same scenarios over the BUILT packages (dist/, as installed) on the machine's Node 20, Node 24,
// Bun, Deno, edge-runtime and workerd. Each runtime gets its own loopback servers and runs every scenario; a scenario
// passes when its own checks pass in that runtime and the servers saw what they should. Runs after the build
// (`npm test`); a missing dist is a failure. All runtimes run at once; the matrix is printed at the end.
import { beforeAll, describe, expect, it } from 'vitest';
import { type MatrixRuntime, matrixRuntimes, type RuntimeReport } from './harness/matrix-runtimes';
import { startMatrixServers } from './harness/matrix-servers';
import { buildScenarioBundles, type ScenarioBundles } from './harness/scenario-bundles';
import { type ScenarioName, scenarioNames } from './scenarios/matrix-config';

interface RuntimeOutcome extends RuntimeReport {
  findings: Record<ScenarioName, string[]>;
  /** Wall time of the runtime's run (shown, never asserted). */
  seconds: number;
}

const outcomes = new Map<string, RuntimeOutcome>();

async function runOn(runtime: MatrixRuntime, bundles: ScenarioBundles): Promise<void> {
  const servers = await startMatrixServers();
  const started = performance.now();
  try {
    const report = await runtime.run(bundles, servers.config);
    outcomes.set(runtime.name, { ...report, findings: servers.findings(), seconds: (performance.now() - started) / 1000 });
  } finally {
    await servers.close();
  }
}

const passes = (outcome: RuntimeOutcome | undefined, scenario: ScenarioName) =>
  outcome?.results.find((result) => result.scenario === scenario)?.ok === true && outcome.findings[scenario].length === 0;

/** runtime → scenarios passed, one line per runtime, failures named. */
function formatMatrix(): string {
  const width = Math.max(...matrixRuntimes.map((runtime) => runtime.name.length));
  const lines = matrixRuntimes.map((runtime) => {
    const outcome = outcomes.get(runtime.name);
    const failed = scenarioNames.filter((scenario) => !passes(outcome, scenario));
    const passed = scenarioNames.length - failed.length;
    const notes = [
      outcome?.version ?? 'no version reported',
      `${outcome?.seconds.toFixed(1)} s`,
      ...(failed.length > 0 ? [`FAILED: ${failed.join(', ')}`] : []),
      ...(outcome?.problem ? ['RUNTIME PROBLEM'] : []),
    ];
    return `  ${runtime.name.padEnd(width)}  ${passed}/${scenarioNames.length}  ${notes.join('  ')}`;
  });
  return ['Runtime matrix (runtime → scenarios passed):', ...lines, `  scenarios: ${scenarioNames.join(', ')}`].join('\n');
}

beforeAll(async () => {
  const bundles = await buildScenarioBundles();
  try {
    await Promise.all(matrixRuntimes.map((runtime) => runOn(runtime, bundles)));
  } finally {
    await bundles.remove();
  }
  console.log(formatMatrix());
}, 150_000);

describe.each(matrixRuntimes)('$name', ({ name, version }) => {
  it('runs the scenarios and exits by itself', () => {
    expect(outcomes.get(name)?.problem).toBeUndefined();
    expect(outcomes.get(name)?.results.map((result) => result.scenario)).toEqual([...scenarioNames]);
    if (version) expect(outcomes.get(name)?.version).toMatch(version);
  });

  it.each(scenarioNames)('%s', (scenario) => {
    const outcome = outcomes.get(name);
    const result = outcome?.results.find((candidate) => candidate.scenario === scenario);
    expect(result?.error).toBeUndefined();
    expect(result?.ok).toBe(true);
    expect(outcome?.findings[scenario]).toEqual([]);
  });
});
