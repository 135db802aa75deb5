// What the Node-side harness hands to the scenarios in every runtime: the URLs of the loopback servers it started
// for that runtime (one upstream per scenario, so each runtime's traffic and counters are its own).

/** The scenarios, in the order they run and are reported. */
export const scenarioNames = [
  'streaming-chat',
  'streaming-chat-anthropic',
  'tool-round-trip',
  'pool-failover',
  'abort-mid-stream',
  'oauth-refresh',
  'metrics',
] as const;

/** One scenario's name. */
export type ScenarioName = (typeof scenarioNames)[number];

/** The loopback servers of one runtime's run. */
export interface MatrixConfig {
  /** Base URL of each scenario's fake upstream (for `oauth-refresh`: the resource server that checks access tokens). */
  upstreams: Record<ScenarioName, string>;
  /** The token endpoint of the fake OAuth server (`oauth-refresh`). */
  tokenUrl: string;
  /** The harness's control endpoint (`abort-mid-stream` asks it what the upstream saw; `oauth-refresh` revokes tokens). */
  control: string;
}

/** What a runtime reports for one scenario. */
export interface ScenarioResult {
  scenario: ScenarioName;
  ok: boolean;
  /** Wall time of the scenario (shown, never asserted; workerd's clock only moves on I/O). */
  ms: number;
  /** Why it failed (a message without secrets). */
  error?: string;
}

/** The line prefix a runtime prints its results with (one JSON object after it). */
export const RESULTS_MARKER = 'KIT-MATRIX-RESULTS ';
