import type { ChatCompletion, FinishReason, ServerTimings, Usage } from './chat-completion';
import type { ChatStream } from './chat-stream.types';
import { CompletionAssembler } from './completion-assembler';
import type { ResolvedGenerateOptions } from './generate-options';
import { KitError } from './kit-error';
import type { StreamEvent } from './stream-event';
import { isContentEvent } from './stream-event';
import { parseStructuredOutput } from './structured-output';
import { toTextStream, toTextStreamResponse } from './text-stream';
import { parseToolCallInput } from './tool-input';
import { isPromise } from './is-promise';

/** What of the call's options shapes the answer: tool input schemas and the structured-output format. */
export type AnswerShape = Pick<ResolvedGenerateOptions, 'toolInputSchemas' | 'responseFormat' | 'outputSchema'>;

/** Where the rest of a stream's events come from: decoded events are taken synchronously, reads only when empty. */
export interface EventFeed {
  /** The next decoded event, or `undefined` when none is queued; throws the stream's failure once drained. */
  take(): StreamEvent | undefined;
  /** Nothing is queued and nothing more will come. */
  readonly done: boolean;
  /** Reads until an event is queued or the stream ends. */
  fill(): Promise<void>;
  /** The stream was stopped from outside (an abort, a timeout): nothing read before is handed out any more. */
  readonly cancelled?: boolean;
}

/** Where a `ChatStream`'s events come from, and whom it tells how the stream ended. */
export interface ChatStreamSource {
  provider: string;
  model: string;
  credentialId?: string;
  /** The provider's id of the request, when the response carried one. */
  requestId?: string;
  /** Events already read (the engine reads up to the first content event before it resolves). */
  buffered: StreamEvent[];
  /** Tool input schemas and the output format: tool calls get `input`, the completion gets `object`. */
  answer?: AnswerShape;
  /** The rest of the stream; absent for a replayed non-streaming answer. */
  feed?: EventFeed;
  /** Turns whatever the read threw into a `KitError`. */
  classify(error: unknown): KitError;
  onFirstContent?(): void;
  onSuccess(result: { usage: Usage; finishReason: FinishReason; serverTimings?: ServerTimings | undefined }): void;
  onError(error: KitError): void;
  /** Closes the connection and clears timers. */
  release(reason: KitError): void;
}

/** `#step()` found no decoded event: the feed must be read first. */
const PENDING = Symbol('pending');
const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };
/** What `#step()` gives: an event, the end (`undefined`), `PENDING`, or a tool call still being validated. */
type Step = StreamEvent | undefined | typeof PENDING | Promise<StreamEvent>;

/**
 * The `ChatStream` every provider returns: one code path for streaming and non-streaming answers. Decoded events
 * are handed out without extra `async` hops; the text is kept compact for `final()`.
 */
export class KitChatStream implements ChatStream {
  #claimed: 'iterating' | 'collecting' | undefined;
  #started = false;
  #sawContent = false;
  /** Success was reported (the finish is handed out next, or was). */
  #succeeded = false;
  #finishHandedOut = false;
  #failure: KitError | undefined;
  #bufferedIndex = 0;
  readonly #assembler: CompletionAssembler;
  readonly #source: ChatStreamSource;

  constructor(source: ChatStreamSource) {
    this.#source = source;
    this.#assembler = new CompletionAssembler(source.model);
  }

  /** The credential that served this stream. */
  get credentialId(): string | undefined {
    return this.#source.credentialId;
  }

  /** The provider's id of the request (`x-request-id` / `request-id`), for support tickets. */
  get requestId(): string | undefined {
    return this.#source.requestId;
  }

  [Symbol.asyncIterator](): AsyncIterator<StreamEvent> {
    this.#claim('iterating');
    return {
      next: () => this.#next(),
      return: () => {
        this.#abandon();
        return Promise.resolve(DONE);
      },
    };
  }

  /** Consumes whatever has not been read yet (all of it, or the rest after a partial iteration) and assembles. */
  async final(): Promise<ChatCompletion> {
    this.#claim('collecting');
    for (;;) {
      const event = this.#step();
      if (event === PENDING) await this.#fill();
      else if (event instanceof Promise) await event;
      else if (event === undefined) break;
    }
    return completeAnswer(this.#assembler, this.#source.provider, this.#source.credentialId, this.#source.answer);
  }

  async text(): Promise<string> {
    return (await this.final()).text;
  }

  abort(): void {
    this.#abandon();
  }

  toTextStream(): ReadableStream<string> {
    return toTextStream(this);
  }

  toTextStreamResponse(init?: ResponseInit): Response {
    return toTextStreamResponse(this, init);
  }

  /** Iterating is allowed once, and not after `final()`/`text()`; `final()` may follow an iteration, or itself. */
  #claim(mode: 'iterating' | 'collecting'): void {
    if (mode === 'iterating' && this.#claimed) {
      throw new KitError('invalid_request', 'ChatStream already consumed: iterate it once, before any final() or text()', {
        provider: this.#source.provider,
      });
    }
    this.#claimed ??= mode;
  }

