import { inspect } from 'node:util';
import { KitError, type ChatStream, type StreamEvent } from '@kit/core';

/** A contract the provider under test broke: the message says what was expected and what happened. */
export class ConformanceFailure extends Error {
  override readonly name = 'ConformanceFailure';
}

/** Fails with `message` unless `condition` holds. */
export function expectThat(condition: boolean, message: string): asserts condition {
  if (!condition) throw new ConformanceFailure(message);
}

/** A short, JSON-like rendering of a value for failure messages. */
export function show(value: unknown): string {
  return inspect(value, { depth: 4, breakLength: Number.POSITIVE_INFINITY });
}

/** Fails unless `actual` and `expected` are equal as JSON values. */
export function expectEqual(actual: unknown, expected: unknown, what: string): void {
  const same = JSON.stringify(actual) === JSON.stringify(expected);
  expectThat(same, `${what}: expected ${show(expected)}, got ${show(actual)}`);
}

/** Every event of a stream, in order (a failure while iterating is thrown). */
export async function collectEvents(stream: ChatStream): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

/** What a call threw (`run` must fail); fails the check when it succeeded. */
export async function failureOf(run: () => Promise<unknown>, what: string): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new ConformanceFailure(`${what}: expected the call to fail, it succeeded`);
}

/** A description of a thrown value for failure messages: code, status, retry hint and message of a `KitError`. */
export function describeError(error: unknown): string {
  if (KitError.is(error)) {
    const retry = error.retryAfterMs === undefined ? '' : `, retryAfterMs ${error.retryAfterMs}`;
    return `KitError code '${error.code}'${error.status === undefined ? '' : ` (status ${error.status})`}${retry}: ${error.message}`;
  }
  return error instanceof Error ? `${error.name}: ${error.message}` : show(error);
}

/** Fails unless `error` is a `KitError` with `code` (and the given fields). */
export function expectKitError(error: unknown, expected: { code: string; status?: number; retryAfterMs?: number }, what: string): asserts error is KitError {
  const fields = Object.entries(expected)
    .map(([key, value]) => `${key} ${JSON.stringify(value)}`)
    .join(', ');
  expectThat(KitError.is(error), `${what}: expected a KitError with ${fields}, got ${describeError(error)}`);
  for (const [key, value] of Object.entries(expected)) {
    expectThat((error as unknown as Record<string, unknown>)[key] === value, `${what}: expected a KitError with ${fields}, got ${describeError(error)}`);
  }
}

/** Everything a caller can observe of an error: message, stack, JSON, `String()`, `util.inspect` with its causes. */
export function observableTextOf(value: unknown): string {
  const parts = [show(value), inspect(value, { depth: 10, showHidden: true })];
  if (value instanceof Error) parts.push(String(value), value.message, value.stack ?? '');
  try {
    parts.push(JSON.stringify(value) ?? '');
  } catch {
    // A cyclic value: inspect above already rendered it.
  }
  return parts.join('\n');
}
