import type { Provider } from '@kit/core';

/** Result of a traffic run. */
export interface TrafficResult {
  calls: number;
  succeeded: number;
}

/**
 * Makes `calls` streamed chat calls (each read to the end) and counts the ones that succeeded. Failures are part of
 * the show: they are counted, not thrown. `between` runs after each call (the example advances the key pool's
 * clock there, so that revoked and rate-limited keys come out of backoff and are tried again).
 */
export async function driveTraffic(provider: Provider, options: { calls: number; model?: string; between?: () => void }): Promise<TrafficResult> {
  let succeeded = 0;
  for (let call = 0; call < options.calls; call++) {
    try {
      const stream = await provider.generateChatCompletion({ model: options.model ?? 'gpt-6-luna', prompt: `Say something about metrics (${call + 1}).` });
      await stream.text();
      succeeded++;
    } catch {
      // Counted by the collector as an error; nothing more to do here.
    }
    options.between?.();
  }
  return { calls: options.calls, succeeded };
}
