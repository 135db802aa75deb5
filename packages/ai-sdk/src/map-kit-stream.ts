import type { StreamEvent } from '@kit/core';
import type { LanguageModelV4StreamPart, SharedV4ProviderMetadata, SharedV4Warning } from '@ai-sdk/provider';
import { mapKitFinishReason, mapKitUsage } from './map-kit-usage';

/** How `mapKitStream` describes the call around the events. */
export interface MapKitStreamOptions {
  /** Sent in the first part, `stream-start`. */
  warnings: SharedV4Warning[];
  /** Also send every @kit event as a `raw` part (the AI SDK's `includeRawChunks`). */
  includeRawChunks?: boolean | undefined;
  /** The `providerMetadata` of the `finish` part (read when the stream finishes). */
  finishMetadata(cost: number | undefined): SharedV4ProviderMetadata;
  /** Turns an error thrown by the @kit stream into the `error` part's error. */
  mapError(error: unknown): unknown;
  /** Whether an error is an abort: the output stream then errors with it instead of sending an `error` part. */
  isAbort(error: unknown): boolean;
}

type Block = { kind: 'text' | 'reasoning'; id: string; signature: string };
type ToolInput = { id?: string | undefined; name?: string | undefined; pending: string; started: boolean; ended: boolean };
type Enqueue = (part: LanguageModelV4StreamPart) => void;

/**
 * The state of one mapping: which text or reasoning block is open, and the tool inputs being streamed. Text and
 * reasoning deltas open a block (`text-start` / `reasoning-start`) that stays open until other content arrives; a
 * reasoning block ends with its signature in `providerMetadata.kit.signature`. Tool-call deltas become
 * `tool-input-start` (once the call's id and name are known), `tool-input-delta` and `tool-input-end`; each complete
 * call is a `tool-call` part.
 */
class KitStreamMapping {
  #block: Block | undefined;
  #blocks = 0;
  readonly #toolInputs = new Map<number, ToolInput>();

  constructor(
    private readonly enqueue: Enqueue,
    private readonly options: MapKitStreamOptions,
  ) {}

  event(event: StreamEvent): void {
    if (this.options.includeRawChunks) this.enqueue({ type: 'raw', rawValue: event });
    switch (event.type) {
      case 'start':
        this.enqueue(event.id ? { type: 'response-metadata', id: event.id, modelId: event.model } : { type: 'response-metadata', modelId: event.model });
        break;
      case 'text-delta':
        if (event.text === '') break;
        this.enqueue({ type: 'text-delta', id: this.#open('text', false).id, delta: event.text });
        break;
      case 'reasoning-delta': {
        // A signed block is complete: more reasoning text starts the next block (as @kit's assembler does).
        const block = this.#open('reasoning', this.#block?.kind === 'reasoning' && this.#block.signature !== '' && event.text !== '');
        if (event.text !== '') this.enqueue({ type: 'reasoning-delta', id: block.id, delta: event.text });
        if (event.signature) block.signature += event.signature;
        break;
      }
      case 'tool-call-delta':
        this.#toolDelta(event);
        break;
      case 'tool-call': {
        this.#closeBlock();
        const { id, name, arguments: input } = event.toolCall;
        for (const toolInput of this.#toolInputs.values()) if (toolInput.id === id) this.#endToolInput(toolInput);
        this.enqueue({ type: 'tool-call', toolCallId: id, toolName: name, input: input.trim() === '' ? '{}' : input });
        break;
      }
      case 'finish':
        this.#closeBlock();
        for (const toolInput of this.#toolInputs.values()) this.#endToolInput(toolInput);
        this.enqueue({
          type: 'finish',
          finishReason: mapKitFinishReason(event.finishReason),
          usage: mapKitUsage(event.usage),
          providerMetadata: this.options.finishMetadata(event.usage.cost),
        });
        break;
    }
  }

  /** Ends whatever is open before an error part. */
  closeAll(): void {
    this.#closeBlock();
    for (const toolInput of this.#toolInputs.values()) this.#endToolInput(toolInput);
  }

  /** The open block of `kind`, or a new one (after closing the open one); `fresh` forces a new one. */
  #open(kind: Block['kind'], fresh: boolean): Block {
    if (this.#block?.kind === kind && !fresh) return this.#block;
    this.#closeBlock();
    this.#blocks += 1;
    const block: Block = { kind, id: `${kind}-${this.#blocks}`, signature: '' };
    this.#block = block;
    this.enqueue({ type: kind === 'text' ? 'text-start' : 'reasoning-start', id: block.id });
    return block;
  }

  #closeBlock(): void {
    const block = this.#block;
    if (!block) return;
    this.#block = undefined;
    if (block.kind === 'text') this.enqueue({ type: 'text-end', id: block.id });
    else if (block.signature === '') this.enqueue({ type: 'reasoning-end', id: block.id });
    else this.enqueue({ type: 'reasoning-end', id: block.id, providerMetadata: { kit: { signature: block.signature } } });
  }

  #toolDelta(event: Extract<StreamEvent, { type: 'tool-call-delta' }>): void {
    this.#closeBlock();
    let toolInput = this.#toolInputs.get(event.index);
    if (!toolInput) {
      toolInput = { pending: '', started: false, ended: false };
      this.#toolInputs.set(event.index, toolInput);
    }
    toolInput.id ??= event.id || undefined;
    toolInput.name ??= event.name || undefined;
    toolInput.pending += event.argumentsDelta;
    if (toolInput.ended || !toolInput.id || !toolInput.name) return;
    if (!toolInput.started) {
      toolInput.started = true;
      this.enqueue({ type: 'tool-input-start', id: toolInput.id, toolName: toolInput.name });
    }
    if (toolInput.pending !== '') this.enqueue({ type: 'tool-input-delta', id: toolInput.id, delta: toolInput.pending });
    toolInput.pending = '';
  }

  #endToolInput(toolInput: ToolInput): void {
    if (!toolInput.started || toolInput.ended || !toolInput.id) return;
    toolInput.ended = true;
    this.enqueue({ type: 'tool-input-end', id: toolInput.id });
  }
}

/**
 * A @kit event stream as an AI SDK (specification v4) stream: `stream-start` with the call's warnings, then
 * `response-metadata`, text / reasoning blocks, tool inputs and calls, and `finish` with usage and
 * `providerMetadata.kit`. An error thrown by the @kit stream ends the stream with an `error` part (an abort errors
 * the stream with the abort reason instead). Cancelling the AI SDK stream aborts the @kit stream, which closes the
 * connection.
 */
export function mapKitStream(events: AsyncIterable<StreamEvent>, options: MapKitStreamOptions): ReadableStream<LanguageModelV4StreamPart> {
  const iterator = events[Symbol.asyncIterator]();
  let mapping: KitStreamMapping | undefined;
  let sent = 0;
  return new ReadableStream<LanguageModelV4StreamPart>({
    start(controller) {
      mapping = new KitStreamMapping((part) => {
        sent += 1;
        controller.enqueue(part);
      }, options);
      controller.enqueue({ type: 'stream-start', warnings: options.warnings });
    },
    async pull(controller) {
      const before = sent;
      try {
        // Read until something was sent: some events (an empty delta) send nothing.
        for (;;) {
          const next = await iterator.next();
          if (next.done) {
            controller.close();
            return;
          }
          mapping?.event(next.value);
          if (sent !== before) return;
        }
      } catch (error) {
        if (options.isAbort(error)) {
          controller.error(options.mapError(error));
          return;
        }
        mapping?.closeAll();
        controller.enqueue({ type: 'error', error: options.mapError(error) });
        controller.close();
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
