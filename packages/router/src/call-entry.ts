import { KitError, toKitError, type ChatStream, type GenerateOptions } from '@kit/core';
import type { EntryState } from './entry-pool';

/** What a router passes on to an entry: the caller's options, the entry's model, and the signal of this attempt. */
export function entryOptions(entry: EntryState, options: GenerateOptions, signal: AbortSignal | undefined): GenerateOptions {
  const own: GenerateOptions = { ...options };
  if (entry.model !== undefined) own.model = entry.model;
  if (signal) own.signal = signal;
  else delete own.signal;
  return own;
}

/**
 * Calls one entry. Its `generateChatCompletion` resolves at the stream's first content event (core's engine), after
 * the entry's own credential failover and retries: a router awaiting it is stream-safe by construction — it moves on
 * only when this rejects, never after content reached the caller.
 */
export async function callEntry(entry: EntryState, options: GenerateOptions, signal: AbortSignal | undefined): Promise<ChatStream> {
  try {
    return await entry.provider.generateChatCompletion(entryOptions(entry, options, signal));
  } catch (thrown) {
    throw toKitError(thrown, 'network', { provider: entry.name });
  }
}

/**
 * The error of a call on which every entry failed: the last entry's code, status and retry hint, and a message that
 * names each entry's failure (already masked by the entries).
 */
export function everyEntryFailed(router: string, failures: readonly { entry: EntryState; error: KitError }[]): KitError {
  const last = failures[failures.length - 1] as { entry: EntryState; error: KitError };
  const summary = failures.map(({ entry, error }) => `${entry.name}: ${error.code}${error.status ? ` ${error.status}` : ''} (${error.message})`).join('; ');
  return new KitError(last.error.code, `${router}: every entry failed: ${summary}`, {
    provider: router,
    cause: last.error,
    retryable: last.error.retryable,
    ...(last.error.status === undefined ? {} : { status: last.error.status }),
    ...(last.error.retryAfterMs === undefined ? {} : { retryAfterMs: last.error.retryAfterMs }),
  });
}
