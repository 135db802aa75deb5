// The caller aborts a stream after its first delta: iteration ends with an `aborted` KitError and the connection is
// closed — the harness's upstream (which stalls after two chunks and never ends the answer) sees the client leave.
import { KitError } from '@kit/core';
import { createOpenAI } from '@kit/openai';
import { expectEqual, expectFailure, expectThat } from './expect-that';
import type { MatrixConfig } from './matrix-config';

/** What the harness reports about the abort upstream once the aborted request is over. */
export interface AbortObservation {
  requests: number;
  /** The upstream saw the client close the request's connection before the answer ended (within 5 s). */
  aborted: boolean;
}

/** `abort-mid-stream`: abort after the first delta; the iteration ends with `aborted` and the upstream's connection is closed. */
export async function abortMidStream(config: MatrixConfig): Promise<void> {
  const provider = createOpenAI({ baseURL: config.upstreams['abort-mid-stream'], apiKey: 'test-key-abort' });
  const controller = new AbortController();
  const stream = await provider.generateChatCompletion({ prompt: 'Talk forever.', signal: controller.signal });
  const deltas: string[] = [];
  const failure = await expectFailure(async () => {
    for await (const event of stream) {
      if (event.type !== 'text-delta') continue;
      deltas.push(event.text);
      controller.abort();
    }
  }, 'iterating an aborted stream');
  expectThat(failure instanceof KitError, `the abort surfaced as ${String(failure)}, not a KitError`);
  expectEqual(failure.code, 'aborted', 'error code');
  // The upstream sent two deltas before stalling: the abort, not the end of the answer, ended the iteration.
  expectThat(deltas.length >= 1 && deltas.length <= 2, `deltas read: ${deltas.length}`);

  const answer = await fetch(`${config.control}/abort-mid-stream/observe`, { method: 'POST' });
  const seen = (await answer.json()) as AbortObservation;
  expectEqual(seen, { requests: 1, aborted: true }, 'what the upstream saw');
}
