import { vi } from 'vitest';
import { KitChatStream, type ChatStreamSource } from './chat-stream';
import { KitError } from './kit-error';
import type { StreamEvent } from './stream-event';

/**
 * A `KitChatStream` over a fake source: `events` were read before it resolved (the engine's buffer); `rest` arrives
 * one read at a time, an `Error` in it being what the read throws. The source's callbacks are spies.
 */
export function fakeChatStream(events: StreamEvent[], rest: (StreamEvent | Error)[] = [], overrides: Partial<ChatStreamSource> = {}) {
  const onSuccess = vi.fn<ChatStreamSource['onSuccess']>();
  const onError = vi.fn<(error: KitError) => void>();
  const release = vi.fn<(reason: KitError) => void>();
  const queue = [...rest];
  const ready: (StreamEvent | Error)[] = [];
  const source: ChatStreamSource = {
    provider: 'test',
    model: 'requested-model',
    credentialId: 'key-1',
    buffered: [...events],
    // Events arrive one read at a time: fill() moves the next item into the decoded queue.
    feed: {
      take() {
        const item = ready.shift();
        if (item instanceof Error) throw item;
        return item;
      },
      get done() {
        return ready.length === 0 && queue.length === 0;
      },
      async fill() {
        const item = queue.shift();
        if (item !== undefined) ready.push(item);
      },
    },
    classify: (error) => (KitError.is(error) ? error : new KitError('network', String(error))),
    onSuccess,
    onError,
    release,
    ...overrides,
  };
  return { stream: new KitChatStream(source), onSuccess, onError, release };
}