  /**
   * A decoded event is handed out in an already settled promise, with no `async` frame: one promise per event, the
   * least the async-iterator protocol allows (an `async` function also allocates its own state on every call: ~300
   * machine instructions per event, `bench/sse-instructions.mjs`). A throw from `#step()` becomes the rejection; a
   * read, or an asynchronous tool input, goes through `#nextLater`.
   */
  #next(): Promise<IteratorResult<StreamEvent>> {
    let event: Step;
    try {
      event = this.#step();
    } catch (error) {
      return Promise.reject(error);
    }
    if (event === PENDING || event instanceof Promise) return this.#nextLater(event);
    return Promise.resolve(event === undefined ? DONE : { done: false, value: event });
  }

  async #nextLater(event: typeof PENDING | Promise<StreamEvent>): Promise<IteratorResult<StreamEvent>> {
    if (event !== PENDING) return { done: false, value: await event };
    await this.#fill();
    return this.#next();
  }

  async #fill(): Promise<void> {
    try {
      await this.#source.feed?.fill();
    } catch (error) {
      throw this.#fail(this.#source.classify(error));
    }
  }

  /**
   * The next event to hand out, synchronously; `PENDING` when the feed must be read; `undefined` at the end; a native
   * promise only for a tool call whose input schema validates asynchronously.
   */
  #step(): Step {
    if (this.#failure) throw this.#failure;
    if (this.#succeeded) return this.#handOutFinish();
    if (!this.#started) {
      this.#started = true;
      // Every `start` read before the first content event names the answer: an upstream whose first chunk has no id
      // (Azure's `id: ""`) is named by the next one, and the `start` handed out carries the first non-empty id.
      const { buffered } = this.#source;
      for (let index = 0; index < buffered.length && !isContentEvent(buffered[index] as StreamEvent); index++) {
        const event = buffered[index] as StreamEvent;
        if (event.type === 'start') this.#assembler.start(event);
      }
      if (buffered[0]?.type === 'start') this.#bufferedIndex = 1;
      return { type: 'start', id: this.#assembler.id, model: this.#assembler.model, credentialId: this.#source.credentialId };
    }
    const { buffered, feed } = this.#source;
    for (;;) {
      let event: StreamEvent | undefined;
      // After an abort nothing read before it is handed out: the feed throws the abort.
      if (this.#bufferedIndex < buffered.length && !feed?.cancelled) {
        event = buffered[this.#bufferedIndex++];
        if (this.#bufferedIndex === buffered.length) {
          buffered.length = 0;
          this.#bufferedIndex = 0;
        }
      } else if (feed) {
        try {
          event = feed.take();
        } catch (error) {
          throw this.#fail(this.#source.classify(error));
        }
        if (event === undefined && !feed.done) return PENDING;
      }
      if (event === undefined) return this.#end();
      if (event.type === 'start') {
        this.#assembler.start(event);
        continue;
      }
      if (event.type === 'finish') {
        this.#assembler.holdFinish(event);
        continue;
      }
      if (event.type === 'tool-call') {
        const toolCall = parseToolCallInput(event.toolCall, this.#source.answer?.toolInputSchemas?.get(event.toolCall.name));
        // A native promise (parseToolCallInput adopts a schema's thenable): `#next()` and `final()` tell it apart by
        // `instanceof`, which unlike a look-up of `then` stays cheap on the many shapes of events.
        if (toolCall instanceof Promise) return toolCall.then((parsed) => this.#handOut({ type: 'tool-call', toolCall: parsed }));
        event = { type: 'tool-call', toolCall };
      }
      return this.#handOut(event);
    }
  }

  #handOut(event: StreamEvent): StreamEvent {
    if (!this.#sawContent && isContentEvent(event)) {
      this.#sawContent = true;
      this.#source.onFirstContent?.();
    }
    this.#assembler.add(event);
    return event;
  }

  #end(): StreamEvent | undefined {
    const finish = this.#assembler.finish;
    if (!finish) {
      const { provider, credentialId } = this.#source;
      throw this.#fail(new KitError('invalid_response', `${provider}: the upstream closed the stream before it finished`, { provider, credentialId }));
    }
    this.#succeeded = true;
    this.#source.onSuccess({ usage: finish.usage, finishReason: finish.finishReason, serverTimings: finish.serverTimings });
    return this.#handOutFinish();
  }

  #handOutFinish(): StreamEvent | undefined {
    if (this.#finishHandedOut) return undefined;
    this.#finishHandedOut = true;
    return this.#assembler.finish;
  }

  #fail(error: KitError): KitError {
    if (this.#failure || this.#succeeded) return this.#failure ?? error;
    this.#failure = error;
    this.#source.buffered.length = 0;
    this.#source.release(error);
    this.#source.onError(error);
    return error;
  }

  /** `abort()`, or the consumer breaking out of its loop: release the connection; nobody is at fault. */
  #abandon(): void {
    if (!this.#succeeded && !this.#failure) {
      this.#fail(new KitError('aborted', 'the stream was aborted by the caller', { provider: this.#source.provider }));
    }
  }
}

/**
 * The completion of an assembled answer, with `object` when JSON was asked for (parsed, and validated by a Standard
 * Schema). A mismatch rejects with `invalid_response` naming the failing path, although the wire call succeeded.
 * It returns the completion itself unless a schema validates asynchronously (no promise: fewer turns of the event
 * loop per call); it throws on a mismatch, and its callers are async functions.
 */
export function completeAnswer(
  assembler: CompletionAssembler,
  provider: string,
  credentialId: string | undefined,
  answer: AnswerShape | undefined,
): ChatCompletion | Promise<ChatCompletion> {
  const completion = assembler.build(provider, credentialId);
  const format = answer?.responseFormat?.type;
  // The plain answer returns last: V8 tiers a function up by how far into its code a call returns.
  return answer && (format === 'json' || format === 'json-schema') ? withStructuredOutput(completion, answer, provider) : completion;
}

/** The answer with `object` set from its text; throws when the text is no JSON or fails the schema. */
function withStructuredOutput(completion: ChatCompletion, answer: AnswerShape, provider: string): ChatCompletion | Promise<ChatCompletion> {
  // Callers are async: the caller sees a rejection.
  const object = parseStructuredOutput(completion.text, answer, { provider, finishReason: completion.finishReason });
  if (!isPromise(object)) {
    completion.object = object;
    return completion;
  }
  return object.then((settled) => {
    completion.object = settled;
    return completion;
  });
}
