// Runs every scenario, one after another, and reports each one's outcome; a failure never stops the others.
import { abortMidStream } from './abort-mid-stream';
import { type MatrixConfig, type ScenarioName, type ScenarioResult, scenarioNames } from './matrix-config';
import { metrics } from './metrics';
import { oauthRefresh } from './oauth-refresh';
import { poolFailover } from './pool-failover';
import { streamingChat } from './streaming-chat';
import { streamingChatAnthropic } from './streaming-chat-anthropic';
import { toolRoundTrip } from './tool-round-trip';

const scenarios: Record<ScenarioName, (config: MatrixConfig) => Promise<void>> = {
  'streaming-chat': streamingChat,
  'streaming-chat-anthropic': streamingChatAnthropic,
  'tool-round-trip': toolRoundTrip,
  'pool-failover': poolFailover,
  'abort-mid-stream': abortMidStream,
  'oauth-refresh': oauthRefresh,
  metrics,
};

function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return `${error.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${error.message}`;
}

/** Runs the scenarios against the harness's servers described by `config`. */
export async function runScenarios(config: MatrixConfig): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const scenario of scenarioNames) {
    const started = Date.now();
    try {
      await scenarios[scenario](config);
      results.push({ scenario, ok: true, ms: Date.now() - started });
    } catch (error) {
      results.push({ scenario, ok: false, ms: Date.now() - started, error: describeFailure(error) });
    }
  }
  return results;
}
